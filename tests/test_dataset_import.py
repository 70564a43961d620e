"""Importing the published stance datasets (FNC-1, Emergent, SemEval-2016): articles, tracked claims
with their exact text, article stances of one import annotation, duplicates and near-identical
headlines reported, labels through the project's mappings, atomic and idempotent; the API, the data
page and the management command."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from claims.models import Article, ArticleStance, Assignment, Claim, StanceLabel
from claims.services import dataset_import as datasets
from claims.services.errors import RuleViolation
from claims.services.imports import import_run
from tests.api import client_for, fingerprint
from tests.builders import make_article, zip_bytes
from tests.jobs import finished


def table(rows: list[list[str]], *, delimiter: str = ",", terminator: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=terminator).writerows(rows)
    return buffer.getvalue().encode()


FNC1_BODIES = table([
    ["Body ID", "articleBody"],
    ["7", "Ankara said on Tuesday it would go ahead.\nThe deal is done, officials said."],
    ["12", "Zürich police found nothing\u2028new in the video."],
    ["3", "A third body."],
])  # fmt: skip
FNC1_STANCES = table([
    ["Headline", "Body ID", "Stance"],
    ["Turkey buys the S-400", "7", "agree"],  # line 2
    ["Video  shows nothing", "12", "discuss"],  # 3: two spaces, kept as written
    ["Turkey buys the S-400", "12", "unrelated"],  # 4
    ["turkey buys the s-400", "3", "disagree"],  # 5: another claim, named as one that would merge
    ["Turkey buys the S-400", "7", "agree"],  # 6: an exact duplicate of line 2
    ["Turkey buys the S-400", "7", "discuss"],  # 7: the same pair with another label
    ["Turkey buys the S-400", "99", "agree"],  # 8: no such body
    ["Turkey buys the S-400", "3", "agreed"],  # 9: not an FNC-1 label
])  # fmt: skip


def fnc1_import(project, bodies=FNC1_BODIES, stances=FNC1_STANCES, **options) -> dict:
    return import_run(project=project, file=io.BytesIO(bodies), filename="train_bodies.csv", format="fnc1",
                      second=io.BytesIO(stances), second_name="train_stances.csv", preannotate=False,
                      **options)  # fmt: skip


def stances_of(project) -> list[tuple[str, str, str]]:
    stances = ArticleStance.objects.filter(assignment__article__project=project).order_by("id")
    return [(s.claim.text, s.assignment.article.external_id, s.stance) for s in stances]


def test_fnc1_bodies_and_stances_become_articles_claims_and_article_stances(project):
    report = fnc1_import(project)
    assert report["accepted"] == 3 + 4 and report["skipped"] == 1 and report["rejected"] == 3
    bodies = {article.external_id: article for article in Article.objects.filter(project=project)}
    assert set(bodies) == {"7", "12", "3"} and bodies["7"].title == ""
    assert bodies["12"].body == "Zürich police found nothing\u2028new in the video."
    # Stored in the file's order, labels through the project's mappings (discuss: the first by position).
    assert stances_of(project) == [
        ("Turkey buys the S-400", "7", "support"), ("Video  shows nothing", "12", "neutral"),
        ("Turkey buys the S-400", "12", "unrelated"), ("turkey buys the s-400", "3", "refute"),
    ]  # fmt: skip
    assert set(Claim.objects.filter(project=project).values_list("text", flat=True)) == {
        "Turkey buys the S-400", "turkey buys the s-400", "Video  shows nothing"
    }  # fmt: skip
    work = Assignment.objects.filter(article__project=project)
    assert {(a.annotator.username, a.is_gold, a.status) for a in work} == {("fnc1", False, "submitted")}
    skipped = report["skipped_lines"]
    assert skipped == [{"line": 6, "file": "train_stances.csv", "external_id": "7",
                        "reason": datasets.DATASET_DUPLICATE.format(line=2)}]  # fmt: skip
    rejected = {entry["line"]: entry["errors"] for entry in report["rejected_lines"]}
    assert rejected == {
        7: {"Stance": [datasets.DATASET_CONFLICT.format(line=2, stance="support")]},
        8: {"Body ID": [datasets.DATASET_NO_ARTICLE.format(external_id="99")]},
        9: {"Stance": [datasets.DATASET_LABEL_UNKNOWN.format(label="agreed", format="fnc1",
                                                              labels="agree, disagree, discuss, unrelated")]},
    }  # fmt: skip
    assert report["notes"]["duplicate_rows"] == {
        "count": 1, "examples": [{"line": 6, "same_as_line": 2, "claim": "Turkey buys the S-400", "external_id": "7"}]
    }  # fmt: skip
    assert report["notes"]["similar_claims"] == {
        "count": 1, "examples": [["Turkey buys the S-400", "turkey buys the s-400"]]
    }  # fmt: skip
    body_lines = [(entry["file"], entry["line"]) for entry in report["accepted_lines"][:3]]
    assert body_lines == [("train_bodies.csv", 2), ("train_bodies.csv", 4), ("train_bodies.csv", 5)]


def test_fnc1_gold_and_a_second_import_changes_nothing(project):
    first = fnc1_import(project, gold=True)
    assert Assignment.objects.filter(article__project=project, is_gold=True).count() == 3
    before = fingerprint()
    again = fnc1_import(project, gold=True)
    assert fingerprint() == before
    # Every row whose article is there with the import's annotation is skipped (7 with the rest: the
    # annotation is left as it is); the rows without an article or a label are rejected again.
    assert (again["accepted"], again["skipped"], again["rejected"]) == (0, 3 + 6, 2)
    stance_rows = [entry for entry in again["skipped_lines"] if entry["file"] == "train_stances.csv"]
    assert {entry["reason"] for entry in stance_rows} == {datasets.DATASET_ANNOTATED}
    assert first["notes"]["duplicate_rows"]["count"] == 1


def test_fnc1_labels_the_project_does_not_map_refuse_the_file(project):
    StanceLabel.objects.filter(project=project, fnc1="unrelated").update(fnc1="omit")
    before = fingerprint()
    with pytest.raises(RuleViolation) as refused:
        fnc1_import(project)
    message = datasets.DATASET_LABELS_UNMAPPED.format(format="fnc1", labels="unrelated")
    assert refused.value.errors == {"format": [message]}
    assert fingerprint() == before


def test_fnc1_a_file_that_breaks_half_way_stores_nothing(project):
    broken = FNC1_STANCES + b'"Unclosed headline,7,agree\r\n'
    before = fingerprint()
    with pytest.raises(RuleViolation):
        fnc1_import(project, stances=broken)
    assert fingerprint() == before


def test_fnc1_existing_articles_keep_their_bodies_and_get_the_stances(project):
    make_article(project, external_id="7", body="Ankara said on Tuesday it would go ahead.\nThe deal is done, "
                 "officials said.")  # fmt: skip
    report = fnc1_import(project)
    assert report["skipped_lines"][0] == {"line": 2, "external_id": "7", "file": "train_bodies.csv",
                                          "reason": "already in the project (unchanged)"}  # fmt: skip
    assert ("Turkey buys the S-400", "7", "support") in stances_of(project)


def test_fnc1_over_the_api_as_two_files_or_one_zip(project, alice, bob):
    client = client_for(alice)
    url = f"/api/projects/{project.pk}/import/"
    response = client.post(url, {"file": SimpleUploadedFile("train_bodies.csv", FNC1_BODIES),
                                 "stances": SimpleUploadedFile("train_stances.csv", FNC1_STANCES),
                                 "format": "fnc1", "gold": "true"}, format="multipart")  # fmt: skip
    job = finished(client, response)
    assert job["status"] == "succeeded", job
    assert (job["result"]["accepted"], job["result"]["notes"]["duplicate_rows"]["count"]) == (7, 1)
    assert Assignment.objects.filter(article__project=project, is_gold=True).count() == 3

    archive = zip_bytes({"fnc/train_bodies.csv": FNC1_BODIES, "fnc/train_stances.csv": FNC1_STANCES,
                         "README.md": b"FNC-1"})  # fmt: skip
    response = client.post(url, {"file": SimpleUploadedFile("fnc.zip", archive), "format": "fnc1"}, format="multipart")
    job = finished(client, response)
    assert job["result"]["skipped"] == 3 + 1 and job["result"]["accepted"] == 4  # gold before, annotator's now

    StanceLabel.objects.filter(project=project, fnc1="unrelated").update(fnc1="omit")
    response = client.post(url, {"file": SimpleUploadedFile("fnc.zip", archive), "format": "fnc1"}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"format": [datasets.DATASET_LABELS_UNMAPPED.format(format="fnc1", labels="unrelated")]}
    one = client.post(url, {"file": SimpleUploadedFile("b.csv", FNC1_BODIES), "format": "fnc1"}, format="multipart")
    assert one.status_code == 400 and "takes two files" in one.json()["file"][0]
    assert client_for(bob).post(url, {"file": SimpleUploadedFile("fnc.zip", archive), "format": "fnc1"},
                                format="multipart").status_code == 403  # fmt: skip


def test_fnc1_through_the_command(project, tmp_path):
    (tmp_path / "train_bodies.csv").write_bytes(FNC1_BODIES)
    (tmp_path / "train_stances.csv").write_bytes(FNC1_STANCES)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", str(tmp_path / "train_stances.csv"), str(tmp_path / "train_bodies.csv"),
                 "--format", "fnc1", "--project", project.slug, "--no-progress", "--no-preannotate", "--gold",
                 stdout=out, stderr=err)  # fmt: skip
    assert "7 accepted, 1 skipped" in out.getvalue() and "3 rejected" in out.getvalue()
    assert 'duplicate_rows: {"count": 1' in out.getvalue()
    assert "line 8 (train_stances.csv): Body ID: No article with the external_id '99'" in err.getvalue()
    assert ArticleStance.objects.filter(assignment__is_gold=True, assignment__article__project=project).count() == 4


# --- SemEval-2016 ---------------------------------------------------------------------------------
SEMEVAL_ROWS = [
    ["ID", "Target", "Tweet", "Stance"],
    ["10001", "Atheism", "Dieu est grand, déclare-t-il. #faith", "AGAINST"],
    ["10002", "Climate Change is a Real Concern", "Señor, the ice is melting", "FAVOR"],
    ["10003", "Atheism", "No opinion here", "NONE"],
    ["10004", "Atheism", "Unlabelled test tweet", "UNKNOWN"],
]


@pytest.mark.parametrize(("encoding", "named"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                                 ("latin-1", "windows-1252"), ("cp1252", "windows-1252")])  # fmt: skip
def test_semeval_in_any_of_its_encodings_with_the_guess_in_the_report(project, encoding, named):
    rows = [*SEMEVAL_ROWS]
    if encoding == "cp1252":  # Excel's curly quotes: bytes 0x93 and 0x94, invalid in UTF-8
        rows.append(["10005", "Atheism", "“Faith” is private", "AGAINST"])
    data = table(rows, delimiter="\t").decode().encode(encoding)
    report = import_run(project=project, file=io.BytesIO(data), filename="semeval.txt", format="semeval2016",
                        preannotate=False)  # fmt: skip
    assert report["notes"]["encoding"] == named
    tweets = dict(Article.objects.filter(project=project).values_list("external_id", "body"))
    assert tweets["10001"] == "Dieu est grand, déclare-t-il. #faith" and tweets["10002"] == "Señor, the ice is melting"
    assert len(tweets) == len(rows) - 1
    stances = stances_of(project)
    assert stances[:3] == [("Atheism", "10001", "refute"), ("Climate Change is a Real Concern", "10002", "support"),
                           ("Atheism", "10003", "neutral")]  # fmt: skip
    assert report["skipped_lines"] == [{"line": 5, "external_id": "10004",
                                        "reason": datasets.DATASET_NO_LABEL.format(label="UNKNOWN")}]  # fmt: skip
    assert report["notes"]["articles"] == {"added": len(rows) - 1, "already_there": 0}


def test_semeval_refuses_a_file_without_its_columns(project):
    data = b"ID\tTweet\n1\tHello\n"
    with pytest.raises(RuleViolation) as refused:
        import_run(project=project, file=io.BytesIO(data), filename="s.txt", format="semeval2016", preannotate=False)
    assert "must name the columns ID, Target, Tweet, Stance" in refused.value.errors["file"][0]


# --- Emergent -------------------------------------------------------------------------------------
EMERGENT_CLEAN = table([
    ["", "claimHeadline", "articleHeadline", "articleHeadlineStance", "articleId", "claimId"],
    ["0", "ISIS leader al-Baghdadi was wounded", "ISIS leader injured, officials say", "for", "8f34efb0", "a48c4360"],
    ["1", "ISIS leader al-Baghdadi was wounded", "No proof al-Baghdadi was hurt", "against", "a9fdb550", "a48c4360"],
    ["4", "Café owner banned selfies", "Café owner: no selfies", "observing", "b1c2d3e4", "c0ffee00"],
])  # fmt: skip


def test_emergent_clean_csv(project):
    report = import_run(project=project, file=io.BytesIO(EMERGENT_CLEAN), filename="url-versions-2015-06-14-clean.csv",
                        format="emergent", preannotate=False)  # fmt: skip
    assert (report["accepted"], report["skipped"], report["rejected"]) == (3, 0, 0)
    article = Article.objects.get(project=project, external_id="b1c2d3e4")
    # The clean file has no bodies: the headline is the text (an article needs one) and the title.
    assert (article.title, article.body) == ("Café owner: no selfies", "Café owner: no selfies")
    assert article.metadata == {"emergent_claim_ids": {"Café owner banned selfies": "c0ffee00"}}
    assert [stance[2] for stance in stances_of(project)] == ["support", "refute", "neutral"]


# --- brat and citron: limits and refusals ---------------------------------------------------------
def test_span_files_too_large_for_an_article_are_refused_unread(project, settings):
    settings.ARTICLE_MAX_CHARS = 10  # a file may then hold 4 × 10 bytes and 8 KiB more
    archive = zip_bytes({"big.txt": b"x" * 9000, "big.ann": b"", "small.txt": b"Fine.", "small.ann": b""})
    report = import_run(project=project, file=io.BytesIO(archive), filename="b.zip", format="brat", preannotate=False)
    assert [(entry["file"], entry["line"]) for entry in report["rejected_lines"]] == [("big.txt", 1)]
    assert "it was not read" in report["rejected_lines"][0]["errors"]["file"][0]
    assert list(Article.objects.filter(project=project).values_list("external_id", flat=True)) == ["small"]
    document = b'{"text": "' + b"y" * 70000 + b'", "quotes": []}'
    report = import_run(project=project, file=io.BytesIO(document), filename="d.json", format="citron",
                        preannotate=False)  # fmt: skip
    assert report["rejected"] == 1 and "it was not read" in report["rejected_lines"][0]["errors"]["file"][0]


def test_a_second_file_is_only_for_fnc1(project):
    with pytest.raises(RuleViolation) as refused:
        import_run(project=project, file=io.BytesIO(EMERGENT_CLEAN), filename="e.csv", format="emergent",
                   second=io.BytesIO(b"x"), second_name="x.csv")  # fmt: skip
    assert refused.value.errors == {"stances": ["Only an FNC-1 import takes a second file (its stances)."]}


BRAT_PARC = zip_bytes({
    "wsj_0001.txt": b"Officials said the plan would fail.",
    "wsj_0001.ann": (b"T1\tPerson 0 9\tOfficials\nT2\tSpeech 10 14\tsaid\nT3\tStatement 15 34\tthe plan would fail\n"
                     b"T4\tLocation 0 9\tOfficials\nE1\tSpeech:T2 Speaker:T1 Content:T3\n"),
})  # fmt: skip


def test_brat_types_mapped_by_the_user(project, alice, tmp_path):
    from claims.imports import brat as brat_import
    from claims.models import ClaimMention

    mapping = {"Statement": "content", "Person": "source", "Speech": "cue", "Location": ""}
    report = import_run(project=project, file=io.BytesIO(BRAT_PARC), filename="parc.zip", format="brat",
                        mapping=mapping, preannotate=False)  # fmt: skip
    assert report["accepted"] == 1 and report["rejected"] == 0
    assert [entry["line"] for entry in report["skipped_lines"]] == [4]  # Location, mapped to "": skipped
    mention = ClaimMention.objects.get(assignment__article__project=project)
    assert (mention.text, mention.source_text, mention.cue_text, mention.speaker.name) == (
        "the plan would fail",
        "Officials",
        "said",
        "Officials",
    )
    client = client_for(alice)
    url = f"/api/projects/{project.pk}/import/"
    refused = client.post(url, {"file": SimpleUploadedFile("p.zip", BRAT_PARC), "format": "brat",
                                "mapping": '{"Statement": "quote"}'}, format="multipart")  # fmt: skip
    assert refused.status_code == 400 and refused.json() == {"mapping": [brat_import.BRAT_MAPPING_INVALID]}
    refused = client.post(url, {"file": SimpleUploadedFile("e.csv", EMERGENT_CLEAN), "format": "emergent",
                                "mapping": '{"Statement": "content"}'}, format="multipart")  # fmt: skip
    assert refused.status_code == 400 and "mapping" in refused.json()
    (tmp_path / "parc.zip").write_bytes(BRAT_PARC)
    out = io.StringIO()
    call_command("import_articles", str(tmp_path / "parc.zip"), "--format", "brat", "--project", project.slug,
                 "--mapping", json.dumps(mapping), "--no-progress", "--no-preannotate", stdout=out)  # fmt: skip
    assert "0 accepted, 2 skipped" in out.getvalue()  # the annotation is there already (and Location)
