"""The annotator's day in Chromium: sign in, take an article, label it by clicks and keys, submit."""

import pytest

from claims.models import ArticleStance, Assignment, ClaimMention, Role, Speaker
from tests.browser.conftest import screenshot
from tests.browser.helpers import open_annotate, select_text, wait_saved
from tests.builders import add_member, make_article, make_assignment, make_claim, make_mention, make_project, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PARAGRAPH = (
    "Turkey on Tuesday confirmed it would not withdraw from a deal with Russia.\n\n"
    "“We have made an agreement (with Russia). We are determined. There is nothing like backtracking from that,” "
    "Erdogan was quoted as saying by the official Anadolu news agency.\n"
)


@pytest.fixture
def team():
    manager = make_user("mia")
    project = make_project(
        manager=manager,
        name="Newsroom",
        annotators_per_article=1,
        guidelines="# Rules\n\nMark **every** attributed claim.",
    )
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    return project, bob


def test_a_paragraph_is_annotated_by_clicks_and_keys(page, team, live_server):
    project, bob = team
    article = make_article(project, body=PARAGRAPH, title="Turkey confirms S-400 deal", external_id="s400")

    # Sign in through the form, then start annotating from the home page.
    page.goto("/")
    page.fill("#id_username", "bob")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    page.get_by_role("button", name="Start annotating").click()
    page.wait_for_selector("#article-body[data-ready=true]")
    assert page.inner_text("#article-title") == "Turkey confirms S-400 deal"

    quote = "We have made an agreement (with Russia). We are determined. There is nothing like backtracking from that"
    select_text(page, quote)
    assert page.inner_text("#editor-text") == quote
    assert page.is_checked("input[name=quote_type][value=direct]")  # inside quotation marks

    page.keyboard.press("s")  # the next selection names the speaker…
    select_text(page, "Erdogan")
    page.wait_for_selector("#speaker-input:focus")
    page.keyboard.type("Recep Tayyip Erdoğan")
    page.wait_for_selector("#speaker-options li.create:has-text('Recep Tayyip Erdoğan')")
    page.locator("#speaker-options li.create").click()
    page.wait_for_selector("#mention-list .who:text('Recep Tayyip Erdoğan')")

    page.keyboard.press("c")  # …and the cue
    select_text(page, "was quoted as saying")
    page.keyboard.press("l")  # link a tracked claim
    page.keyboard.type("Turkey will go ahead with the S-400 purchase")
    page.locator("#claim-options li.create:has-text('S-400 purchase')").click()
    assert page.input_value("#claim-create-text") == "Turkey will go ahead with the S-400 purchase"
    page.get_by_role("button", name="Track claim").click()  # a new claim only by its own button
    page.wait_for_selector("#claim-text:text('Turkey will go ahead with the S-400 purchase')")
    page.keyboard.press("1")  # support
    wait_saved(page)

    # The article's own stance toward that claim.
    page.get_by_role("group", name="Article's stance toward: Turkey will go ahead with the S-400 purchase").get_by_role(
        "button", name="Neutral"
    ).click()
    wait_saved(page)
    screenshot(page, "annotate-page")

    page.keyboard.press("Escape")
    page.keyboard.press("Control+Enter")
    page.wait_for_url(f"{live_server.url}/")

    mention = ClaimMention.objects.get(assignment__article=article)
    assert article.body[mention.start : mention.end] == mention.text == quote
    assert (mention.source_text, mention.cue_text) == ("Erdogan", "was quoted as saying")
    assert article.body[mention.source_start : mention.source_end] == "Erdogan"
    assert article.body[mention.cue_start : mention.cue_end] == "was quoted as saying"
    assert (mention.quote_type, mention.stance, mention.claim.text) == (
        "direct",
        "support",
        "Turkey will go ahead with the S-400 purchase",
    )
    assert mention.speaker == Speaker.objects.get(project=project, name="Recep Tayyip Erdoğan")
    assert ArticleStance.objects.get(assignment__article=article).stance == "neutral"
    assert Assignment.objects.get(article=article, annotator=bob).status == "submitted"


UNICODE_BODY = (
    "Flags 🇹🇷🇺🇸 and a family 👨‍👩‍👧 opened the meeting.\n"
    "“Café crème (e\u0301) is back,” said the chef.\n"
    "المتحدث قال إن الاتفاق نهائي.\n"
    "הדובר אמר שהעסקה סגורה.\n"
    "发言人说协议已经完成。\n"
    "Last line with trailing spaces   \n"
)


def stored_spans(article):
    return sorted((m.start, m.end, m.text) for m in ClaimMention.objects.filter(assignment__article=article))


def expected(body, text):
    start = body.index(text)
    return (start, start + len(text), text)


def test_selections_store_code_point_offsets_across_scripts(page, team, sign_in):
    project, bob = team
    article = make_article(project, body=UNICODE_BODY)
    work = make_assignment(article, bob)
    sign_in(bob)
    open_annotate(page, work)

    pieces = ["a family 👨‍👩‍👧 opened", "Café crème (e\u0301) is back", "الاتفاق نهائي", "העסקה סגורה", "协议已经完成"]
    for text in pieces:
        select_text(page, text)
        page.keyboard.press("Enter")
        wait_saved(page)
    assert stored_spans(article) == sorted(expected(UNICODE_BODY, text) for text in pieces)
    for start, end, text in stored_spans(article):
        assert UNICODE_BODY[start:end] == text


def test_selections_never_split_a_character_and_drop_surrounding_space(page, team, sign_in):
    from tests.browser.helpers import select_utf16

    project, bob = team
    article = make_article(project, body=UNICODE_BODY)
    work = make_assignment(article, bob)
    sign_in(bob)
    open_annotate(page, work)
    body_utf16 = UNICODE_BODY.encode("utf-16-le")

    def utf16_index(text, offset_in_text=0):
        prefix = UNICODE_BODY[: UNICODE_BODY.index(text)]
        return len(prefix.encode("utf-16-le")) // 2 + offset_in_text

    # From the middle of the first flag's surrogate pair to the middle of the family (inside its ZWJ sequence).
    select_utf16(page, utf16_index("🇹🇷") + 1, utf16_index("👨‍👩‍👧") + 3)
    page.keyboard.press("Enter")
    # Whitespace and a line break around a selection are trimmed.
    select_utf16(page, utf16_index("Last line") - 1, utf16_index("spaces") + len("spaces") + 3)
    page.keyboard.press("Enter")
    wait_saved(page)
    assert len(body_utf16) // 2 > len(UNICODE_BODY)  # the text really has characters outside the BMP
    assert stored_spans(article) == sorted(
        [
            expected(UNICODE_BODY, "🇹🇷🇺🇸 and a family 👨‍👩‍👧"),
            expected(UNICODE_BODY, "Last line with trailing spaces"),
        ]
    )


def test_offsets_module_agrees_with_python(page, team, sign_in, live_server):
    """The conversion code itself, on text where UTF-16 and code point positions drift apart."""
    project, bob = team
    work = make_assignment(make_article(project, body=UNICODE_BODY), bob)
    sign_in(bob)
    open_annotate(page, work)
    result = page.evaluate(
        """async (text) => {
            const { TextIndex } = await import("/static/annotator/offsets.js");
            const index = new TextIndex(text);
            const spans = [];
            for (const piece of ["🇺🇸", "family 👨‍👩‍👧", "(e\u0301)", "协议"]) {
                const at = text.indexOf(piece);
                spans.push(index.span(at, at + piece.length));
            }
            return { length: index.length, spans };
        }""",
        UNICODE_BODY,
    )
    assert result["length"] == len(UNICODE_BODY)
    assert [(s["start"], s["end"], s["text"]) for s in result["spans"]] == [
        expected(UNICODE_BODY, piece) for piece in ["🇺🇸", "family 👨‍👩‍👧", "(e\u0301)", "协议"]
    ]


def test_keyboard_only_stance_and_submit(page, team, sign_in, live_server):
    project, bob = team
    article = make_article(project, body=PARAGRAPH)
    work = make_assignment(article, bob)
    claim = make_claim(project, "Turkey will go ahead with the S-400 purchase")
    mention = make_mention(work, "We are determined", claim=claim)
    sign_in(bob)
    open_annotate(page, work)
    page.keyboard.press("j")  # open the first mention
    page.wait_for_selector("#editor:not([hidden])")
    page.keyboard.press("2")  # refute
    page.keyboard.press("i")  # indirect, just to show more than one key
    wait_saved(page)
    page.keyboard.press("Control+Enter")
    # No speaker: the check asks first, and Enter submits anyway.
    page.wait_for_selector("#submit-dialog[open] #submit-gaps:has-text('1 mention without a speaker')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    mention.refresh_from_db()
    assert (mention.stance, mention.quote_type) == ("refute", "indirect")
    assert Assignment.objects.get(pk=work.pk).status == "submitted"


def test_shift_arrows_adjust_the_selection(page, team, sign_in):
    project, bob = team
    article = make_article(project, body=PARAGRAPH)
    work = make_assignment(article, bob)
    sign_in(bob)
    open_annotate(page, work)
    select_text(page, "We are determine")
    page.keyboard.press("Shift+ArrowRight")  # one more character: the missing "d"
    assert page.inner_text("#editor-text") == "We are determined"
    page.keyboard.press("Enter")
    wait_saved(page)
    assert stored_spans(article) == [expected(PARAGRAPH, "We are determined")]


def test_skip_with_a_reason(page, team, sign_in, live_server):
    project, bob = team
    work = make_assignment(make_article(project, body=PARAGRAPH), bob)
    sign_in(bob)
    open_annotate(page, work)
    page.click("#skip-button")
    page.fill("#skip-reason", "Opinion piece, not news")
    page.get_by_role("button", name="Skip article").click()
    page.wait_for_url(f"{live_server.url}/")
    work.refresh_from_db()
    assert (work.status, work.skip_reason) == ("skipped", "Opinion piece, not news")


def test_after_submit_the_next_article_opens(page, team, sign_in, live_server):
    project, bob = team
    first = make_assignment(make_article(project, body=PARAGRAPH, external_id="first"), bob)
    second_article = make_article(project, body="Second article text.", external_id="second")
    sign_in(bob)
    open_annotate(page, first)
    page.click("#submit-button")
    page.wait_for_selector("#article-body[data-ready=true]:has-text('Second article text.')")
    assert Assignment.objects.get(article=second_article, annotator=bob).status == "assigned"


def test_a_long_selection_is_matched_whole_against_the_tracked_claims(page, team, sign_in):
    """A quote of 400 characters (past the old 200-character limit of `similar_to`) still gets its
    claim suggested: the page sends the whole selection."""
    project, bob = team
    claim = make_claim(project, "Sanctions on the S-400 purchase will cripple the Turkish defence industry")
    long_quote = (
        "The senator said that the sanctions which Washington is preparing over the S-400 purchase would, "
        "in the view of most analysts in Ankara and in Brussels, cripple the Turkish defence industry for "
        "a decade, because its factories depend on American engines, American software and American "
        "spare parts, and because no other supplier could replace them quickly enough to keep the "
        "production lines of the country's drones, helicopters and armoured vehicles running."
    )
    assert len(long_quote) > 400
    article = make_article(project, body=long_quote + "\n", external_id="long")
    assignment = make_assignment(article, bob)
    sign_in(bob)
    open_annotate(page, assignment)
    select_text(page, long_quote)
    wait_saved(page)
    page.keyboard.press("l")
    page.locator("#claim-options li", has_text=claim.text).wait_for()
