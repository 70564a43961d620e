"""Inter-annotator agreement (claims.agreement): the coefficients against published worked examples,
span matching, the matching of mentions into units, and the database loader end to end."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.agreement import (
    MentionLabel,
    Submission,
    agreement_report,
    article_stance_units,
    cohen_kappa,
    coincidence_matrix,
    exact_matches,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    mention_units,
    overlap_matches,
    percent_agreement,
    project_agreement,
    span_agreement,
)
from claims.agreement.coefficients import pairwise_cohen_kappa
from claims.models import Role
from claims.services.assignments import assignment_submit
from claims.services.labels import article_stance_set
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

# --- Published worked examples --------------------------------------------------------------------------------------


def units_from_rows(rows: dict[str, str]) -> list[dict[str, str]]:
    """Reliability data as in the literature: one row per coder, '.' for a missing value."""
    width = len(next(iter(rows.values())).split())
    units: list[dict[str, str]] = [{} for _ in range(width)]
    for coder, row in rows.items():
        for unit, value in zip(units, row.split(), strict=True):
            if value != ".":
                unit[coder] = value
    return units


def units_from_counts(table: list[list[int]]) -> list[dict[str, str]]:
    """Fleiss-style data (per subject, how many raters chose each category) as units of named raters."""
    units = []
    for row in table:
        values = [str(category) for category, n in enumerate(row, start=1) for _ in range(n)]
        units.append({f"rater{i}": value for i, value in enumerate(values)})
    return units


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 coders, 12 units, missing values.
KRIPPENDORFF_2011 = units_from_rows(
    {
        "A": "1 2 3 3 2 1 4 1 2 . . .",
        "B": "1 2 3 3 2 2 4 1 2 5 . 3",
        "C": ". 3 3 3 2 3 4 2 2 5 1 .",
        "D": "1 2 3 3 2 4 4 1 2 5 1 .",
    }
)

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters each, 5 categories.
FLEISS_WIKIPEDIA = units_from_counts(
    [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
)


def test_krippendorff_alpha_matches_the_2011_nominal_example_with_four_coders_and_missing_values():
    assert krippendorff_alpha_nominal(KRIPPENDORFF_2011) == pytest.approx(0.743, abs=5e-4)


def test_coincidence_matrix_matches_the_2011_example():
    confusion = coincidence_matrix(KRIPPENDORFF_2011)
    assert confusion["labels"] == ["1", "2", "3", "4", "5"]
    # The paper's matrix (unit 12, with one value, is not pairable): 40 pairable values in all.
    expected = [
        [7, 4 / 3, 1 / 3, 1 / 3, 0],
        [4 / 3, 10, 4 / 3, 1 / 3, 0],
        [1 / 3, 4 / 3, 8, 1 / 3, 0],
        [1 / 3, 1 / 3, 1 / 3, 4, 0],
        [0, 0, 0, 0, 3],
    ]
    for row, expected_row in zip(confusion["matrix"], expected, strict=True):
        assert row == pytest.approx(expected_row)
    assert sum(map(sum, confusion["matrix"])) == pytest.approx(40)


def test_krippendorff_alpha_of_two_coders_matches_a_hand_computation():
    # Values: a five times, b five times (n = 10); one disagreeing unit gives o_ab = o_ba = 1.
    # D_o = 2/10, D_e = 2 * 5 * 5 / (10 * 9) = 5/9, alpha = 1 - (1/5) / (5/9) = 0.64.
    units = [{"x": "a", "y": "a"}, {"x": "a", "y": "b"}, {"x": "b", "y": "b"}, {"x": "b", "y": "b"}]
    units.append({"x": "a", "y": "a"})
    assert krippendorff_alpha_nominal(units) == pytest.approx(0.64)


def test_krippendorff_alpha_ignores_units_with_a_single_value():
    with_singles = [*KRIPPENDORFF_2011, {"A": "1"}, {"C": "4"}]
    assert krippendorff_alpha_nominal(with_singles) == pytest.approx(krippendorff_alpha_nominal(KRIPPENDORFF_2011))


def test_krippendorff_alpha_is_null_without_variation_or_without_pairable_units():
    assert krippendorff_alpha_nominal([{"x": "a", "y": "a"}, {"x": "a", "y": "a"}]) is None
    assert krippendorff_alpha_nominal([{"x": "a"}, {"y": "b"}]) is None
    assert krippendorff_alpha_nominal([]) is None


def test_fleiss_kappa_matches_the_wikipedia_example():
    assert fleiss_kappa(FLEISS_WIKIPEDIA) == pytest.approx(0.210, abs=5e-4)


def test_fleiss_kappa_is_null_when_units_have_unequal_numbers_of_ratings():
    assert fleiss_kappa([{"x": "a", "y": "a"}, {"x": "a", "y": "b", "z": "b"}]) is None


def test_fleiss_kappa_is_null_when_every_rating_is_one_label():
    assert fleiss_kappa([{"x": "a", "y": "a"}, {"x": "a", "y": "a"}]) is None


def test_cohen_kappa_matches_the_wikipedia_two_by_two_example():
    # 50 proposals: both yes 20, A yes / B no 5, A no / B yes 10, both no 15; p_o = 0.7, p_e = 0.5.
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_cohen_kappa_is_null_when_both_use_one_and_the_same_label():
    assert cohen_kappa([("a", "a"), ("a", "a")]) is None
    assert cohen_kappa([]) is None


def test_pairwise_cohen_kappa_counts_only_the_units_both_annotators_labelled():
    units = [{"x": "a", "y": "a"}, {"x": "b", "y": "b"}, {"x": "a", "z": "b"}, {"y": "a"}]
    assert pairwise_cohen_kappa(units) == [
        {"annotators": ["x", "y"], "kappa": pytest.approx(1.0), "n_units": 2},
        {"annotators": ["x", "z"], "kappa": pytest.approx(0.0), "n_units": 1},
    ]


def test_percent_agreement_is_the_mean_share_of_agreeing_pairs_per_unit():
    # 3 values, 1 agreeing pair of 3 -> 1/3; 2 agreeing values -> 1; the single value does not count.
    units = [{"x": "a", "y": "a", "z": "b"}, {"x": "c", "y": "c"}, {"x": "a"}]
    assert percent_agreement(units) == pytest.approx(2 / 3)
    assert percent_agreement([{"x": "a"}]) is None


# --- Spans ----------------------------------------------------------------------------------------------------------


def test_exact_matching_needs_equal_boundaries_and_overlap_matching_one_shared_code_point():
    reference = [(0, 10), (20, 30), (40, 45)]
    prediction = [(0, 10), (22, 31), (45, 50)]
    assert exact_matches(reference, prediction) == 1
    # (40, 45) and (45, 50) only touch: half-open spans share no code point.
    assert overlap_matches(reference, prediction) == 2


def test_one_long_span_overlapping_two_short_ones_counts_once():
    assert overlap_matches([(0, 20)], [(0, 5), (10, 15)]) == 1
    assert overlap_matches([(0, 5), (10, 15)], [(0, 20)]) == 1


def test_overlap_matching_finds_the_maximum_where_first_come_first_served_would_not():
    # The long reference span could take the first prediction, which the short one needs; the maximum is 2.
    assert overlap_matches([(0, 10), (12, 14)], [(8, 13), (0, 2)]) == 2


def test_overlap_matching_follows_a_chain_longer_than_the_recursion_limit():
    # Reference span k overlaps prediction spans k and k + 1 and takes k; the last reference span
    # overlaps only prediction 0, so matching it moves every other one along the chain.
    n = 1500
    prediction = [(10 * k, 10 * k + 5) for k in range(n + 1)]
    reference = [(10 * k + 3, 10 * k + 12) for k in range(n)] + [(0, 2)]
    assert overlap_matches(reference, prediction) == n + 1


def test_span_precision_and_recall_take_the_first_annotator_of_a_pair_as_reference():
    result = span_agreement({1: {"carol": [(0, 10), (20, 30)], "bob": [(0, 10)]}})
    (pair,) = result["pairs"]
    assert pair["annotators"] == ["bob", "carol"]
    assert (pair["precision"], pair["recall"], pair["f1_exact"]) == (0.5, 1.0, pytest.approx(2 / 3))
    assert pair["n_spans"] == [1, 2]


def test_span_figures_pool_the_articles_both_annotators_submitted():
    result = span_agreement(
        {
            1: {"bob": [(0, 10)], "carol": [(0, 10)]},
            2: {"bob": [(0, 10)], "carol": [(0, 9)]},
            3: {"bob": [(0, 10)]},  # carol did not submit article 3: it is not compared
        }
    )
    (pair,) = result["pairs"]
    assert pair["n_articles"] == 2
    assert (pair["f1_exact"], pair["f1_overlap"]) == (0.5, 1.0)
    assert result["mean"]["f1_exact"] == 0.5


def test_span_figures_are_null_where_a_side_marked_nothing():
    (pair,) = span_agreement({1: {"bob": [], "carol": [(0, 10)]}})["pairs"]
    assert (pair["precision"], pair["recall"], pair["f1_exact"]) == (0.0, None, 0.0)
    (pair,) = span_agreement({1: {"bob": [], "carol": []}})["pairs"]
    assert (pair["precision"], pair["recall"], pair["f1_exact"], pair["f1_overlap"]) == (None, None, None, None)


# --- Matching mentions into units -----------------------------------------------------------------------------------


def starts(units) -> list[dict[str, int]]:
    return [{annotator: mention.start for annotator, mention in unit.items()} for unit in units]


def test_overlapping_mentions_of_different_annotators_form_one_unit():
    units = mention_units({"bob": [MentionLabel(0, 10)], "carol": [MentionLabel(2, 12)], "dave": [MentionLabel(5, 8)]})
    assert starts(units) == [{"bob": 0, "carol": 2, "dave": 5}]


def test_an_annotator_who_did_not_mark_the_span_is_a_missing_value():
    units = mention_units({"bob": [MentionLabel(0, 10), MentionLabel(20, 30)], "carol": [MentionLabel(0, 10)]})
    assert starts(units) == [{"bob": 0, "carol": 0}, {"bob": 20}]


def test_a_unit_holds_at_most_one_mention_per_annotator_paired_by_greatest_overlap():
    # Carol's (2, 10) shares 8 code points with Bob's span, her (0, 3) only 3: the first joins Bob.
    units = mention_units({"bob": [MentionLabel(0, 10)], "carol": [MentionLabel(0, 3), MentionLabel(2, 10)]})
    assert starts(units) == [{"carol": 0}, {"bob": 0, "carol": 2}]


def test_mentions_without_a_code_point_in_common_stay_in_different_units():
    # Bob's span overlaps both, but Carol's and Dave's share nothing: a chain is not a unit.
    units = mention_units({"bob": [MentionLabel(4, 10)], "carol": [MentionLabel(0, 5)], "dave": [MentionLabel(9, 15)]})
    assert starts(units) == [{"bob": 4, "carol": 0}, {"dave": 9}]


def test_article_stance_units_are_per_article_and_claim_with_missing_values():
    submissions = [
        Submission("bob", 1, article_stances={7: "support", 8: "refute"}),
        Submission("carol", 1, article_stances={7: "neutral"}),
        Submission("carol", 2, article_stances={7: "support"}),
    ]
    assert article_stance_units(submissions) == [
        {"bob": "support", "carol": "neutral"},
        {"bob": "refute"},
        {"carol": "support"},
    ]


def test_mention_layers_compare_the_values_of_matched_mentions_with_none_for_unset():
    submissions = [
        Submission("bob", 1, mentions=(MentionLabel(0, 10, speaker_id=3, stance="support", claim_id=5),)),
        Submission("carol", 1, mentions=(MentionLabel(0, 10, quote_type="indirect"),)),
    ]
    report = agreement_report(submissions)
    assert report["mention_speaker"]["confusion"] == {"labels": ["3", "(none)"], "matrix": [[0, 1], [1, 0]]}
    assert report["mention_stance"]["confusion"]["labels"] == ["support", "(none)"]
    assert report["mention_quote_type"]["confusion"]["labels"] == ["direct", "indirect"]
    assert report["mention_claim"]["percent_agreement"] == 0.0


def test_a_stance_label_called_none_is_not_taken_for_an_unset_stance():
    submissions = [
        Submission("bob", 1, mentions=(MentionLabel(0, 10, stance="none", claim_id=5),)),
        Submission("carol", 1, mentions=(MentionLabel(0, 10, claim_id=5),)),
    ]
    stance = agreement_report(submissions)["mention_stance"]
    assert stance["percent_agreement"] == 0.0
    assert stance["confusion"]["labels"] == ["none", "(none)"]


def test_a_report_with_every_figure_undefined_is_strict_json():
    for submissions in ([], [Submission("bob", 1, mentions=(MentionLabel(0, 3),), article_stances={1: "support"})]):
        report = agreement_report(submissions)
        json.dumps(report, allow_nan=False)
        assert report["mention_speaker"]["krippendorff_alpha_nominal"] is None
        assert report["mention_spans"]["mean"]["f1_exact"] is None


# --- The database loader, end to end --------------------------------------------------------------------------------


@pytest.fixture
def dave(project):
    user = make_user("dave")
    add_member(project, user, Role.ANNOTATOR)
    return user


@pytest.fixture
def labelled(project, article, bob, carol, dave):
    """Three annotators' open work on the demo body, with labels worked through by hand in the tests below.

    Bob:   "We will not back down" (minister, refute, direct); "called the plan reckless" (Martínez, support,
           indirect); article stance neutral.
    Carol: "“We will not back down,”" (minister, refute, direct); article stance neutral.
    Dave:  "We will not back down" (no speaker, neutral, direct); "the plan reckless" (Martínez, support,
           indirect); article stance support.
    All mentions are linked to the one claim.
    """
    minister = make_speaker(project, "The Minister")
    martinez = make_speaker(project, "José Martínez")
    claim = make_claim(project)
    work = {user.username: make_assignment(article, user) for user in (bob, carol, dave)}
    quote = dict(claim=claim, quote_type="direct")
    reported = dict(speaker=martinez, claim=claim, stance="support", quote_type="indirect")
    make_mention(work["bob"], "We will not back down", speaker=minister, stance="refute", **quote)
    make_mention(work["bob"], "called the plan reckless", **reported)
    make_mention(work["carol"], "“We will not back down,”", speaker=minister, stance="refute", **quote)
    make_mention(work["dave"], "We will not back down", stance="neutral", **quote)
    make_mention(work["dave"], "the plan reckless", **reported)
    for username, stance in (("bob", "neutral"), ("carol", "neutral"), ("dave", "support")):
        article_stance_set(assignment=work[username], claim=claim, stance=stance)
    return {"work": work, "minister": minister, "martinez": martinez, "claim": claim}


@pytest.fixture
def submitted(labelled):
    for assignment in labelled["work"].values():
        assignment_submit(assignment=assignment)
    return labelled


def test_span_figures_of_three_annotators_match_a_hand_computation(project, submitted):
    spans = project_agreement(project=project)["mention_spans"]
    figures = [
        (p["annotators"], p["n_spans"], p["matches_exact"], p["matches_overlap"], p["f1_exact"], p["f1_overlap"])
        for p in spans["pairs"]
    ]
    # Carol's span includes the quotation marks: it overlaps the others' but never equals them.
    assert figures == [
        (["bob", "carol"], [2, 1], 0, 1, 0.0, pytest.approx(2 / 3)),
        (["bob", "dave"], [2, 2], 1, 2, 0.5, 1.0),
        (["carol", "dave"], [1, 2], 0, 1, 0.0, pytest.approx(2 / 3)),
    ]
    carol_dave = spans["pairs"][2]
    assert (carol_dave["precision_overlap"], carol_dave["recall_overlap"]) == (0.5, 1.0)
    assert spans["mean"]["f1_exact"] == pytest.approx(1 / 6)
    assert spans["mean"]["f1_overlap"] == pytest.approx(7 / 9)


def test_speaker_agreement_of_three_annotators_matches_a_hand_computation(project, submitted):
    # Units: the quote (minister, minister, none) and the reported claim (Martínez, Martínez).
    # Coincidences: o[min][min] = 1, o[min][none] = o[none][min] = 1, o[mar][mar] = 2; n = 5.
    # D_o = 2/5, D_e = 2 * (2*1 + 2*2 + 1*2) / (5*4) = 4/5, alpha = 1 - 1/2.
    speaker = project_agreement(project=project)["mention_speaker"]
    minister, martinez = str(submitted["minister"].pk), str(submitted["martinez"].pk)
    assert speaker["n_units"] == 2
    assert speaker["krippendorff_alpha_nominal"] == pytest.approx(0.5)
    assert speaker["fleiss_kappa"] is None  # 3 values in one unit, 2 in the other
    assert speaker["percent_agreement"] == pytest.approx((1 / 3 + 1) / 2)
    assert speaker["cohen_kappa"] == [
        {"annotators": ["bob", "carol"], "kappa": None, "n_units": 1},
        {"annotators": ["bob", "dave"], "kappa": pytest.approx(1 / 3), "n_units": 2},
        {"annotators": ["carol", "dave"], "kappa": 0.0, "n_units": 1},
    ]
    # Speaker ids in numeric order (the minister was created first), then unset "(none)".
    assert speaker["confusion"] == {
        "labels": [minister, martinez, "(none)"],
        "matrix": [[1, 0, 1], [0, 2, 0], [1, 0, 0]],
    }


def test_stance_quote_type_and_claim_agreement_match_a_hand_computation(project, submitted):
    report = project_agreement(project=project)
    # Stance has the speaker's pattern (refute, refute, neutral / support, support).
    assert report["mention_stance"]["krippendorff_alpha_nominal"] == pytest.approx(0.5)
    # Quote types never disagree and vary between units: perfect agreement.
    assert report["mention_quote_type"]["krippendorff_alpha_nominal"] == pytest.approx(1.0)
    # Every mention names the one claim: nothing to correct for chance, but full raw agreement.
    assert report["mention_claim"]["krippendorff_alpha_nominal"] is None
    assert report["mention_claim"]["percent_agreement"] == 1.0


def test_article_stance_agreement_matches_a_hand_computation(project, submitted):
    # One unit (neutral, neutral, support). alpha: D_o = 2/3 = D_e, so 0. Fleiss: P = 1/3,
    # P_e = (2/3)^2 + (1/3)^2 = 5/9, kappa = (1/3 - 5/9) / (4/9) = -1/2.
    stance = project_agreement(project=project)["article_stance"]
    assert stance["n_units"] == 1
    assert stance["krippendorff_alpha_nominal"] == pytest.approx(0.0)
    assert stance["fleiss_kappa"] == pytest.approx(-0.5)
    assert stance["percent_agreement"] == pytest.approx(1 / 3)


def test_project_agreement_names_annotators_and_is_strict_json(project, submitted):
    report = project_agreement(project=project)
    assert report["annotators"] == ["bob", "carol", "dave"]
    assert (report["project"], report["n_articles"], report["n_submissions"]) == (project.pk, 1, 3)
    assert "mention_units" in report["matching"]
    json.dumps(report, allow_nan=False)


def test_gold_and_unsubmitted_work_are_left_out(project, article, submitted, alice, rita):
    before = project_agreement(project=project)
    gold = make_assignment(article, rita, is_gold=True)
    make_mention(gold, "Critics")
    assignment_submit(assignment=gold)
    make_mention(make_assignment(article, alice), "Officials met on Tuesday")  # in progress
    assert project_agreement(project=project) == before


def test_annotator_filter_keeps_only_the_named_annotators(project, submitted, bob, dave):
    report = project_agreement(project=project, annotators=[dave, bob])
    assert report["annotators"] == ["bob", "dave"]
    assert report["filters"]["annotators"] == ["bob", "dave"]
    assert [pair["annotators"] for pair in report["mention_spans"]["pairs"]] == [["bob", "dave"]]
    assert report["mention_speaker"]["cohen_kappa"] == [
        {"annotators": ["bob", "dave"], "kappa": pytest.approx(1 / 3), "n_units": 2}
    ]
    assert project_agreement(project=project, annotators=[])["n_submissions"] == 0


def test_date_filter_keeps_work_submitted_in_the_half_open_range(project, labelled):
    work = labelled["work"]
    assignment_submit(assignment=work["dave"])
    cut = timezone.now()
    assignment_submit(assignment=work["bob"])
    assignment_submit(assignment=work["carol"])
    assert project_agreement(project=project, submitted_from=cut)["annotators"] == ["bob", "carol"]
    assert project_agreement(project=project, submitted_to=cut)["annotators"] == ["dave"]
    later = cut + timedelta(days=1)
    assert project_agreement(project=project, submitted_from=later, submitted_to=later)["annotators"] == []


def project_with_articles(manager, annotators, n_articles: int):
    project = make_project(manager=manager)
    claim = make_claim(project)
    for _ in range(n_articles):
        article = make_article(project)
        for user in annotators:
            assignment = make_assignment(article, user)
            make_mention(assignment, claim=claim, stance="support")
            article_stance_set(assignment=assignment, claim=claim, stance="neutral")
            assignment_submit(assignment=assignment)
    return project


def test_query_count_does_not_grow_with_the_number_of_articles(alice, bob, carol, django_assert_max_num_queries):
    small = project_with_articles(alice, [bob, carol], 1)
    large = project_with_articles(alice, [bob, carol], 5)
    with CaptureQueriesContext(connection) as one_article:
        project_agreement(project=small)
    with django_assert_max_num_queries(3), CaptureQueriesContext(connection) as five_articles:
        report = project_agreement(project=large)
    assert report["mention_spans"]["pairs"][0]["n_articles"] == 5
    assert len(five_articles) == len(one_article)
