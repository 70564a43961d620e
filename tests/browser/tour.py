"""Every page of the application with something on it, for the checks that hold on all of them
(accessibility, narrow screens): one project with submitted, reviewed and drafted work, a manager who may
see every page, and the route to each page and to the annotate page's main states."""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework.authtoken.models import Token

from claims.models import Role
from claims.services.assignments import assignment_submit
from claims.services.labels import article_stance_set
from claims.services.releases import release_enqueue
from claims.services.suggestions import article_preannotate
from tests.browser.helpers import open_annotate, select_text
from tests.builders import (
    add_member,
    make_article,
    make_assignment,
    make_claim,
    make_mention,
    make_project,
    make_speaker,
    make_user,
)

# Quotes the pre-annotator drafts, then enough paragraphs that the last words sit far below the first screen.
OPENING = (
    "“We will not back down,” Interior Minister Lena Vogt said on Monday.\n\n"
    "Critics warned that the plan would cost too much.\n\n"
    "According to the ministry, the work starts in May.\n\n"
)
FILLER = "Officials said the harbour works would go ahead despite pressure from allies and a long winter. " * 6
CLOSING = "The mayor said the harbour would reopen in spring."
LONG_BODY = OPENING + "\n\n".join([FILLER] * 40) + "\n\n" + CLOSING


@dataclass
class Site:
    manager: object
    project: object
    work: object  # the manager's own open assignment on the long article, with drafted suggestions
    reviewed_article: object
    claim: object
    speaker: object


def build_site() -> Site:
    mia = make_user("mia", is_staff=True, is_superuser=True)
    bob, carol = make_user("bob"), make_user("carol")
    project = make_project(manager=mia, name="Newsroom", annotators_per_article=2)
    for user in (bob, carol):
        add_member(project, user, Role.ANNOTATOR)
    speaker = make_speaker(project, "Lena Vogt", role="Interior Minister", aliases=["Vogt"])
    claim = make_claim(project, "The minister will not back down")
    article = make_article(project, title="Minister stands firm")
    for user, stance, article_stance in ((bob, "support", "neutral"), (carol, "query", "support")):
        done = make_assignment(article, user)
        make_mention(done, "We will not back down", speaker=speaker, claim=claim, stance=stance, quote_type="direct")
        article_stance_set(assignment=done, claim=claim, stance=article_stance)
        assignment_submit(assignment=done)
    long_article = make_article(project, title="Harbour works go ahead", body=LONG_BODY, source="The Courier")
    work = make_assignment(long_article, mia)
    article_preannotate(article=long_article)
    Token.objects.create(user=mia)
    release_enqueue(project=project, user=mia, format="jsonl", scope="all")
    return Site(manager=mia, project=project, work=work, reviewed_article=article, claim=claim, speaker=speaker)


def pages(site: Site) -> dict[str, str]:
    """Every page a person reads, by name (sign-in apart: it is seen signed out)."""
    p = site.project.pk
    return {
        "home": "/",
        "annotate": f"/assignments/{site.work.pk}/",
        "review queue": f"/projects/{p}/review/",
        "review article": f"/review/articles/{site.reviewed_article.pk}/",
        "dashboard": f"/projects/{p}/dashboard/",
        "agreement": f"/projects/{p}/agreement/",
        "data": f"/projects/{p}/data/",
        "assignments": f"/projects/{p}/assignments/",
        "claims": f"/projects/{p}/claims/",
        "claim": f"/claims/{site.claim.pk}/",
        "speakers": f"/projects/{p}/speakers/",
        "speaker": f"/speakers/{site.speaker.pk}/",
        "new project": "/projects/new/",
        "project settings": f"/projects/{p}/settings/",
        "stance labels": f"/projects/{p}/labels/",
        "guidelines": f"/projects/{p}/guidelines/",
        "team": f"/projects/{p}/team/",
        "password change": "/accounts/password/",
        "API token": "/accounts/token/",
    }


def wait_ready(page, name: str) -> None:
    """Pages drawn by a script are checked once it has drawn them."""
    if name == "annotate":
        page.wait_for_selector("#article-body[data-ready=true]")
    elif name == "review article":
        page.wait_for_selector("main[data-ready=true]")


def open_editor_at_the_end(page, site: Site) -> None:
    open_annotate(page, site.work)
    select_text(page, CLOSING)
    page.wait_for_selector("#editor:not([hidden])")


def focus_a_suggestion(page, site: Site) -> None:
    open_annotate(page, site.work)
    page.locator("#suggestion-list li button").first.click()
    page.wait_for_selector("#suggestion-list li.active")


def open_help(page, site: Site) -> None:
    open_annotate(page, site.work)
    page.keyboard.press("?")
    page.wait_for_selector("#help-dialog[open]")


def save_while_offline(page, site: Site) -> None:
    """The warning that stays while a change cannot reach the server."""
    open_editor_at_the_end(page, site)
    page.context.set_offline(True)
    page.keyboard.press("Enter")
    page.wait_for_selector("#status.warn.visible")


ANNOTATE_STATES = {
    "annotate, editor open": open_editor_at_the_end,
    "annotate, suggestion focused": focus_a_suggestion,
    "annotate, help open": open_help,
    "annotate, offline warning": save_while_offline,
}
