"""A project whose every user-typed text field carries markup payloads, with work in every state,
so every page has something hostile to render."""

from __future__ import annotations

from dataclasses import dataclass

from claims.models import Role
from claims.services.assignments import assignment_reopen, assignment_submit
from claims.services.labels import article_stance_set
from claims.services.review import gold_get_or_create, gold_mention_copy
from claims.services.suggestions import article_preannotate
from tests.builders import add_member, make_article, make_assignment, make_claim, make_mention, make_project, make_user

SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src=x onerror="alert(1)">'
LINK = '<a href="javascript:alert(2)">click</a>'
PAYLOAD = f"{SCRIPT}{IMG}{LINK}"
RAW_MARKERS = ["<script>alert", "<img src=x onerror", 'href="javascript:']


@dataclass
class HostileWorld:
    project: object
    manager: object
    annotator: object
    reviewer: object
    article: object
    work: object
    claim: object
    speaker: object


def build_hostile_world() -> HostileWorld:
    manager, annotator, other, reviewer = (make_user(n) for n in ("mia", "bob", "carol", "rita"))
    labels = [
        {"value": "pro", "name": f"Pro {SCRIPT}", "shortcut": "1", "fnc1": "agree", "emergent": "for",
         "semeval": "FAVOR"},
        {"value": "contra", "name": f"Contra {IMG}", "shortcut": "2", "fnc1": "disagree", "emergent": "against",
         "semeval": "AGAINST"},
    ]  # fmt: skip
    project = make_project(manager=manager, name=f"Project {PAYLOAD}", guidelines=f"# Rules\n\n{PAYLOAD}",
                           stance_labels=labels)  # fmt: skip
    add_member(project, annotator, Role.ANNOTATOR)
    add_member(project, other, Role.ANNOTATOR)
    add_member(project, reviewer, Role.REVIEWER)
    body = f"Hello {PAYLOAD} world. “We won,” said the mayor. {SCRIPT}\n"
    article = make_article(project, body=body, title=f"Title {PAYLOAD}", source=f"Source {PAYLOAD}",
                           author=f"Author {IMG}", external_id=f"ext-{SCRIPT}")  # fmt: skip
    from claims.services.speakers import speaker_create

    speaker = speaker_create(project=project, name=f"Mayor {PAYLOAD}", aliases=[f"alias {SCRIPT}"], role=f"Role {IMG}")
    claim = make_claim(project, f"Claim {PAYLOAD}", notes=f"Notes {PAYLOAD}")
    work = make_assignment(article, annotator)
    make_mention(work, "We won", speaker=speaker, claim=claim, stance="pro")
    article_stance_set(assignment=work, claim=claim, stance="contra")
    done = make_assignment(article, other)
    gold_source = make_mention(done, "We won", speaker=speaker, claim=claim, stance="contra")
    assignment_submit(assignment=done)
    assignment_reopen(assignment=done, comment=f"Comment {PAYLOAD}")
    assignment_submit(assignment=done)
    gold, _ = gold_get_or_create(article=article, reviewer=reviewer)
    gold_mention_copy(gold=gold, mention=gold_source)
    article_preannotate(article=article)
    return HostileWorld(project, manager, annotator, reviewer, article, work, claim, speaker)


def pages(world: HostileWorld) -> list[tuple[str, object]]:
    """(path, user) for every page a person can open."""
    p, a = world.project.pk, world.article.pk
    return [
        ("/", world.annotator),
        (f"/assignments/{world.work.pk}/", world.annotator),
        (f"/projects/{p}/review/", world.reviewer),
        (f"/review/articles/{a}/", world.reviewer),
        (f"/projects/{p}/dashboard/", world.manager),
        (f"/projects/{p}/agreement/", world.manager),
        (f"/projects/{p}/claims/", world.annotator),
        (f"/claims/{world.claim.pk}/", world.reviewer),
        (f"/projects/{p}/speakers/", world.reviewer),
        (f"/speakers/{world.speaker.pk}/", world.reviewer),
        (f"/projects/{p}/data/", world.manager),
        (f"/projects/{p}/assignments/", world.manager),
        ("/projects/new/", world.manager),
        (f"/projects/{p}/settings/", world.manager),
        (f"/projects/{p}/labels/", world.manager),
        (f"/projects/{p}/guidelines/", world.manager),
        (f"/projects/{p}/team/", world.reviewer),
        (f"/projects/{p}/team/", world.manager),
    ]
