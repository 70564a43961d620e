"""A long article with hundreds of drafted attributions: the Mentions panel is in reach, the suggestions are
grouped, fold and unfold by key, and a group is accepted or rejected in one step.

Timings are in bench/annotate_long_article.py (bench/README.md), never asserted here.
"""

import random

import pytest

from claims.models import Role, Suggestion
from claims.services.suggestions import article_preannotate, suggestion_accept
from tests.api import client_for
from tests.browser.helpers import open_annotate, wait_saved
from tests.builders import add_member, make_article, make_assignment, make_project, make_speaker, make_user

pytestmark = pytest.mark.django_db(transaction=True)

SPEAKERS = ["Lena Vogt", "Omar Haddad", "Chen Wei"]
QUOTES = ["We will not back down", "The plan will cost too much", "Talks resume in May", "Prices will fall soon",
          "Nobody wanted this crisis", "The alliance stands united"]  # fmt: skip
FILLER = ["Markets were calm on Tuesday.", "The ministry published figures.", "Analysts expect a decision soon."]


def long_body(paragraphs: int = 160) -> str:
    """News prose with a direct or an indirect quote by one of SPEAKERS in every sentence pair (~40,000 characters)."""
    rng = random.Random(14)
    out = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(2):
            name, quote = rng.choice(SPEAKERS), rng.choice(QUOTES)
            if rng.random() < 0.7:
                sentences.append(f"“{quote},” {name} said.")
            else:
                sentences.append(f"{name} warned that {quote[0].lower()}{quote[1:]}.")
            sentences.append(rng.choice(FILLER))
        out.append(" ".join(sentences))
    return "\n\n".join(out) + "\n"


@pytest.fixture
def long_work():
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    for name in SPEAKERS:
        make_speaker(project, name)
    article = make_article(project, body=long_body())
    work = make_assignment(article, bob)
    article_preannotate(article=article)
    drafts = list(Suggestion.objects.filter(article=article).order_by("start"))
    assert len(drafts) > 300
    for draft in drafts[::10]:  # some already accepted: the article has mentions too
        suggestion_accept(suggestion=draft, assignment=work)
    return bob, work


def api_mentions(user, work) -> list[dict]:
    page = client_for(user).get(f"/api/assignments/{work.pk}/mentions/?page_size=500").json()
    assert page["next"] is None
    return page["results"]


def api_pending(user, work) -> list[dict]:
    pending = client_for(user).get(f"/api/assignments/{work.pk}/suggestions/").json()
    assert all(s["speaker"] for s in pending)  # every name in this article is in the catalogue
    return pending


def test_the_mentions_panel_is_in_sight_above_the_suggestions(page, sign_in, long_work):
    bob, work = long_work
    sign_in(bob)
    open_annotate(page, work)

    height = page.viewport_size["height"]
    mentions = page.locator("#mentions-title").bounding_box()
    suggestions = page.locator("#suggestions-title").bounding_box()
    assert mentions["y"] + mentions["height"] <= height  # no scrolling at all to reach it
    assert mentions["y"] < suggestions["y"] <= height  # and the suggestions begin in sight below it
    assert page.locator("#mention-list li").first.is_visible()
    assert page.evaluate("document.querySelector('.sidebar').scrollTop") == 0
    assert page.locator("#mention-list li").count() == len(api_mentions(bob, work))


def test_groups_fold_and_unfold_with_keys(page, sign_in, long_work):
    bob, work = long_work
    sign_in(bob)
    open_annotate(page, work)
    groups = page.locator("#suggestion-list .suggestion-group")
    assert groups.count() == len(SPEAKERS)  # grouped by speaker
    first = groups.nth(0)
    toggle = first.locator(".group-toggle")
    name = first.locator(".group-name").inner_text()
    assert toggle.get_attribute("aria-expanded") == "true"
    in_group = sum(1 for s in api_pending(bob, work) if s["speaker"]["name"] == name)
    assert first.locator("li").count() == in_group

    page.locator("#article-body").focus()
    page.keyboard.press("n")  # the first suggestion opens; its card has the focus
    assert page.evaluate("document.activeElement.closest('li').dataset.suggestion") is not None
    assert first.locator("li.active").count() == 1
    page.keyboard.press("g")  # its group folds
    assert toggle.get_attribute("aria-expanded") == "false"
    assert first.locator("li").count() == 0
    assert page.evaluate("document.activeElement.classList.contains('group-toggle')")
    page.keyboard.press("ArrowRight")  # unfolds, as in a tree
    assert toggle.get_attribute("aria-expanded") == "true" and first.locator("li").count() == in_group
    page.keyboard.press("ArrowLeft")  # folds again
    assert toggle.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")  # on to the next group's heading
    second = groups.nth(1).locator(".group-toggle")
    assert second.evaluate("(e) => e === document.activeElement")
    page.keyboard.press("ArrowLeft")
    assert second.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")  # a heading is a button
    assert second.get_attribute("aria-expanded") == "true"

    # By quote type: the groups are direct, indirect (no mixed quotes in this article).
    page.select_option("#suggestion-grouping", "quote_type")
    assert page.locator("#suggestion-list .group-name").all_inner_texts() == ["Direct quotes", "Indirect quotes"]
    assert page.locator("#suggestion-list li").count() == len(api_pending(bob, work))


def test_bulk_actions_create_the_right_mentions(page, sign_in, long_work):
    bob, work = long_work
    sign_in(bob)
    open_annotate(page, work)
    before = {(m["start"], m["end"]) for m in api_mentions(bob, work)}
    pending = api_pending(bob, work)
    vogt = [s for s in pending if s["speaker"]["name"] == "Lena Vogt"]

    # "Accept all of Lena Vogt": one request, a mention for each of her drafts.
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/suggestions/" in r.url else None)
    page.get_by_role("button", name=f"Accept all {len(vogt)} of Lena Vogt").click()
    wait_saved(page)
    page.wait_for_selector("#suggestion-list .group-name:text('Lena Vogt')", state="detached")
    assert [url.split("/api/")[1] for url in requests] == [f"assignments/{work.pk}/suggestions/decisions/"]
    mentions = api_mentions(bob, work)
    made = {(m["start"], m["end"]): m for m in mentions if (m["start"], m["end"]) not in before}
    assert sorted(made) == sorted((s["start"], s["end"]) for s in vogt)
    for s in vogt:
        mention = made[(s["start"], s["end"])]
        assert (mention["text"], mention["speaker"]["name"], mention["quote_type"]) == (
            s["text"], "Lena Vogt", s["quote_type"])  # fmt: skip
    assert page.locator("#mention-list li").count() == len(mentions)

    # "Accept all direct quotes", then "Reject the rest": nothing is left pending, the indirect ones were not taken.
    direct = [s for s in api_pending(bob, work) if s["quote_type"] == "direct"]
    page.get_by_role("button", name=f"Accept all direct quotes ({len(direct)})").click()
    wait_saved(page)
    rest = api_pending(bob, work)
    assert rest and {s["quote_type"] for s in rest} == {"indirect"}
    page.get_by_role("button", name=f"Reject the rest ({len(rest)})").click()
    wait_saved(page)
    assert api_pending(bob, work) == []
    assert page.is_hidden("#suggestions-panel")
    spans = {(m["start"], m["end"]) for m in api_mentions(bob, work)}
    assert spans == before | {(s["start"], s["end"]) for s in vogt + direct}


def test_a_bulk_accept_is_one_step_of_undo_and_redo(page, sign_in, long_work):
    bob, work = long_work
    sign_in(bob)
    open_annotate(page, work)
    before = sorted((m["start"], m["end"]) for m in api_mentions(bob, work))
    pending = sorted(s["id"] for s in api_pending(bob, work))
    vogt = [s for s in api_pending(bob, work) if s["speaker"]["name"] == "Lena Vogt"]

    page.get_by_role("button", name=f"Accept all {len(vogt)} of Lena Vogt").click()
    wait_saved(page)
    assert len(api_mentions(bob, work)) == len(before) + len(vogt)

    page.locator("#article-body").focus()
    page.keyboard.press("Control+z")  # one step takes every decision back, and the mentions it made
    wait_saved(page)
    assert sorted((m["start"], m["end"]) for m in api_mentions(bob, work)) == before
    assert sorted(s["id"] for s in api_pending(bob, work)) == pending
    assert page.locator("#suggestion-list .group-name", has_text="Lena Vogt").count() == 1

    page.keyboard.press("Control+y")  # and one makes it again
    wait_saved(page)
    assert len(api_mentions(bob, work)) == len(before) + len(vogt)
    assert len(api_pending(bob, work)) == len(pending) - len(vogt)

    page.keyboard.press("Control+z")  # the step redone is undone with the mentions the redo made
    wait_saved(page)
    assert sorted((m["start"], m["end"]) for m in api_mentions(bob, work)) == before
