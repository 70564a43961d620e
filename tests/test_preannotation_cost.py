"""What pre-annotation costs: time linear in the body whatever it holds, a cost per mention that does not grow
with the speaker catalogue, and a budget per article (PREANNOTATE_MAX_CHARS, PREANNOTATE_MAX_SUGGESTIONS).

No test compares a timing with a wall clock (the machine is shared and noisy). Each compares timings taken in
the same test, each the fastest of a few runs of the process's own CPU time (what other work on the machine
disturbs least), with bounds that a linear pre-annotator meets easily and a quadratic one cannot: a body four
times as long takes a linear one four times as long, a quadratic one sixteen.
"""

# Typographic quotation marks are part of the bodies these tests build.

import json
import re
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from claims.models import Speaker, SpeakerAlias, Suggestion
from claims.preannotation import Catalogue, preannotate, preannotate_within
from claims.preannotation.budget import NOTE_BODY_CUT, NOTE_SUGGESTIONS_CUT
from claims.services.speakers import MAX_ALIASES_PER_SPEAKER, SPEAKER_ALIASES_TOO_MANY
from claims.services.suggestions import article_preannotate
from tests.api import client_for, fingerprint
from tests.builders import make_article, make_speaker

DEV_ARTICLES = settings.BASE_DIR / "tests" / "data" / "preannotation" / "articles.jsonl"
ROUNDS = 5
# A timing shorter than this (seconds) is taken over several runs.
MEASURABLE = 0.05
# A body four times as long may cost at most this many times as much: linear is 4, quadratic 16.
QUADRUPLING_BOUND = 8


def costs(*bodies: str, speakers=()) -> list[float]:
    return timings([(body, speakers) for body in bodies])


def timings(runs: list[tuple[str, object]]) -> list[float]:
    """CPU seconds to pre-annotate each body with its speakers: the fastest of a few rounds (the least disturbed by
    other work), the runs taken in turn in each round so that a busy spell of the machine slows them alike. A
    body that takes a few milliseconds is pre-annotated several times a round: so short a time is mostly noise."""
    repeats = [max(1, min(100, round(MEASURABLE / max(_seconds(body, speakers, 1), 1e-6)))) for body, speakers in runs]
    fastest = [float("inf")] * len(runs)
    for _ in range(ROUNDS):
        for index, (body, speakers) in enumerate(runs):
            fastest[index] = min(fastest[index], _seconds(body, speakers, repeats[index]))
    return fastest


def _seconds(body: str, speakers, repeats: int) -> float:
    started = time.process_time()
    for _ in range(repeats):
        preannotate(body, speakers=speakers)
    return (time.process_time() - started) / repeats


def repeated(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def news(length: int) -> str:
    """Real news prose (the development set's articles, one after another) of about `length` characters."""
    bodies = [json.loads(line)["article"]["body"] for line in DEV_ARTICLES.read_text(encoding="utf-8").splitlines()]
    text = "\n\n".join(bodies)
    while len(text) < length:
        text += "\n\n" + text
    cut = text.rfind("\n\n", 0, length)
    return text[:cut]


# Bodies an issue found to take seconds (quadratic time) where a news article of their length takes a tenth.
PATHOLOGICAL = {
    "a run of one letter before '(said'": lambda n: "a" * (n - len("(said")) + "(said",
    "'said ' repeated": lambda n: repeated("said ", n),
    "'He told ' repeated": lambda n: repeated("He told ", n),
    "'Xx Yy, who ' repeated": lambda n: repeated("Xx Yy, who ", n),
    "'Xx Yy, ' repeated": lambda n: repeated("Xx Yy, ", n),
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_a_pathological_body_costs_about_what_news_of_its_length_costs(name):
    pathological, normal = costs(PATHOLOGICAL[name](10_000), news(10_000))
    assert pathological < 10 * normal


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_a_pathological_body_four_times_as_long_costs_about_four_times_as_much(name):
    short, long = costs(PATHOLOGICAL[name](8_000), PATHOLOGICAL[name](32_000))
    assert long < QUADRUPLING_BOUND * short


def test_a_news_article_four_times_as_long_costs_about_four_times_as_much():
    short, long = costs(news(10_000), news(40_000))
    assert long < QUADRUPLING_BOUND * short


# What bodies are made of: words, names, reporting cues, quotation marks, punctuation, clause words, and long
# runs of one character (the runs are what rules that look back over a stretch of text choke on).
WORDS = [
    "the", "a", "minister", "plan", "of", "on Monday", "also", "reportedly", "has", "was", "1,000", "U.S.",
    "said", "told", "says", "reply", "warned", "according to", "and said", "was quoted as saying", "put it",
    "found that", ", adding that", ", saying", "but insisted that", "told reporters", "that", "who", "which",
    "He", "She", "They", "the company", "Mike Pence", "Anna Berg", "Xx", "Yy", "Mr.", "Senate Majority Leader",
    "John Smith of the University of Bergen", "a spokesman for", "In April,", "Critics",
    "“", "”", '"', "'", "’s", "«", "»", "(", ")", ",", ".", ";", ":", "—", "?", "!", "\n", "\n\n",
]  # fmt: skip
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.builds(lambda char, count: char * count, st.sampled_from("a .,“\"'(-\n"), st.integers(20, 300)),
)


@given(unit=st.lists(PIECES, min_size=1, max_size=10).map(" ".join))
@hypothesis_settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
def test_any_body_four_times_as_long_costs_about_four_times_as_much(unit):
    catalogue = Catalogue([{"name": "Mike Pence", "kind": "person", "aliases": ["Pence"]}])
    short, long = costs(repeated(unit, 5_000), repeated(unit, 20_000), speakers=catalogue)
    assert long < QUADRUPLING_BOUND * short


def crowded_catalogue(speakers: int, aliases: int) -> list[dict]:
    """Many speakers written many ways, the ways sharing words with news prose ('the minister ...')."""
    return [
        {
            "name": f"Speaker Number{index}",
            "kind": "person",
            "role": "minister",
            "aliases": [f"the minister number{index} alias{alias}" for alias in range(aliases)],
        }
        for index in range(speakers)
    ]


def test_a_catalogue_of_100_speakers_with_200_aliases_each_costs_an_article_about_what_an_empty_one_does():
    body = news(5_000)
    crowded, empty = Catalogue(crowded_catalogue(100, 200)), Catalogue([])
    with_crowd, without = timings([(body, crowded), (body, empty)])
    assert with_crowd < 2 * without


def test_a_catalogue_gives_the_same_suggestions_built_once_or_passed_as_speakers():
    speakers = [{"name": "Helena Brandt", "kind": "person", "aliases": ["Brandt"], "role": "Mayor"}]
    body = news(5_000)
    assert preannotate(body, speakers=Catalogue(speakers)) == preannotate(body, speakers=speakers)


def test_a_name_in_the_catalogue_is_found_among_thousands_of_aliases():
    speakers = [*crowded_catalogue(100, 200), {"name": "Helena Brandt", "kind": "person", "aliases": ["Brandt"]}]
    found = preannotate("“We are late,” Brandt said.", speakers=Catalogue(speakers))
    assert [(s.speaker_name, s.speaker_is_new) for s in found] == [("Helena Brandt", False)]


# --- the alias cap ---------------------------------------------------------------------------------------


def too_many_aliases() -> list[str]:
    return [f"Alias {number}" for number in range(MAX_ALIASES_PER_SPEAKER + 1)]


@pytest.mark.django_db
def test_a_speaker_with_more_aliases_than_the_cap_is_refused_and_nothing_is_written(project, alice):
    before = fingerprint()
    answer = client_for(alice).post(
        f"/api/projects/{project.pk}/speakers/", {"name": "Many Names", "aliases": too_many_aliases()}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json() == {"aliases": [SPEAKER_ALIASES_TOO_MANY.format(limit=MAX_ALIASES_PER_SPEAKER)]}
    assert fingerprint() == before


@pytest.mark.django_db
def test_a_speaker_may_have_as_many_aliases_as_the_cap(project, alice):
    aliases = too_many_aliases()[:-1]
    answer = client_for(alice).post(
        f"/api/projects/{project.pk}/speakers/", {"name": "Many Names", "aliases": aliases}, format="json"
    )
    assert answer.status_code == 201 and sorted(answer.json()["aliases"]) == sorted(aliases)


@pytest.mark.django_db
def test_an_edit_past_the_alias_cap_is_refused_and_nothing_is_written(project, alice):
    speaker = make_speaker(project, "Mike Pence", aliases=["Pence"])
    before = fingerprint()
    answer = client_for(alice).patch(f"/api/speakers/{speaker.pk}/", {"aliases": too_many_aliases()}, format="json")
    assert answer.status_code == 400 and list(answer.json()) == ["aliases"]
    assert fingerprint() == before


@pytest.mark.django_db
def test_a_merge_that_would_pass_the_alias_cap_is_refused_and_nothing_is_written(project, alice):
    half = MAX_ALIASES_PER_SPEAKER // 2 + 1
    keep = make_speaker(project, "Recep Tayyip Erdoğan", aliases=[f"Erdoğan {n}" for n in range(half)])
    dupe = make_speaker(project, "President Erdogan", aliases=[f"Erdogan {n}" for n in range(half)])
    before = fingerprint()
    answer = client_for(alice).post(f"/api/speakers/{dupe.pk}/merge/", {"into": keep.pk}, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"into": [SPEAKER_ALIASES_TOO_MANY.format(limit=MAX_ALIASES_PER_SPEAKER)]}
    assert fingerprint() == before
    assert Speaker.objects.get(pk=dupe.pk).merged_into_id is None


# --- the budgets per article -----------------------------------------------------------------------------


def test_a_body_past_the_character_budget_is_drafted_up_to_a_sentence_boundary_and_says_so():
    body = news(8_000)
    result = preannotate_within(body, max_chars=4_000, max_suggestions=1_000)
    read = result.read_chars
    assert 3_000 < read <= 4_000
    assert re.search(r"[.?!][”\"’')\]]*$", body[:read]) and body[read].isspace(), body[read - 20 : read + 20]
    assert result.suggestions and all(s.content.end <= read for s in result.suggestions)
    assert all(s.source.end <= read for s in result.suggestions if s.source is not None)
    assert result.note == NOTE_BODY_CUT.format(read=read, length=len(body), limit=4_000)
    # Well before the cut the drafts are those of the whole body.
    early = [s for s in preannotate(body) if s.content.end < 2_000]
    assert early and [s for s in result.suggestions if s.content.end < 2_000] == early


def test_a_body_within_the_budgets_is_drafted_whole_without_a_note():
    body = news(8_000)
    result = preannotate_within(body, max_chars=len(body), max_suggestions=1_000)
    assert (result.read_chars, result.note, result.suggestions) == (len(body), "", preannotate(body))


def test_suggestions_past_the_budget_are_left_out_in_text_order_and_it_says_so():
    body = news(8_000)
    everything = preannotate(body)
    result = preannotate_within(body, max_chars=len(body), max_suggestions=3)
    assert result.suggestions == everything[:3]
    assert result.note == NOTE_SUGGESTIONS_CUT.format(limit=3, found=len(everything))


def test_a_single_paragraph_with_no_sentence_end_before_the_budget_is_cut_between_words():
    body = "word " * 2_000
    result = preannotate_within(body, max_chars=1_001, max_suggestions=1_000)
    assert result.read_chars <= 1_001 and body[result.read_chars - 1] == "d" and result.note


@pytest.mark.django_db
def test_the_app_drafts_within_the_configured_budgets(project, settings, caplog):
    body = news(8_000)
    article = make_article(project, body=body)
    settings.PREANNOTATE_MAX_CHARS = 4_000
    article_preannotate(article=article)
    drafts = Suggestion.objects.filter(article=article)
    assert drafts.exists() and max(drafts.values_list("end", flat=True)) <= 4_000
    assert "Only the first" in caplog.text
    settings.PREANNOTATE_MAX_CHARS, settings.PREANNOTATE_MAX_SUGGESTIONS = 1_000_000, 2
    article_preannotate(article=article)
    assert Suggestion.objects.filter(article=article).count() == 2


def test_preannotate_file_drafts_within_the_budgets_and_says_what_it_left_out(tmp_path, settings, capsys):
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps({"article": {"body": news(8_000)}}) + "\n", encoding="utf-8")
    settings.PREANNOTATE_MAX_CHARS = 4_000
    call_command("preannotate_file", str(source), str(out))
    [auto] = json.loads(out.read_text(encoding="utf-8"))["annotations"]
    assert auto["mentions"] and max(mention["end"] for mention in auto["mentions"]) <= 4_000
    assert "line 1: Only the first" in capsys.readouterr().err


def test_the_budgets_are_settings_with_documented_defaults():
    assert (settings.PREANNOTATE_MAX_CHARS, settings.PREANNOTATE_MAX_SUGGESTIONS) == (200_000, 1_000)
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert "| `PREANNOTATE_MAX_CHARS` |" in readme and "| `PREANNOTATE_MAX_SUGGESTIONS` |" in readme


@pytest.mark.django_db
def test_a_crowded_catalogue_in_the_database_still_resolves_speakers(project):
    speaker = make_speaker(project, "Helena Brandt", aliases=["Brandt"])
    SpeakerAlias.objects.bulk_create(
        [SpeakerAlias(speaker=make_speaker(project, f"Speaker {n}"), name=f"the minister {n}") for n in range(50)]
    )
    article = make_article(project, body="“We are late,” Brandt said.")
    article_preannotate(article=article)
    assert Suggestion.objects.get(article=article).speaker == speaker
