"""Undo and redo on the annotate page: every change (a field, a delete, a new mention, an accept, a reject, the
article's stance) is taken back with Ctrl+Z and made again with Ctrl+Shift+Z or Ctrl+Y, each step a real
request with If-Match; an undo that meets someone else's newer version says so and overwrites nothing."""

import pytest

from claims.models import ArticleStance, ClaimMention, Role, Suggestion, SuggestionDecision
from claims.services.labels import mention_update
from claims.services.suggestions import article_preannotate
from tests.browser.helpers import open_annotate, select_text, wait_saved
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

pytestmark = pytest.mark.django_db(transaction=True)

BODY = (
    "“We will not back down,” Interior Minister Lena Vogt said on Monday.\n\n"
    "Critics warned that the plan would cost too much.\n\n"
    "According to the ministry, the work starts in May.\n"
)


@pytest.fixture
def desk():
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    vogt = make_speaker(project, "Lena Vogt", role="Interior Minister")
    article = make_article(project, body=BODY)
    article_preannotate(article=article)
    work = make_assignment(article, bob)
    claim = make_claim(project, "The plan stands")
    make_mention(work, "We will not back down", speaker=vogt, claim=claim, stance="support")
    return project, bob, work


def track_writes(page) -> list[tuple[str, str, str | None]]:
    """Every write the page sends: (method, path, If-Match)."""
    sent = []
    page.on(
        "request",
        lambda r: r.method != "GET" and sent.append((r.method, r.url.split("/", 3)[3], r.headers.get("if-match"))),
    )
    return sent


def press(page, key: str) -> None:
    page.keyboard.press(key)
    wait_saved(page)


def state(work) -> list[tuple]:
    return sorted(
        ClaimMention.objects.filter(assignment=work).values_list("text", "quote_type", "stance", "claim__text")
    )


def test_changes_deletes_and_new_mentions_are_undone_and_redone_by_key(page, desk, sign_in):
    project, bob, work = desk
    sign_in(bob)
    open_annotate(page, work)
    sent = track_writes(page)
    quote = ("We will not back down", "direct", "support", "The plan stands")

    page.keyboard.press("j")
    press(page, "m")
    press(page, "2")
    assert state(work) == [(quote[0], "mixed", "refute", quote[3])]
    press(page, "Control+z")
    assert state(work) == [(quote[0], "mixed", "support", quote[3])]
    press(page, "Control+z")
    assert state(work) == [quote]
    press(page, "Control+Shift+z")
    assert state(work) == [(quote[0], "mixed", "support", quote[3])]
    press(page, "Control+y")
    assert state(work) == [(quote[0], "mixed", "refute", quote[3])]

    press(page, "Delete")
    assert state(work) == []
    press(page, "Control+z")
    assert state(work) == [(quote[0], "mixed", "refute", quote[3])]
    assert page.inner_text("#editor-text") == quote[0]  # an undo opens what it brought back
    press(page, "Control+y")
    assert state(work) == []
    press(page, "Control+z")

    # A span of the mention: the cue marked, then taken back.
    page.keyboard.press("c")
    select_text(page, "said")
    wait_saved(page)
    assert ClaimMention.objects.get(assignment=work).cue_text == "said"
    press(page, "Control+z")
    assert ClaimMention.objects.get(assignment=work).cue_text is None
    press(page, "Control+y")
    assert ClaimMention.objects.get(assignment=work).cue_text == "said"
    press(page, "Control+z")

    select_text(page, "said on Monday")
    press(page, "Enter")
    assert len(state(work)) == 2
    press(page, "Control+z")
    assert state(work) == [(quote[0], "mixed", "refute", quote[3])]
    press(page, "Control+Shift+z")
    assert [row[0] for row in state(work)] == ["We will not back down", "said on Monday"]

    changes = [(method, path, if_match) for method, path, if_match in sent if method in ("PATCH", "DELETE")]
    assert len(changes) >= 8
    assert all(if_match for _method, _path, if_match in changes), changes


def test_accepts_rejects_and_the_articles_stance_are_undone_and_redone(page, desk, sign_in):
    project, bob, work = desk
    sign_in(bob)
    open_annotate(page, work)
    sent = track_writes(page)

    def decision(text):
        found = SuggestionDecision.objects.filter(assignment=work, suggestion__text=text).first()
        return found.decision if found else None

    page.get_by_role("button", name="Accept suggestion: the plan would cost too much").click()
    wait_saved(page)
    assert decision("the plan would cost too much") == "accepted"
    press(page, "Control+z")
    assert decision("the plan would cost too much") is None
    assert not ClaimMention.objects.filter(text="the plan would cost too much").exists()
    assert page.locator("#suggestion-list li.active .what").inner_text() == "“the plan would cost too much”"
    press(page, "Control+y")
    assert decision("the plan would cost too much") == "accepted"
    assert ClaimMention.objects.get(text="the plan would cost too much").speaker.name == "Critics"

    page.get_by_role("button", name="Reject suggestion: the work starts in May").click()
    wait_saved(page)
    assert decision("the work starts in May") == "rejected"
    press(page, "Control+z")
    assert decision("the work starts in May") is None
    assert Suggestion.objects.pending_for(work).filter(text="the work starts in May").exists()
    press(page, "Control+Shift+z")
    assert decision("the work starts in May") == "rejected"

    row = page.get_by_role("group", name="Article's stance toward: The plan stands")
    row.get_by_role("button", name="Neutral").click()
    wait_saved(page)
    row.get_by_role("button", name="Refute").click()
    wait_saved(page)
    assert ArticleStance.objects.get(assignment=work).stance == "refute"
    press(page, "Control+z")
    assert ArticleStance.objects.get(assignment=work).stance == "neutral"
    press(page, "Control+z")
    assert not ArticleStance.objects.filter(assignment=work).exists()
    press(page, "Control+y")
    assert ArticleStance.objects.get(assignment=work).stance == "neutral"

    undone = [(method, path, if_match) for method, path, if_match in sent if "/decision/" in path]
    assert [method for method, _path, _if_match in undone] == ["DELETE", "DELETE"]
    assert undone[0][2] == '"1"' and undone[1][2] == "*"  # the accepted mention's version; a rejection has none
    assert all(if_match for method, _path, if_match in sent if method in ("PATCH", "DELETE"))


def test_an_undo_that_meets_someone_elses_change_says_so_and_overwrites_nothing(page, desk, sign_in):
    project, bob, work = desk
    sign_in(bob)
    open_annotate(page, work)
    page.keyboard.press("j")
    press(page, "m")
    mention = ClaimMention.objects.get(assignment=work)
    mention_update(mention=mention, stance="neutral")  # another tab, another person: version 3

    press(page, "Control+z")
    page.wait_for_selector("#status.warn:has-text('Not undone: Someone else changed this mention meanwhile')")
    assert state(work) == [("We will not back down", "mixed", "neutral", "The plan stands")]
    page.wait_for_function("() => document.querySelector('#mention-list .tags').textContent.includes('neutral')")
    # The refused step is gone: nothing replays the stale state.
    press(page, "Control+y")
    assert page.inner_text("#status") == "Nothing to redo."
    assert state(work) == [("We will not back down", "mixed", "neutral", "The plan stands")]


def test_a_hundred_and_ten_steps_are_undone(page, desk, sign_in):
    project, bob, work = desk
    sign_in(bob)
    open_annotate(page, work)
    page.keyboard.press("j")
    for step in range(110):
        page.keyboard.press("im"[step % 2])
    wait_saved(page)
    assert state(work)[0][1] == "mixed"
    for _ in range(110):
        page.keyboard.press("Control+z")
    wait_saved(page)
    assert state(work) == [("We will not back down", "direct", "support", "The plan stands")]
    page.keyboard.press("Control+z")
    assert page.inner_text("#status") == "Nothing to undo."


HISTORY = """async (src) => {
  const { History } = await import(src);
  const log = [];
  const step = (name) => ({ label: name, keys: [name], undo: () => log.push(`undo ${name}`),
                            redo: () => log.push(`redo ${name}`) });
  const history = new History();
  // A bulk action: many changes, one step, undone last-first and redone first-first.
  history.group("bulk", () => ["a", "b", "c"].forEach((name) => history.record(step(name))));
  history.record(step("d"));
  history.undo();
  history.undo();
  history.redo();
  // What a replay records is not a step of its own.
  history.record({ label: "e", undo: () => history.record(step("ignored")), redo() {} });
  history.undo();
  const afterReplay = history.canRedo && history.undo().label === "bulk";
  // A step touching a thing the server refused is forgotten, on both stacks.
  history.forget("b");
  const forgotten = history.redo().label === "e" && !history.canRedo;
  let kept = 0;
  const deep = new History();
  for (let i = 0; i < 600; i++) deep.record({ label: String(i), undo() {}, redo() {} });
  while (deep.undo()) kept += 1;
  return { log, afterReplay, forgotten, kept };
}"""


def test_a_bulk_action_is_one_step_and_a_visit_keeps_five_hundred(page, desk, sign_in):
    project, bob, work = desk
    sign_in(bob)
    open_annotate(page, work)
    source = page.evaluate("document.querySelector('script[type=module]').src").replace("annotate.js", "undo.js")
    found = page.evaluate(HISTORY, source)
    bulk_undone = ["undo c", "undo b", "undo a"]
    assert found["log"] == ["undo d", *bulk_undone, "redo a", "redo b", "redo c", *bulk_undone]
    assert found["afterReplay"] and found["forgotten"]
    assert found["kept"] == 500


def test_moving_a_span_edge_is_one_step_of_undo_and_redo(page, desk, sign_in):
    _project, bob, work = desk
    sign_in(bob)
    open_annotate(page, work)
    mention = ClaimMention.objects.get(assignment=work)

    page.keyboard.press("j")
    press(page, "Alt+Shift+ArrowLeft")  # the end a word back: "We will not back"
    moved = ClaimMention.objects.get(pk=mention.pk)
    assert (moved.text, moved.speaker_id, moved.claim_id, moved.stance) == (
        "We will not back",
        mention.speaker_id,
        mention.claim_id,
        "support",
    )
    press(page, "Control+z")
    back = ClaimMention.objects.get(pk=mention.pk)
    assert (back.start, back.end, back.text) == (mention.start, mention.end, mention.text)
    press(page, "Control+y")
    assert ClaimMention.objects.get(pk=mention.pk).text == "We will not back"
