"""`?similar_to=`: claims found from indexes only, by their words and the words of their mentions,
scored 0–1, within the project, for selections up to a claim's length."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from claims.models import ClaimMention, Project, Role
from claims.services import tracked_claims as claims_svc
from claims.services.labels import mention_delete
from tests.api import client_for
from tests.builders import add_member, make_article, make_assignment, make_claim, make_mention, make_project, make_user

BODY = (
    "The minister said the lira would recover by spring. Critics answered that the currency slide was "
    "caused by the central bank. Officials insisted that exports to Germany doubled last year."
)


@pytest.fixture
def desk(db):
    mia, bob = make_user("mia"), make_user("bob")
    project = make_project(manager=mia)
    add_member(project, bob, Role.ANNOTATOR)
    return project, mia, bob


def similar(user, project, text: str):
    response = client_for(user).get(f"/api/projects/{project.pk}/claims/", {"similar_to": text})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_selection_as_long_as_a_claim_is_accepted_and_a_longer_one_refused_with_the_limit(desk):
    project, mia, _ = desk
    claim = make_claim(project, "Exports to Germany doubled last year")
    long_selection = ("Exports to Germany doubled last year, officials said. " * 40)[:2000]
    assert similar(mia, project, long_selection)[0]["id"] == claim.pk
    response = client_for(mia).get(f"/api/projects/{project.pk}/claims/", {"similar_to": long_selection + "x"})
    assert response.status_code == 400
    assert response.json()["similar_to"] == ["Search text is limited to 2000 characters."]


def test_another_projects_claims_are_never_suggested(desk):
    project, mia, _ = desk
    elsewhere = make_project(manager=make_user("charlie"), name="Elsewhere")
    make_claim(elsewhere, "The lira will recover by spring")
    ours = make_claim(project, "The currency slide was caused by the central bank")
    assert [c["id"] for c in similar(mia, project, "the lira will recover by spring")] == []
    assert [c["id"] for c in similar(mia, project, "the central bank caused the slide")] == [ours.pk]
    response = client_for(mia).get(f"/api/projects/{elsewhere.pk}/claims/", {"similar_to": "lira"})
    assert response.status_code == 404


def test_scores_are_between_0_and_1_and_an_exact_claim_scores_higher_than_a_partial_one(desk):
    project, mia, _ = desk
    exact = make_claim(project, "The lira will recover by spring")
    partial = make_claim(project, "Spring came early this year")
    results = similar(mia, project, "The lira will recover by spring")
    scores = {c["id"]: c["score"] for c in results}
    assert [c["id"] for c in results][:2] == [exact.pk, partial.pk]
    assert all(0 <= score <= 1 for score in scores.values())
    assert scores[exact.pk] > 0.5 > scores[partial.pk]


def test_a_misspelt_short_text_finds_its_claim_by_trigrams(desk):
    project, mia, _ = desk
    claim = make_claim(project, "Erdogan visits Moscow")
    assert similar(mia, project, "Erdogn vists Mosow")[0]["id"] == claim.pk


@pytest.mark.django_db
def test_the_query_plan_reads_indexes_and_never_scans_the_claims(desk):
    """Hundreds of claims in two projects, statistics up to date: the plan of the query the API runs,
    explained with its own parameters and settings, finds candidates through the inverted index and
    the trigram index only."""
    project, mia, _ = desk
    other = make_project(manager=make_user("charlie"), name="Other")
    for target in (project, other):
        for i in range(300):
            make_claim(target, f"Claim number {i} about exports to country {i % 17} and tariffs {i}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim; ANALYZE claims_claimterm")
    plans = []

    def explain(execute, sql, params, many, context):
        if "claims_claimterm" in sql and not sql.startswith("EXPLAIN"):
            context["cursor"].execute("EXPLAIN " + sql, params)
            plans.append("\n".join(row[0] for row in context["cursor"].fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        assert similar(mia, project, "exports to country 3 and tariffs")  # short: trigram candidates too
    assert len(plans) == 1
    plan = plans[0]
    assert "Seq Scan" not in plan, plan
    assert "claimterm_lookup" in plan, plan
    assert "claim_text_trgm" in plan, plan


def test_a_claim_is_found_by_the_words_of_the_mentions_linked_to_it(desk):
    project, mia, bob = desk
    for topic in ("rain", "snow", "wind", "heat", "fog", "hail", "frost", "storms", "floods", "drought"):
        make_claim(project, f"The {topic} will ruin the harvest")  # words found in one claim only matter more
    slide = make_claim(project, "Monetary policy is to blame for the lira's fall")
    other = make_claim(project, "The currency will stabilise soon")
    selection = "the currency slide was caused by the central bank"
    before = [c["id"] for c in similar(mia, project, selection)]
    assert before == [other.pk]

    assignment = make_assignment(make_article(project, body=BODY), bob)
    mention = make_mention(assignment, "the currency slide was caused by the central bank", claim=slide)
    assert similar(mia, project, selection)[0]["id"] == slide.pk

    mention_delete(mention=mention)
    assert [c["id"] for c in similar(mia, project, selection)] == before


def test_notes_and_a_new_wording_are_searched_as_soon_as_they_are_saved(desk):
    project, mia, _ = desk
    claim = make_claim(project, "The lira will recover")
    assert similar(mia, project, "Germany exports") == []
    claims_svc.claim_update(claim=claim, notes="Said about exports to Germany.")
    assert [c["id"] for c in similar(mia, project, "Germany exports")] == [claim.pk]
    claims_svc.claim_update(claim=claim, text="The lira will bounce back", notes="")
    assert similar(mia, project, "recover") == []
    assert [c["id"] for c in similar(mia, project, "bounce back")] == [claim.pk]


def test_after_a_merge_the_target_is_found_by_the_merged_claims_words_and_the_merged_one_never(desk):
    project, mia, bob = desk
    source = make_claim(project, "Exports doubled")
    target = make_claim(project, "Trade with Germany grew")
    assignment = make_assignment(make_article(project, body=BODY), bob)
    make_mention(assignment, "the lira would recover by spring", claim=source)
    claims_svc.claim_merge(source=source, target=target)
    found = [c["id"] for c in similar(mia, project, "the lira would recover by spring")]
    assert found == [target.pk]
    assert source.pk not in [c["id"] for c in similar(mia, project, "Exports doubled")]


def test_after_a_split_each_claim_is_found_by_the_words_of_its_own_mentions(desk):
    project, mia, bob = desk
    claim = make_claim(project, "The government's economic forecasts")
    assignment = make_assignment(make_article(project, body=BODY), bob)
    lira = make_mention(assignment, "the lira would recover by spring", claim=claim)
    exports = make_mention(assignment, "exports to Germany doubled last year", claim=claim)
    new = claims_svc.claim_split(claim=claim, text="Exports to Germany are booming", mention_ids=[exports.pk])
    assert [c["id"] for c in similar(mia, project, "the lira would recover by spring")] == [claim.pk]
    assert [c["id"] for c in similar(mia, project, "doubled last year")] == [new.pk]
    assert ClaimMention.objects.get(pk=lira.pk).claim_id == claim.pk


@pytest.mark.django_db
def test_every_gold_mention_of_the_demo_article_finds_its_own_claim_first():
    call_command("load_seeds", verbosity=0)
    spec = json.loads((settings.BASE_DIR / "seeds/demo/project.json").read_text(encoding="utf-8"))
    project = Project.objects.get(slug=spec["slug"])
    reviewer = make_user("desk-reviewer")
    add_member(project, reviewer, Role.REVIEWER)
    gold = ClaimMention.objects.filter(assignment__article__project=project, assignment__is_gold=True)
    assert gold.count() == 10
    for mention in gold:
        assert similar(reviewer, project, mention.text)[0]["id"] == mention.claim_id, mention.text


def _tsv(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, delimiter="\t")
        writer.writerow(header)
        writer.writerows(rows)


@pytest.mark.django_db
def test_the_evaluation_command_scores_a_small_task_as_the_official_measure_does_and_leaves_nothing(tmp_path):
    """Two dev tweets: one shares words with its claim (tracked once: two texts differ only in case and
    spacing); the other shares none with its claim, only with a training tweet linked to it, so it is
    found only when the training tweets are linked."""
    _tsv(tmp_path / "verified_claims.docs.tsv", ["", "vclaim", "title"], [
        ("1", "Volcanoes emit more CO2 than humans", "Do volcanoes emit more carbon?"),
        ("2", "A shark was photographed on a flooded highway", "Flooded highway shark photo"),
        ("3", "a shark was photographed on a  flooded highway", "Same claim, other spacing"),
        ("4", "The moon landing was staged", "Was the moon landing faked?"),
    ])  # fmt: skip
    _tsv(tmp_path / "train/tweets.queries.tsv", ["", "tweet_content"], [("10", "Hoax: Apollo never reached it")])
    (tmp_path / "train/tweet-vclaim-pairs.qrels").write_text("10 0 4 1\n")
    _tsv(tmp_path / "dev/tweets.queries.tsv", ["", "tweet_content"], [
        ("20", "Look at this shark swimming on the flooded highway!"),
        ("21", "Apollo never reached it, wake up"),
    ])  # fmt: skip
    (tmp_path / "dev/tweet-vclaim-pairs.qrels").write_text("20 0 3 1\n21 0 4 1\n")

    def evaluate(*options) -> list[str]:
        out = io.StringIO()
        call_command("evaluate_claim_matching", *options, data=tmp_path, stdout=out, stderr=io.StringIO())
        return [cell.strip() for cell in out.getvalue().splitlines()[2].split("|")[1:7]]

    assert evaluate() == ["3", "yes", "2", "1.000", "1.000", "1.000"]
    assert evaluate("--no-mentions") == ["3", "no", "2", "0.500", "0.500", "0.500"]
    assert not Project.objects.exists()  # rolled back
