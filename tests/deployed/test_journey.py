"""The whole journey, as deployed: gunicorn (the README's production command, production settings), the
job worker, a real database, and nothing but HTTP between the test and the app.

Every request is its own transaction, as in production (the in-process tests run inside one that hid a
500 once). A manager sets a project up, imports every format, drafts attributions; two annotators
accept, reject and write labels and submit; a reviewer adjudicates; the manager exports every format in
every scope and cuts a release of each. Each step checks what it was answered, and a last test checks
that every write operation of the OpenAPI schema was sent with valid data and answered 2xx.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import urllib.parse
import zipfile
from dataclasses import dataclass, field

import pytest

from tests.builders import span, zip_bytes

from .conftest import WRITE_METHODS, Api, Deployment, csrf_token_of, multipart, operations, template_of

pytestmark = pytest.mark.slow

# The article the annotators work on: quotes the pre-annotator drafts, a line break (brat cuts spans
# there) and an emoji (one code point, two UTF-16 units: offsets are code points).
BODY = (
    "“We will not back down,” the minister said on Tuesday. Critics said the plan was reckless.\n"
    "“It will fail within a year,” Maria Rossi warned. The plan is fine, according to the ministry 🚀."
)
NATIVE_BODY = "“Prices will fall,” the governor said. Analysts expect growth."
EXPORT_FORMATS = ("jsonl", "csv", "fnc1", "emergent", "semeval2016", "citron", "brat")
SCOPES = ("gold", "submitted", "all")


@dataclass
class Journey:
    deployment: Deployment
    mia: Api = None
    ann: Api = None
    ben: Api = None
    rita: Api = None
    oscar: Api = None
    project: int = 0
    elsewhere: int = 0
    ids: dict = field(default_factory=dict)

    @property
    def p(self) -> str:
        return f"/api/projects/{self.project}"


def etag(answer) -> str:
    return answer.headers["ETag"]


# --- the steps ----------------------------------------------------------------------------------
def tokens(j: Journey) -> None:
    anonymous = j.deployment.api()
    refused = anonymous.get("/api/projects/", expect=401)
    assert refused.headers["WWW-Authenticate"].startswith("Token")
    wrong = anonymous.post("/api/auth/token/", json={"username": "mia", "password": "not it"}, expect=400)
    assert "token" not in wrong.json()
    for name in ("mia", "ann", "ben", "rita", "oscar"):
        answer = anonymous.post("/api/auth/token/", json={"username": name, "password": j.deployment.password},
                                expect=200)  # fmt: skip
        token = answer.json()["token"]
        assert isinstance(token, str) and len(token) >= 20
        setattr(j, name, j.deployment.api(name, token))
        assert getattr(j, name).get("/api/projects/", expect=200).json()["results"] == []
    # The endpoint is throttled per address (10 a minute), counted in the database: both gunicorn
    # workers see one count. Six requests so far; a name nobody has keeps the personas out of lock-outs.
    answers = [anonymous.post("/api/auth/token/", json={"username": "nobody", "password": "guess"}).status
               for _ in range(5)]  # fmt: skip
    assert answers == [400, 400, 400, 400, 429], answers


def projects(j: Journey) -> None:
    created = j.mia.post("/api/projects/", json={"name": "Deployed newsroom", "annotators_per_article": 2,
                                                 "guidelines": "Mark every claim."}, expect=201).json()  # fmt: skip
    assert (created["role"], created["annotators_per_article"], created["preannotate_on_import"]) == (
        "manager", 2, True)  # fmt: skip
    labels = {label["value"] for label in created["stance_labels"]}
    assert {"support", "refute", "neutral", "query", "unrelated"} <= labels
    j.project = created["id"]
    changed = j.mia.patch(j.p + "/", json={"guidelines": "Mark every claim, and who made it."}, expect=200).json()
    assert changed["guidelines"] == "Mark every claim, and who made it."
    assert j.mia.get(j.p + "/", expect=200).json()["guidelines"] == "Mark every claim, and who made it."

    # Oscar is staff with a project of his own, and no part in mia's.
    j.elsewhere = j.oscar.post("/api/projects/", json={"name": "Elsewhere"}, expect=201).json()["id"]
    j.ids["elsewhere_article"] = j.oscar.post(f"/api/projects/{j.elsewhere}/articles/", expect=201, json={
        "external_id": "e1", "title": "Elsewhere", "body": "Nothing to see here, he said."}).json()["id"]  # fmt: skip


def members(j: Journey) -> None:
    for name, role in (("ann", "annotator"), ("ben", "annotator"), ("rita", "reviewer"), ("carl", "annotator")):
        member = j.mia.post(j.p + "/members/", json={"username": name, "role": role}, expect=201).json()
        assert (member["username"], member["role"]) == (name, role)
    assert j.mia.patch(j.p + "/members/carl/", json={"role": "reviewer"}, expect=200).json()["role"] == "reviewer"
    assert j.mia.get(j.p + "/members/carl/", expect=200).json()["role"] == "reviewer"
    j.mia.delete(j.p + "/members/carl/", expect=204)
    j.mia.get(j.p + "/members/carl/", expect=404)
    # An account for a newcomer: its one-time secret is in this answer only, never stored in clear.
    newcomer = {"username": "dora", "email": "dora@example.org", "role": "annotator", "sign_in": "password"}
    account = j.mia.post(j.p + "/accounts/", json=newcomer, expect=201).json()
    assert account["username"] == "dora" and account["password"] and account["sign_in_url"] is None
    j.mia.delete(j.p + "/members/dora/?release_work=true", expect=204)
    listed = j.ann.get(j.p + "/members/", expect=200).json()["results"]
    assert {m["username"]: m["role"] for m in listed} == {"mia": "manager", "ann": "annotator", "ben": "annotator",
                                                          "rita": "reviewer"}  # fmt: skip
    # Refusals: an annotator cannot add members; an outsider does not see the project at all.
    j.ann.post(j.p + "/members/", json={"username": "oscar", "role": "manager"}, expect=403)
    j.oscar.post(j.p + "/members/", json={"username": "oscar", "role": "manager"}, expect=404)
    assert len(j.mia.get(j.p + "/members/", expect=200).json()["results"]) == 4


def catalogue(j: Journey) -> None:
    minister = {"name": "The Minister", "kind": "person", "aliases": ["the minister"], "role": "Minister"}
    minister = j.mia.post(j.p + "/speakers/", json=minister, expect=201).json()
    assert (minister["name"], minister["aliases"]) == ("The Minister", ["the minister"])
    rossi = j.ann.post(j.p + "/speakers/", json={"name": "Maria Rossi"}, expect=201).json()
    duplicate = j.ann.post(j.p + "/speakers/", json={"name": "M. Rossi"}, expect=201).json()
    unused = j.mia.post(j.p + "/speakers/", json={"name": "Nobody in particular"}, expect=201).json()
    edited = j.rita.patch(f"/api/speakers/{minister['id']}/", expect=200,
                          json={"aliases": ["the minister", "the defence minister"]}).json()  # fmt: skip
    assert edited["aliases"] == ["the defence minister", "the minister"]
    merged = j.rita.post(f"/api/speakers/{duplicate['id']}/merge/", json={"into": rossi["id"]}, expect=200).json()
    assert merged["id"] == rossi["id"] and "M. Rossi" in merged["aliases"]
    moved = j.rita.get(f"/api/speakers/{duplicate['id']}/", expect=301)
    assert moved.headers["Location"].endswith(f"/api/speakers/{rossi['id']}/")
    j.mia.delete(f"/api/speakers/{unused['id']}/", expect=204)
    j.mia.get(f"/api/speakers/{unused['id']}/", expect=404)
    found = j.ann.get(j.p + "/speakers/?search=rosi", expect=200).json()["results"]
    assert found[0]["id"] == rossi["id"]
    j.ids |= {"minister": minister["id"], "rossi": rossi["id"]}

    will_fail = j.mia.post(j.p + "/claims/", json={"text": "The plan will fail"}, expect=201).json()
    reckless = j.ann.post(j.p + "/claims/", json={"text": "The plan is reckless"}, expect=201).json()
    doomed = j.ann.post(j.p + "/claims/", json={"text": "The plan is doomed"}, expect=201).json()
    unused_claim = j.mia.post(j.p + "/claims/", json={"text": "Nobody claims this"}, expect=201).json()
    reworded = j.rita.patch(f"/api/claims/{will_fail['id']}/", expect=200, json={
        "text": "The plan will fail within a year", "notes": "Opposition"}).json()  # fmt: skip
    assert (reworded["text"], reworded["notes"]) == ("The plan will fail within a year", "Opposition")
    into = j.rita.post(f"/api/claims/{doomed['id']}/merge/", json={"into": will_fail["id"]}, expect=200).json()
    assert into["id"] == will_fail["id"]
    moved = j.rita.get(f"/api/claims/{doomed['id']}/", expect=301)
    assert moved.headers["Location"].endswith(f"/api/claims/{will_fail['id']}/")
    j.mia.delete(f"/api/claims/{unused_claim['id']}/", expect=204)
    similar = j.ann.get(j.p + "/claims/?similar_to=the+plan+will+fail", expect=200).json()["results"]
    assert similar[0]["id"] == will_fail["id"]
    j.ids |= {"will_fail": will_fail["id"], "reckless": reckless["id"]}


def articles(j: Journey) -> None:
    article = {"external_id": "journey-1", "title": "Plan under fire", "body": BODY, "source": "Wire",
               "published_at": "2026-03-01T09:00:00Z"}  # fmt: skip
    created = j.mia.post(j.p + "/articles/", json=article, expect=201).json()
    assert created["body"] == BODY and created["published_at"].startswith("2026-03-01T09:00:00")
    again = j.mia.post(j.p + "/articles/", json=article, expect=200).json()  # idempotent by external_id
    assert again["id"] == created["id"]
    j.ids["journey"] = created["id"]

    bulk = j.mia.post(j.p + "/articles/", expect=201, json=[
        {"external_id": "bulk-1", "title": "One", "body": "The first of two, a clerk said."},
        {"external_id": "bulk-2", "title": "Two", "body": "The second of two."},
    ]).json()  # fmt: skip
    assert [item["external_id"] for item in bulk["created"]] == ["bulk-1", "bulk-2"] and bulk["skipped"] == []
    one, two = (item["id"] for item in bulk["created"])

    # A 400 for bad input changes nothing: a list with one invalid item stores none of it.
    before = external_ids(j)
    refused = j.mia.post(j.p + "/articles/", expect=400, json=[
        {"external_id": "bulk-3", "body": "Valid on its own."}, {"external_id": "bulk-4"},
    ]).json()  # fmt: skip
    assert list(refused) == ["1"] and "body" in refused["1"]
    assert external_ids(j) == before

    patched = j.mia.patch(f"/api/articles/{one}/", json={"title": "The first", "metadata": {"desk": "city"}},
                          expect=200).json()  # fmt: skip
    assert (patched["title"], patched["metadata"]) == ("The first", {"desk": "city"})
    j.mia.delete(f"/api/articles/{two}/", expect=204)
    j.mia.get(f"/api/articles/{two}/", expect=404)
    assert external_ids(j) == {"journey-1", "bulk-1"}
    # Refusals: a reviewer does not edit articles; an outsider does not see them, nor an annotator another
    # project's.
    j.rita.patch(f"/api/articles/{one}/", json={"title": "Mine"}, expect=403)
    j.oscar.get(f"/api/articles/{one}/", expect=404)
    j.ann.get(f"/api/articles/{j.ids['elsewhere_article']}/", expect=404)
    assert j.mia.get(f"/api/articles/{one}/", expect=200).json()["title"] == "The first"


def external_ids(j: Journey) -> set[str]:
    found, url = set(), j.p + "/articles/?page_size=100"
    while url:
        page = j.mia.get(url, expect=200).json()
        found |= {article["external_id"] for article in page["results"]}
        url = page["next"] and j.mia.follow(page["next"])
    return found


def native_line() -> dict:
    def mention(stance: str) -> dict:
        return {**span(NATIVE_BODY, "Prices will fall"), "speaker": {"name": "The Governor", "kind": "person"},
                "cue": span(NATIVE_BODY, "said"), "source": span(NATIVE_BODY, "the governor"),
                "quote_type": "direct", "claim": {"text": "Prices will fall"}, "stance": stance}  # fmt: skip

    def annotation(annotator: str, stance: str, gold: bool = False) -> dict:
        return {"annotator": annotator, "gold": gold, "status": "submitted", "mentions": [mention(stance)],
                "article_stances": [{"claim": {"text": "Prices will fall"}, "stance": stance}]}  # fmt: skip

    return {"article": {"external_id": "native-1", "title": "Prices", "body": NATIVE_BODY},
            "annotations": [annotation("imp-ana", "support"), annotation("imp-bea", "refute"),
                            annotation("imp-gil", "support", gold=True)]}  # fmt: skip


def jsonl(*lines: dict) -> bytes:
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()


PLAIN = jsonl(
    {"external_id": "plain-1", "title": "Rates", "body": "Rates will rise, the bank said."},
    {"external_id": "plain-2", "title": "Trains", "body": "“Trains will run late,” the operator warned."},
    {"external_id": "plain-bad", "title": "No body"},
)
CSV_FILE = (
    b"external_id,title,body,desk\r\n"
    b'csv-1,Budget,"The budget passed, officials said.",economy\r\n'
    b"csv-2,Weather,Rain is expected tomorrow.,weather\r\n"
)
TXT_FILE = b"Council votes tonight\n\nThe council will vote tonight, a spokesman said.\n"
ZIP_FILE = zip_bytes({"zip-a.txt": b"Port reopens\n\nThe port reopens on Monday.\n",
                      "zip-b.txt": b"Strike ends\n\nThe strike is over, the union said.\n",
                      "README.md": b"Not an article."})  # fmt: skip


FNC1_BODIES = b'Body ID,articleBody\r\n7,"Ankara will go ahead, officials said."\r\n12,Z\xc3\xbcrich saw nothing.\r\n'
FNC1_STANCES = (b"Headline,Body ID,Stance\r\nTurkey buys the S-400,7,agree\r\nTurkey buys the S-400,12,unrelated\r\n"
                b"Turkey buys the S-400,7,agree\r\n")  # fmt: skip
EMERGENT_FILE = (b",claimHeadline,articleHeadline,articleHeadlineStance,articleId,claimId\r\n"
                 b"0,Leader was wounded,Leader injured,for,em-1,c-1\r\n")  # fmt: skip
SEMEVAL_LATIN1 = "ID\tTarget\tTweet\tStance\r\n101\tAtheism\tDieu est grand, déclare-t-il\tAGAINST\r\n".encode(
    "latin-1"
)
BRAT_ANN = "T1\tQuote 22 29\t« non »\nT2\tCue 14 21\tdéclaré\nR1\tCueOf Arg1:T2 Arg2:T1\n"
BRAT_ZIP = zip_bytes({"doc.txt": "Le ministre a déclaré « non ».\r\n".encode(), "doc.ann": BRAT_ANN.encode()})
CITRON_DOC = json.dumps({"text": 'He said "no".', "quotes": [{"cue": {"start": 3, "end": 7, "text": "said"},
                         "sources": [{"start": 0, "end": 2, "text": "He"}],
                         "contents": [{"start": 8, "end": 12, "text": '"no"'}]}]}).encode()  # fmt: skip


def datasets(j: Journey) -> None:
    """The published formats, as jobs, in Oscar's project (so the journey's exports above are unchanged)."""
    url = f"/api/projects/{j.elsewhere}/import/"
    uploads = {
        "fnc1": ({"format": "fnc1", "gold": "true"},
                 {"file": ("train_bodies.csv", FNC1_BODIES), "stances": ("train_stances.csv", FNC1_STANCES)}),
        "emergent": ({"format": "emergent"}, {"file": ("emergent.csv", EMERGENT_FILE)}),
        "semeval2016": ({"format": "semeval2016"}, {"file": ("semeval.txt", SEMEVAL_LATIN1)}),
        "brat": ({"format": "brat"}, {"file": ("brat.zip", BRAT_ZIP)}),
        "citron": ({"format": "citron"}, {"file": ("said.json", CITRON_DOC)}),
    }  # fmt: skip
    results = {}
    for name, (fields, files) in uploads.items():
        body, content_type = multipart(fields, files)
        queued = j.oscar.post(url, data=body, content_type=content_type, expect=202).json()
        finished = j.oscar.wait_for_job(queued["url"])
        assert finished["status"] == "succeeded", finished
        results[name] = finished["result"]
    assert (results["fnc1"]["accepted"], results["fnc1"]["notes"]["duplicate_rows"]["count"]) == (2 + 2, 1)
    assert results["semeval2016"]["notes"]["encoding"] == "windows-1252"
    assert [r["accepted"] for r in (results["emergent"], results["brat"], results["citron"])] == [1, 1, 1]
    exported = j.oscar.get(f"/api/projects/{j.elsewhere}/export/?format=fnc1&scope=gold", expect=200)
    with zipfile.ZipFile(io.BytesIO(exported.body)) as archive:
        stances = list(csv.reader(io.StringIO(archive.read("stances.csv").decode())))
    # Row order kept, the duplicate once. The project holds other articles whose external_ids are not
    # numbers, so Body IDs are the articles' ids (an FNC-1-only project keeps FNC-1's own).
    assert [(row[0], row[2]) for row in stances] == [("Headline", "Stance"), ("Turkey buys the S-400", "agree"),
                                                     ("Turkey buys the S-400", "unrelated")]  # fmt: skip


def imports(j: Journey) -> None:
    files = {
        "plain.jsonl": PLAIN, "native.jsonl": jsonl(native_line()), "articles.csv": CSV_FILE, "note.txt": TXT_FILE,
        "bundle.zip": ZIP_FILE,
    }  # fmt: skip
    jobs = {}
    for name, data in [*files.items(), ("plain.jsonl", PLAIN)]:  # the plain file twice: the second changes nothing
        body, content_type = multipart({}, {"file": (name, data)})
        queued = j.mia.post(j.p + "/import/", data=body, content_type=content_type, expect=202)
        job = queued.json()
        assert (job["kind"], job["parameters"]["filename"], job["project"]) == ("import", name, j.project)
        assert queued.headers["Location"] == job["url"] == f"/api/jobs/{job['id']}/"
        jobs.setdefault(name, []).append(job["url"])
    reports = {}
    for name, urls in jobs.items():
        for url in urls:
            finished = j.mia.wait_for_job(url)
            assert finished["status"] == "succeeded", finished
            reports.setdefault(name, []).append(finished["result"])

    first, second = reports["plain.jsonl"]
    assert (first["accepted"], first["skipped"], first["rejected"]) == (2, 0, 1)
    assert [line["external_id"] for line in first["accepted_lines"]] == ["plain-1", "plain-2"]
    assert first["rejected_lines"][0]["line"] == 3 and "body" in first["rejected_lines"][0]["errors"]
    assert (second["accepted"], second["skipped"], second["rejected"]) == (0, 2, 1)
    assert first["suggestions"] >= 1  # the project drafts attributions on import

    native = reports["native.jsonl"][0]
    assert (native["accepted"], native["rejected"], native["accepted_lines"][0]["annotations"]) == (1, 0, 3)

    table = reports["articles.csv"][0]
    assert (table["accepted"], table["rejected"]) == (2, 0)
    csv_1 = j.mia.get(j.p + "/articles/?external_id=csv-1", expect=200).json()["results"][0]
    assert csv_1["metadata"] == {"desk": "economy"}  # a column the format does not know is kept
    assert j.mia.get(f"/api/articles/{csv_1['id']}/", expect=200).json()["body"] == "The budget passed, officials said."

    note = reports["note.txt"][0]
    assert (note["accepted"], note["accepted_lines"][0]["external_id"]) == (1, "note")
    note_article = j.mia.get(j.p + "/articles/?external_id=note", expect=200).json()["results"][0]
    assert note_article["title"] == "Council votes tonight"

    bundle = reports["bundle.zip"][0]
    assert sorted(line["external_id"] for line in bundle["accepted_lines"]) == ["zip-a", "zip-b"]
    assert [(line["line"], line["file"]) for line in bundle["rejected_lines"]] == [(3, "README.md")]

    listed = j.mia.get(j.p + "/jobs/", expect=200).json()["results"]
    assert [job["parameters"]["filename"] for job in listed[:2]] == ["plain.jsonl", "bundle.zip"]  # newest first
    assert external_ids(j) == {"journey-1", "bulk-1", "plain-1", "plain-2", "native-1", "csv-1", "csv-2", "note",
                               "zip-a", "zip-b"}  # fmt: skip
    # Refusals: an annotator cannot import; nothing is queued.
    body, content_type = multipart({}, {"file": ("plain.jsonl", PLAIN)})
    j.ann.post(j.p + "/import/", data=body, content_type=content_type, expect=403)
    assert len(j.mia.get(j.p + "/jobs/", expect=200).json()["results"]) == len(listed)


def preannotation(j: Journey) -> None:
    queued = j.mia.post(j.p + "/preannotate/", expect=202)
    job = j.mia.wait_for_job(queued.headers["Location"])
    assert (job["kind"], job["status"]) == ("preannotate", "succeeded"), job
    assert job["result"]["articles"] == len(external_ids(j)) == 10
    drafted = j.rita.post(f"/api/articles/{j.ids['journey']}/preannotate/", expect=200).json()
    assert drafted["articles"] == 1 and drafted["suggestions"] >= 3
    j.ann.post(f"/api/articles/{j.ids['journey']}/preannotate/", expect=404)  # an article not given to her yet


def suggestion(suggestions: list[dict], text: str) -> dict:
    found = [s for s in suggestions if s["text"] == text]
    assert found, f"no suggestion {text!r} among {[s['text'] for s in suggestions]}"
    return found[0]


def annotate(j: Journey, who: str) -> None:
    api: Api = getattr(j, who)
    taken = api.post(j.p + "/assignments/next/", expect=201)
    work = taken.json()
    assert (work["article"]["id"], work["annotator"], work["status"]) == (j.ids["journey"], who, "assigned")
    assert etag(taken) == f'"{work["version"]}"'
    assert api.post(j.p + "/assignments/next/", expect=200).json()["id"] == work["id"]  # resumed, not a second one
    a = f"/api/assignments/{work['id']}"
    j.ids[f"{who}_work"] = work["id"]

    pending = api.get(a + "/suggestions/", expect=200).json()
    take, leave = ("We will not back down", "the plan was reckless")
    if who == "ben":
        take, leave = leave, take
    accepted = api.post(f"{a}/suggestions/{suggestion(pending, take)['id']}/accept/", expect=201).json()
    assert (BODY[accepted["start"] : accepted["end"]], accepted["assignment"]) == (take, work["id"])
    left = f"{a}/suggestions/{suggestion(pending, leave)['id']}"
    api.post(left + "/reject/", expect=204)
    api.delete(left + "/decision/", headers={"If-Match": "*"}, expect=204)  # the page's undo: pending again
    api.post(left + "/reject/", expect=204)
    still = {s["text"] for s in api.get(a + "/suggestions/", expect=200).json()}
    assert take not in still and leave not in still and "It will fail within a year" in still
    # The rest of the drafts, rejected in one step (the annotate page's "reject the rest"); she marks her own.
    rest = [s["id"] for s in api.get(a + "/suggestions/", expect=200).json()]
    decided = api.post(a + "/suggestions/decisions/", json={"ids": rest, "decision": "rejected"}, expect=200).json()
    assert [(r["suggestion"], r["mention"]) for r in decided["results"]] == [(pk, None) for pk in rest]
    assert api.get(a + "/suggestions/", expect=200).json() == []

    fail = api.post(a + "/mentions/", expect=201, json={
        **span(BODY, "It will fail within a year"), "speaker_id": j.ids["rossi"], "source": span(BODY, "Maria Rossi"),
        "cue": span(BODY, "warned"), "quote_type": "direct", "claim_id": j.ids["will_fail"],
        "stance": "refute"})  # fmt: skip
    mention = fail.json()
    assert (mention["text"], mention["speaker"]["name"], mention["cue"]["text"], mention["version"]) == (
        "It will fail within a year", "Maria Rossi", "warned", 1)  # fmt: skip
    assert etag(fail) == '"1"'
    m = f"/api/mentions/{mention['id']}/"
    j.ids[f"{who}_fail_mention"] = mention["id"]

    if who == "ann":
        changed = api.patch(m, json={"stance": "support"}, headers={"If-Match": '"1"'}, expect=200)
        assert (changed.json()["stance"], changed.json()["version"], etag(changed)) == ("support", 2, '"2"')
        # A stale If-Match is 412, a missing one 428; neither changes the mention.
        api.patch(m, json={"stance": "query"}, headers={"If-Match": '"1"'}, expect=412)
        api.patch(m, json={"stance": "query"}, expect=428)
        assert api.get(m, expect=200).json()["stance"] == "support"
        # An outsider sees none of it (404), and cannot change it.
        j.oscar.get(m, expect=404)
        j.oscar.patch(m, json={"stance": "query"}, headers={"If-Match": '"2"'}, expect=404)
        # Another annotator cannot write into ann's work.
        j.ben.post(a + "/mentions/", json=span(BODY, "The plan is fine"), expect=(403, 404))

    # A 400 for bad input changes nothing: a span whose text is not the body's there.
    before = api.get(a + "/", expect=200).json()["mentions"]
    refused = api.post(a + "/mentions/", json={"start": 0, "end": 5, "text": "Wrong"}, expect=400).json()
    assert "text" in refused
    assert api.get(a + "/", expect=200).json()["mentions"] == before

    fine = api.post(a + "/mentions/", expect=201, json={**span(BODY, "The plan is fine"), "quote_type": "indirect",
                                                        "cue": span(BODY, "according to")}).json()  # fmt: skip
    api.delete(f"/api/mentions/{fine['id']}/", headers={"If-Match": '"1"'}, expect=204)
    api.get(f"/api/mentions/{fine['id']}/", expect=404)

    stance = api.post(a + "/article-stances/", json={"claim_id": j.ids["will_fail"], "stance": "support"}, expect=201)
    s = f"/api/article-stances/{stance.json()['id']}/"
    if who == "ann":
        patched = api.patch(s, json={"stance": "refute"}, headers={"If-Match": etag(stance)}, expect=200)
        assert patched.json()["stance"] == "refute"
        api.delete(s, headers={"If-Match": etag(patched)}, expect=204)
        api.get(s, expect=404)
    first_stance = "query" if who == "ann" else "refute"
    kept = api.post(a + "/article-stances/", json={"claim_id": j.ids["reckless"], "stance": first_stance}, expect=201)
    replaced = api.post(a + "/article-stances/", json={"claim_id": j.ids["reckless"], "stance": "support"}, expect=200)
    assert replaced.json()["id"] == kept.json()["id"] and replaced.json()["stance"] == "support"

    submit(api, work["id"])


def submit(api: Api, assignment: int) -> dict:
    current = api.get(f"/api/assignments/{assignment}/", expect=200)
    done = api.patch(f"/api/assignments/{assignment}/", json={"status": "submitted"},
                     headers={"If-Match": etag(current)}, expect=200).json()  # fmt: skip
    assert done["status"] == "submitted" and done["submitted_at"]
    return done


def review(j: Journey) -> None:
    ben_work = f"/api/assignments/{j.ids['ben_work']}/"
    # Sent back with a comment, resumed by ben through `next`, handed in again.
    current = j.rita.get(ben_work, expect=200)
    back = j.rita.patch(ben_work, json={"status": "in_progress", "review_comment": "Check the stance."},
                        headers={"If-Match": etag(current)}, expect=200).json()  # fmt: skip
    assert (back["status"], back["review_comment"]) == ("in_progress", "Check the stance.")
    resumed = j.ben.post(j.p + "/assignments/next/", expect=200).json()
    assert (resumed["id"], resumed["review_comment"]) == (j.ids["ben_work"], "Check the stance.")
    submit(j.ben, j.ids["ben_work"])
    assert j.ben.post(j.p + "/assignments/next/", expect=(200, 201)).json()["article"]["id"] != j.ids["journey"]

    queue = j.rita.get(j.p + "/review-queue/", expect=200).json()
    item = next(i for i in queue if i["article"]["id"] == j.ids["journey"])
    assert (sorted(item["annotators"]), item["reviewed"], item["gold_id"]) == (["ann", "ben"], False, None)
    assert item["disagreeing"] >= 1
    j.ann.get(j.p + "/review-queue/", expect=403)

    lined_up = j.rita.get(f"/api/articles/{j.ids['journey']}/review/", expect=200).json()
    assert lined_up["article"]["body"] == BODY
    unit = next(u for u in lined_up["units"] if BODY[u["start"] : u["end"]] == "It will fail within a year")
    assert (unit["mentions"]["ann"]["stance"], unit["mentions"]["ben"]["stance"]) == ("support", "refute")
    assert "stance" in unit["differs"]
    ann_stances = lined_up["article_stance_ids"]["ann"]
    ben_stances = lined_up["article_stance_ids"]["ben"]

    # One claim was two: ben's mention goes to a claim of its own.
    split = j.rita.post(f"/api/claims/{j.ids['will_fail']}/split/", expect=201, json={
        "text": "The plan fails within a year", "mention_ids": [j.ids["ben_fail_mention"]]}).json()  # fmt: skip
    claim_of = {who: j.rita.get(f"/api/mentions/{j.ids[who + '_fail_mention']}/", expect=200).json()["claim"]["id"]
                for who in ("ann", "ben")}  # fmt: skip
    assert claim_of == {"ann": j.ids["will_fail"], "ben": split["id"]}

    started = j.rita.post(f"/api/articles/{j.ids['journey']}/gold/", expect=201).json()
    assert (started["is_gold"], started["annotator"]) == (True, "rita")
    assert j.mia.post(f"/api/articles/{j.ids['journey']}/gold/", expect=200).json()["id"] == started["id"]
    g = f"/api/assignments/{started['id']}"
    copied = j.rita.post(g + "/copy/", json={"mention_id": j.ids["ann_fail_mention"]}, expect=201)
    assert copied.json()["text"] == "It will fail within a year" and copied.json()["assignment"] == started["id"]
    stance = j.rita.post(g + "/copy/", json={"article_stance_id": ben_stances[str(j.ids["reckless"])]}, expect=201)
    assert stance.json()["stance"] == "support"
    # A 400 changes nothing: the same mention again is refused.
    before = j.rita.get(g + "/", expect=200).json()
    j.rita.post(g + "/copy/", json={"mention_id": j.ids["ann_fail_mention"]}, expect=400)
    j.rita.post(g + "/copy/", json={"mention_id": 1, "article_stance_id": 1}, expect=400)
    assert j.rita.get(g + "/", expect=200).json() == before
    edited = j.rita.patch(f"/api/mentions/{copied.json()['id']}/", json={"quote_type": "mixed"},
                          headers={"If-Match": etag(copied)}, expect=200).json()  # fmt: skip
    assert edited["quote_type"] == "mixed"
    assert str(j.ids["will_fail"]) not in ann_stances  # ann deleted that one
    gold = submit(j.rita, started["id"])
    assert [m["text"] for m in gold["mentions"]] == ["It will fail within a year"]

    queue = j.rita.get(j.p + "/review-queue/?status=all", expect=200).json()
    item = next(i for i in queue if i["article"]["id"] == j.ids["journey"])
    assert (item["reviewed"], item["gold_id"]) == (True, started["id"])

    figures = j.rita.get(j.p + "/agreement/", expect=200).json()
    assert figures["annotators"] == ["ann", "ben", "imp-ana", "imp-bea"]
    assert (figures["n_articles"], figures["n_submissions"]) == (2, 4)
    pair = j.rita.get(j.p + "/agreement/?annotator=ann&annotator=ben", expect=200).json()
    assert (pair["n_articles"], pair["n_submissions"]) == (1, 2)
    j.ann.get(j.p + "/agreement/", expect=403)


# --- exports ------------------------------------------------------------------------------------
def check_spans(text: str, value, where: str) -> int:
    """Every {start, end, text} inside `value` is text[start:end]; how many there were."""
    count = 0
    if isinstance(value, dict):
        if {"start", "end", "text"} <= value.keys() and isinstance(value["start"], int):
            assert text[value["start"] : value["end"]] == value["text"], (where, value)
            count += 1
        for key, item in value.items():
            if key != "article":
                count += check_spans(text, item, where)
    elif isinstance(value, list):
        count += sum(check_spans(text, item, where) for item in value)
    return count


def check_jsonl(data: bytes) -> dict:
    lines = [json.loads(line) for line in data.decode().splitlines()]
    mentions = 0
    for line in lines:
        body = line["article"]["body"]
        for annotation in line["annotations"]:
            mentions += len(annotation["mentions"])
            check_spans(body, annotation["mentions"], line["article"]["external_id"])
    return {
        "records": len(lines),
        "mentions": mentions,
        "articles": {line["article"]["external_id"] for line in lines},
        "annotators": {(line["article"]["external_id"], a["annotator"]) for line in lines for a in line["annotations"]},
    }


def unquote(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell  # the csv export's formula-injection quote, undone


def check_csv(data: bytes, bodies: dict[str, str]) -> dict:
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    for row in rows:
        body = bodies[unquote(row["external_id"])]
        for part in ("content", "source", "cue"):
            if row[f"{part}_start"]:
                start, end = int(row[f"{part}_start"]), int(row[f"{part}_end"])
                assert body[start:end] == unquote(row[f"{part}_text"]), row
    return {"records": len(rows), "mentions": len(rows)}


def check_fnc1(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["bodies.csv", "stances.csv"]
        bodies = list(csv.reader(io.StringIO(archive.read("bodies.csv").decode())))
        stances = list(csv.reader(io.StringIO(archive.read("stances.csv").decode())))
    assert bodies[0] == ["Body ID", "articleBody"] and stances[0] == ["Headline", "Body ID", "Stance"]
    body_ids = {row[0] for row in bodies[1:]}
    for headline, body_id, label in stances[1:]:
        assert headline and body_id in body_ids and label in ("agree", "disagree", "discuss", "unrelated")
    return {"records": len(stances) - 1}


def check_emergent(data: bytes) -> dict:
    rows = list(csv.reader(io.StringIO(data.decode())))
    assert rows[0] == ["", "claimHeadline", "articleHeadline", "articleHeadlineStance", "articleId", "claimId",
                       "articleBody", "articleUrl", "source"]  # fmt: skip
    assert all(len(row) == 9 and row[3] in ("for", "against", "observing") for row in rows[1:]), rows
    return {"records": len(rows) - 1}


def check_semeval(data: bytes) -> dict:
    rows = list(csv.reader(io.StringIO(data.decode()), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["ID", "Target", "Tweet", "Stance"]
    assert all(len(row) == 4 and row[3] in ("FAVOR", "AGAINST", "NONE") for row in rows[1:]), rows
    return {"records": len(rows) - 1}


def check_citron(data: bytes) -> dict:
    spans = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert all(name.endswith(".json") for name in names), names
        for name in names:
            document = json.loads(archive.read(name))
            spans += check_spans(document["text"], document["quotes"], name)
    return {"records": len(names), "spans": spans}


def check_brat(data: bytes) -> dict:
    spans = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert "annotation.conf" in names
        documents = [name for name in names if name.endswith(".ann")]
        for name in documents:
            text = archive.read(name[:-4] + ".txt").decode()
            for line in archive.read(name).decode().splitlines():
                if not line.startswith("T"):
                    continue
                _, kind_and_offsets, quoted = line.split("\t")
                pieces = [tuple(map(int, piece.split())) for piece in kind_and_offsets.split(" ", 1)[1].split(";")]
                assert " ".join(text[start:end] for start, end in pieces) == quoted, (name, line)
                spans += 1
    return {"records": len(documents), "spans": spans}


CHECKS = {"fnc1": check_fnc1, "emergent": check_emergent, "semeval2016": check_semeval, "citron": check_citron,
          "brat": check_brat}  # fmt: skip


def check_export(fmt: str, data: bytes, bodies: dict[str, str]) -> dict:
    if fmt == "jsonl":
        return check_jsonl(data)
    if fmt == "csv":
        return check_csv(data, bodies)
    return CHECKS[fmt](data)


def exports(j: Journey) -> None:
    every_article = j.mia.get(j.p + "/export/?format=jsonl&scope=all", expect=200).text.splitlines()
    bodies = {line["article"]["external_id"]: line["article"]["body"] for line in map(json.loads, every_article)}
    found = {}
    for scope in SCOPES:
        for fmt in EXPORT_FORMATS:
            answer = j.mia.get(j.p + f"/export/?format={fmt}&scope={scope}", expect=200)
            assert "attachment" in answer.headers["Content-Disposition"]
            assert answer.headers["X-Content-Type-Options"] == "nosniff"
            found[fmt, scope] = check_export(fmt, answer.body, bodies)
    # Who is in which scope: gold is the reviewed versions, submitted adds the annotators' handed-in work.
    gold = check_jsonl(j.rita.get(j.p + "/export/?format=jsonl&scope=gold", expect=200).body)
    assert gold["articles"] == {"journey-1", "native-1"}
    assert gold["annotators"] == {("journey-1", "rita"), ("native-1", "imp-gil")}
    submitted = check_jsonl(j.mia.get(j.p + "/export/?format=jsonl&scope=submitted", expect=200).body)
    assert submitted["annotators"] == {("journey-1", name) for name in ("rita", "ann", "ben")} | {
        ("native-1", name) for name in ("imp-gil", "imp-ana", "imp-bea")
    }
    everything = check_jsonl(j.mia.get(j.p + "/export/?format=jsonl&scope=all", expect=200).body)
    assert everything["articles"] == external_ids(j)  # scope all: every article
    assert ("bulk-1", "ben") in everything["annotators"]  # ben's next article, not started
    for scope in SCOPES:  # one csv row per mention of the jsonl export, in every scope
        assert found["csv", scope]["records"] == found["jsonl", scope]["mentions"], scope
    assert found["jsonl", "gold"]["mentions"] == 2  # the journey's gold mention and the imported one
    # Submitted: ann's and ben's two mentions each, the gold one, three imported; six have a claim and a stance.
    assert found["jsonl", "submitted"]["mentions"] == 8
    # SemEval rows: those six, and one per article stance with a SemEval label (as Emergent's: both omit
    # "unrelated"), the article's text as the tweet.
    assert found["semeval2016", "submitted"]["records"] == 6 + found["emergent", "submitted"]["records"]
    assert found["fnc1", "gold"]["records"] == found["emergent", "gold"]["records"] == 2
    assert found["brat", "submitted"]["records"] == found["citron", "submitted"]["records"] == 6
    # Refused: an annotator's export (it holds everyone's work), an outsider's, and an unknown format.
    j.ann.get(j.p + "/export/?format=jsonl", expect=403)
    j.oscar.get(j.p + "/export/?format=jsonl", expect=404)
    j.mia.get(j.p + "/export/?format=xml", expect=400)


def assignment_control(j: Journey) -> None:
    note = j.mia.get(j.p + "/articles/?external_id=note", expect=200).json()["results"][0]["id"]
    settings = j.mia.patch(f"/api/articles/{note}/queue-settings/", json={"priority": 5, "qualification": True},
                           expect=200).json()  # fmt: skip
    assert settings == {"article": note, "priority": 5, "qualification": True}
    j.rita.patch(f"/api/articles/{note}/queue-settings/", json={"priority": 9}, expect=403)
    queue = j.rita.get(j.p + "/assignment-queue/?show=all", expect=200).json()
    assert (queue["results"][0]["article"]["id"], queue["results"][0]["qualification"]) == (note, True)
    given = j.mia.post(j.p + "/assignments/", json={"article_id": note, "annotator": "ann"}, expect=201).json()
    assert (given["annotator"], given["status"]) == ("ann", "assigned")
    j.rita.post(f"/api/assignments/{given['id']}/release/", expect=403)
    j.mia.post(f"/api/assignments/{given['id']}/release/", expect=204)
    j.ann.get(f"/api/assignments/{given['id']}/", expect=404)
    # Nothing has been idle for ten years: nothing is released.
    stale = j.mia.post(j.p + "/assignments/release-stale/", json={"days": 3650}, expect=200).json()
    assert stale == {"released": 0, "days": 3650}
    quality = j.rita.get(j.p + "/qualification/", expect=200).json()
    assert (quality["items"], quality["with_gold"], quality["annotators"]) == (1, 0, [])


def releases(j: Journey) -> None:
    locations = {}
    for fmt in EXPORT_FORMATS:
        queued = j.mia.post(j.p + "/releases/", json={"format": fmt, "scope": "submitted"}, expect=202)
        assert queued.json()["kind"] == "release"
        locations[fmt] = queued.headers["Location"]
    results = {}
    for fmt, location in locations.items():
        job = j.mia.wait_for_job(location)
        assert job["status"] == "succeeded", job
        results[fmt] = job["result"]
    listed = {r["id"]: r for r in j.rita.get(j.p + "/releases/", expect=200).json()["results"]}
    assert sorted(r["number"] for r in listed.values()) == list(range(1, len(EXPORT_FORMATS) + 1))
    for fmt, result in results.items():
        release = listed[result["release"]]
        assert (release["format"], release["options"]["scope"], release["download_url"]) == (
            fmt, "submitted", result["download_url"])  # fmt: skip
        download = j.rita.get(result["download_url"], expect=200)
        digest = hashlib.sha256(download.body).hexdigest()
        assert digest == download.headers["X-Content-SHA256"] == release["sha256"] == result["sha256"], fmt
        assert len(download.body) == release["size"] == result["size"]
        assert "attachment" in download.headers["Content-Disposition"]
        live = j.mia.get(j.p + f"/export/?format={fmt}&scope=submitted", expect=200).body
        assert download.body == live, f"the {fmt} release differs from the export of the same data"
    # Refused: an annotator cuts none and downloads none; a bad option is a 400 and queues nothing.
    j.ann.post(j.p + "/releases/", json={"format": "jsonl"}, expect=403)
    j.ann.get(next(iter(results.values()))["download_url"], expect=(403, 404))
    j.mia.post(j.p + "/releases/", json={"format": "jsonl", "split": [50, 10]}, expect=400)
    jobs = j.mia.get(j.p + "/jobs/", expect=200).json()["results"]
    assert jobs[0]["url"] == locations["brat"]


def archive(j: Journey) -> None:
    archived = j.mia.post(j.p + "/archive/", expect=200).json()
    assert archived["archived_at"] is not None
    # Read-only: writes are refused with the reason; reading and exporting go on.
    refused = j.mia.patch(j.p + "/", json={"name": "Renamed"}, expect=400).json()
    assert "archived" in refused["project"][0]
    assert j.rita.get(j.p + "/export/?format=jsonl&scope=gold", expect=200).body
    assert j.mia.post(j.p + "/restore/", expect=200).json()["archived_at"] is None


# --- the tests ------------------------------------------------------------------------------------
def test_the_whole_journey_over_http(deployment):
    deployment.started.add("journey")
    j = Journey(deployment)
    tokens(j)
    projects(j)
    members(j)
    catalogue(j)
    articles(j)
    imports(j)
    preannotation(j)
    annotate(j, "ann")
    annotate(j, "ben")
    review(j)
    assignment_control(j)
    exports(j)
    releases(j)
    datasets(j)
    archive(j)  # last: an archived project refuses writes


def test_pages_write_with_the_session_and_its_csrf_token(deployment):
    browser = deployment.browser("mia")
    login = browser.get("/accounts/login/", expect=200)
    assert browser.cookie("csrftoken")
    form = {"csrfmiddlewaretoken": csrf_token_of(login.text), "username": "mia", "password": deployment.password}
    form_body = urllib.parse.urlencode(form).encode()
    signed_in = browser.post("/accounts/login/", data=form_body, content_type="application/x-www-form-urlencoded",
                             expect=302)  # fmt: skip
    assert signed_in.headers["Location"] == "/" and browser.cookie("sessionid")

    # The page's scripts call the API with the session: a write needs the CSRF token in X-CSRFToken.
    home = browser.get("/", expect=200)
    token = csrf_token_of(home.text)  # the sign-out form's
    before = browser.get("/api/projects/", expect=200).json()["results"]
    browser.post("/api/projects/", json={"name": "Forged"}, expect=403)
    assert browser.get("/api/projects/", expect=200).json()["results"] == before
    project = browser.post("/api/projects/", json={"name": "Paged"}, headers={"X-CSRFToken": token},
                           expect=201).json()["id"]  # fmt: skip

    data_page = browser.get(f"/projects/{project}/data/", expect=200)
    token = csrf_token_of(data_page.text)
    page_file = jsonl({"external_id": "page-1", "title": "Paged", "body": "Uploaded through the page, she said."})
    # Without the token the form is refused and nothing is queued.
    body, content_type = multipart({"format": ""}, {"file": ("page.jsonl", page_file)})
    browser.post(f"/projects/{project}/data/import/", data=body, content_type=content_type, expect=403)
    assert browser.get(f"/api/projects/{project}/jobs/", expect=200).json()["results"] == []

    body, content_type = multipart({"csrfmiddlewaretoken": token, "format": ""}, {"file": ("page.jsonl", page_file)})
    posted = browser.post(f"/projects/{project}/data/import/", data=body, content_type=content_type, expect=302)
    assert posted.headers["Location"] == f"/projects/{project}/data/"
    shown = browser.get(f"/projects/{project}/data/", expect=200).text
    assert "page.jsonl is being imported" in shown and "page.jsonl" in shown.split('id="jobs"', 1)[1]
    [job] = browser.get(f"/api/projects/{project}/jobs/", expect=200).json()["results"]
    assert (job["kind"], job["parameters"]["filename"], job["created_by"]) == ("import", "page.jsonl", "mia")
    finished = browser.wait_for_job(job["url"])
    assert finished["status"] == "succeeded" and finished["result"]["accepted"] == 1, finished

    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "format": "jsonl", "scope": "all"}).encode()
    cut = browser.post(f"/projects/{project}/data/release/", data=form,
                       content_type="application/x-www-form-urlencoded", expect=302)  # fmt: skip
    assert cut.headers["Location"] == f"/projects/{project}/data/"
    release_job = browser.get(f"/api/projects/{project}/jobs/", expect=200).json()["results"][0]
    assert (release_job["kind"], release_job["parameters"]["format"]) == ("release", "jsonl")
    release = browser.wait_for_job(release_job["url"])["result"]

    # The page's download links: an export and the release, read with the session.
    shown = browser.get(f"/projects/{project}/data/", expect=200).text
    assert f'href="{release["download_url"]}"' in shown
    export_link = f"/api/projects/{project}/export/?format=jsonl&amp;scope=all"
    assert export_link in shown
    exported = browser.get(export_link.replace("&amp;", "&"), expect=200).body
    assert [json.loads(line)["article"]["external_id"] for line in exported.splitlines()] == ["page-1"]
    downloaded = browser.get(release["download_url"], expect=200)
    assert hashlib.sha256(downloaded.body).hexdigest() == downloaded.headers["X-Content-SHA256"] == release["sha256"]
    assert downloaded.body == exported

    # Signing out is a write too: with the token it ends the session.
    browser.post("/accounts/logout/", data=urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode(),
                 content_type="application/x-www-form-urlencoded", expect=302)  # fmt: skip
    browser.get("/api/projects/", expect=(401, 403))


def test_every_write_operation_of_the_schema_was_sent_with_valid_data(deployment):
    """A new POST/PUT/PATCH/DELETE route without a valid-data step in the journey fails here, by name."""
    if "journey" not in deployment.started:
        pytest.skip("the journey did not run on this server (deselected)")
    schema = deployment.api().get("/api/schema/?format=json", expect=200).json()
    templates = list(schema["paths"])
    writes = {(method, template) for method, template in operations(schema) if method in WRITE_METHODS}
    assert len(writes) >= 30  # the schema was read, not an empty document
    answered = {(s.method, template_of(s.path, templates)) for s in deployment.sent if 200 <= s.status < 300}
    missing = sorted(writes - answered)
    assert not missing, "write operations no test sent with valid data (no 2xx answer):\n" + "\n".join(
        f"  {method} {template}" for method, template in missing
    )
    server_errors = [s for s in deployment.sent if s.status >= 500]
    assert not server_errors, f"{server_errors}\n{deployment.logs()}"
