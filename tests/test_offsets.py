"""The offsets rule: code points, half-open, text == body[start:end], checked the same in Python and PostgreSQL."""

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims import offsets
from claims.models import ClaimMention
from claims.offsets import normalise_newlines, span_problems
from tests.builders import make_article, make_assignment

BODY = "Flag 🇹🇷, family 👨‍👩‍👧, café (e\u0301), 中文, العربية, עברית.\nEnd."


@pytest.mark.parametrize(
    ("start", "end", "text", "message"),
    [
        ("0", 4, "Flag", offsets.SPAN_NOT_INTEGER),
        (0.0, 4, "Flag", offsets.SPAN_NOT_INTEGER),
        (True, 4, "Flag", offsets.SPAN_NOT_INTEGER),
        (-1, 4, "Flag", offsets.SPAN_NEGATIVE),
        (0, 2**31, "Flag", offsets.SPAN_TOO_LARGE),
        (4, 0, "Flag", offsets.SPAN_REVERSED),
        (4, 4, "", offsets.SPAN_REVERSED),
        (0, len(BODY) + 1, BODY + " ", offsets.SPAN_OUTSIDE_BODY.format(end=len(BODY) + 1, length=len(BODY))),
        (0, 4, None, offsets.SPAN_TEXT_MISSING),
        (0, 4, "flag", offsets.SPAN_TEXT_MISMATCH.format(start=0, end=4, actual="Flag")),
    ],
)
def test_bad_spans_are_named(start, end, text, message):
    assert span_problems(BODY, start, end, text) == [message]


def test_emoji_count_as_code_points_not_utf16_units():
    start = BODY.index("family")
    # 🇹🇷 is two code points (four UTF-16 units): UTF-16 offsets would be off by two here.
    assert span_problems(BODY, start, start + 6, "family") == []
    utf16_start = len(BODY[:start].encode("utf-16-le")) // 2
    assert span_problems(BODY, utf16_start, utf16_start + 6, "family") != []


def test_newlines_are_normalised_and_nothing_else():
    assert normalise_newlines("a\r\nb\rc\nd\u2028e  ") == "a\nb\nc\nd\u2028e  "


# PostgreSQL text cannot hold NUL; everything else must slice identically in both.
_text = st.text(alphabet=st.characters(blacklist_characters="\x00\r", blacklist_categories=["Cs"]), min_size=1).filter(
    lambda s: s.strip()
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_text, data=st.data())
def test_postgres_and_python_agree_on_every_span(project, bob, body, data):
    start = data.draw(st.integers(0, len(body) - 1))
    end = data.draw(st.integers(start + 1, len(body)))
    with transaction.atomic():
        article = make_article(project, body=body)
        assignment = make_assignment(article, bob)
        mention = ClaimMention.objects.create(
            assignment=assignment, start=start, end=end, text=body[start:end], quote_type="direct"
        )
        assert ClaimMention.objects.get(pk=mention.pk).text == body[start:end]
        shifted = body[start:end][1:] + "x"
        if shifted != body[start:end]:
            with pytest.raises(IntegrityError), transaction.atomic():
                ClaimMention.objects.create(
                    assignment=assignment, start=start, end=end, text=shifted, quote_type="direct"
                )
        transaction.set_rollback(True)
