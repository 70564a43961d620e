"""A long article with many mentions stays usable: everything renders and a new label still works.

Timings are printed for the record (bench/README.md), never asserted: the machines are noisy.
"""

import random

import pytest

from claims.models import ClaimMention, Role
from claims.services.labels import mention_create
from tests.browser.helpers import open_annotate, select_text, wait_saved
from tests.builders import add_member, make_article, make_assignment, make_project, make_user

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = ["officials", "said", "the", "deal", "would", "go", "ahead", "despite", "pressure", "from", "allies",
         "minister", "warned", "that", "sanctions", "could", "follow", "🚀", "café", "Ankara"]  # fmt: skip


def long_body(words: int = 20_000) -> str:
    rng = random.Random(7)
    out = []
    for i in range(words):
        out.append(rng.choice(WORDS))
        out.append("\n\n" if i % 120 == 119 else " ")
    return "".join(out) + "The closing sentence is here.\n"


def test_twenty_thousand_words_and_five_hundred_mentions(page, sign_in):
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    body = long_body()
    work = make_assignment(make_article(project, body=body), bob)
    step = len(body) // 500
    for i in range(500):
        start = i * step
        mention_create(assignment=work, start=start, end=start + 6, text=body[start : start + 6])
    sign_in(bob)

    open_annotate(page, work)
    load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].duration")
    assert page.locator("#mention-list li").count() == 500
    assert page.locator("#article-body .hl-content").count() >= 500

    started = page.evaluate("performance.now()")
    select_text(page, "The closing sentence is here")
    page.keyboard.press("Enter")
    wait_saved(page)
    label_ms = page.evaluate("performance.now()") - started
    assert ClaimMention.objects.filter(assignment=work, text__startswith="The closing sentence is here").count() == 1
    print(f"\n[scale] page load {load_ms:.0f} ms; select + save one label {label_ms:.0f} ms (500 mentions, 20k words)")
