"""The permission matrix: every route × read and write × anonymous, outsider, both annotators,
reviewer and manager. Refused writes must leave every stored row exactly as it was."""

import pytest

from claims.models import ArticleStance, Assignment, ClaimMention
from claims.services.assignments import assignment_submit
from tests.api import build_world, client_for, fingerprint

PERSONAS = ("anon", "charlie", "bob", "carol", "rita", "alice")


def expect(*codes: int) -> dict[str, int]:
    return dict(zip(PERSONAS, codes, strict=True))


def version_of(model, pk) -> str:
    return f'"{model.objects.get(pk=pk).version}"'


SPAN = {"start": 0, "end": 9, "text": "Officials"}

# (name, method, url(w), body(w) or None, If-Match(w) or None, expected status by persona)
CASES = [
    # --- reads ---
    ("list projects", "get", lambda w: "/api/projects/", None, None, expect(401, 200, 200, 200, 200, 200)),
    ("read project", "get", lambda w: f"/api/projects/{w.project.pk}/", None, None,
     expect(401, 404, 200, 200, 200, 200)),
    ("list members", "get", lambda w: f"/api/projects/{w.project.pk}/members/", None, None,
     expect(401, 404, 200, 200, 200, 200)),
    ("read member", "get", lambda w: f"/api/projects/{w.project.pk}/members/bob/", None, None,
     expect(401, 404, 200, 200, 200, 200)),
    ("list articles", "get", lambda w: f"/api/projects/{w.project.pk}/articles/", None, None,
     expect(401, 404, 200, 200, 200, 200)),
    ("read an assigned article", "get", lambda w: f"/api/articles/{w.article.pk}/", None, None,
     expect(401, 404, 200, 200, 200, 200)),
    ("read an unassigned article (blind)", "get", lambda w: f"/api/articles/{w.spare_article.pk}/", None, None,
     expect(401, 404, 404, 404, 200, 200)),
    ("list speakers", "get", lambda w: f"/api/projects/{w.project.pk}/speakers/?search=min", None, None,
     expect(401, 404, 200, 200, 200, 200)),
    ("read speaker", "get", lambda w: f"/api/speakers/{w.speaker.pk}/", None, None,
     expect(401, 404, 200, 200, 200, 200)),
    ("list claims", "get", lambda w: f"/api/projects/{w.project.pk}/claims/?similar_to=plan", None, None,
     expect(401, 404, 200, 200, 200, 200)),
    ("read claim", "get", lambda w: f"/api/claims/{w.claim.pk}/", None, None, expect(401, 404, 200, 200, 200, 200)),
    ("claim timeline", "get", lambda w: f"/api/claims/{w.claim.pk}/timeline/", None, None,
     expect(401, 404, 200, 200, 200, 200)),
    ("list assignments", "get", lambda w: f"/api/projects/{w.project.pk}/assignments/", None, None,
     expect(401, 404, 200, 200, 200, 200)),
    ("read Bob's assignment", "get", lambda w: f"/api/assignments/{w.bob_work.pk}/", None, None,
     expect(401, 404, 200, 404, 200, 200)),
    ("read the gold assignment", "get", lambda w: f"/api/assignments/{w.gold.pk}/", None, None,
     expect(401, 404, 404, 404, 200, 200)),
    ("list Bob's mentions", "get", lambda w: f"/api/assignments/{w.bob_work.pk}/mentions/", None, None,
     expect(401, 404, 200, 404, 200, 200)),
    ("read Bob's mention", "get", lambda w: f"/api/mentions/{w.bob_mention.pk}/", None, None,
     expect(401, 404, 200, 404, 200, 200)),
    ("list Bob's article stances", "get", lambda w: f"/api/assignments/{w.bob_work.pk}/article-stances/", None,
     None, expect(401, 404, 200, 404, 200, 200)),
    ("read Bob's article stance", "get", lambda w: f"/api/article-stances/{w.bob_stance.pk}/", None, None,
     expect(401, 404, 200, 404, 200, 200)),
    ("read another project's mention", "get", lambda w: f"/api/mentions/{w.other_mention.pk}/", None, None,
     expect(401, 200, 404, 404, 404, 404)),
    ("read another project's speaker", "get", lambda w: f"/api/speakers/{w.other_speaker.pk}/", None, None,
     expect(401, 200, 404, 404, 404, 404)),
    # --- writes ---
    ("create a project", "post", lambda w: "/api/projects/", lambda w: {"name": "New"}, None,
     expect(401, 201, 403, 403, 403, 201)),
    ("change project settings", "patch", lambda w: f"/api/projects/{w.project.pk}/",
     lambda w: {"name": "Renamed"}, None, expect(401, 404, 403, 403, 403, 200)),
    ("add a member", "post", lambda w: f"/api/projects/{w.project.pk}/members/",
     lambda w: {"username": "charlie", "role": "annotator"}, None, expect(401, 404, 403, 403, 403, 201)),
    ("change a member's role", "patch", lambda w: f"/api/projects/{w.project.pk}/members/carol/",
     lambda w: {"role": "reviewer"}, None, expect(401, 404, 403, 403, 403, 200)),
    ("remove a member, releasing her work", "delete",
     lambda w: f"/api/projects/{w.project.pk}/members/carol/?release_work=true", None, None,
     expect(401, 404, 403, 403, 403, 204)),
    ("remove a member who holds unsubmitted work", "delete", lambda w: f"/api/projects/{w.project.pk}/members/carol/",
     None, None, expect(401, 404, 403, 403, 403, 400)),
    ("create an account", "post", lambda w: f"/api/projects/{w.project.pk}/accounts/",
     lambda w: {"username": "newcomer", "email": "new@example.org"}, None, expect(401, 404, 403, 403, 403, 201)),
    ("archive the project", "post", lambda w: f"/api/projects/{w.project.pk}/archive/", None, None,
     expect(401, 404, 403, 403, 403, 200)),
    ("restore a project that is not archived", "post", lambda w: f"/api/projects/{w.project.pk}/restore/", None,
     None, expect(401, 404, 403, 403, 403, 400)),
    ("add an article", "post", lambda w: f"/api/projects/{w.project.pk}/articles/",
     lambda w: {"external_id": "new", "body": "Text."}, None, expect(401, 404, 403, 403, 403, 201)),
    ("add articles in bulk", "post", lambda w: f"/api/projects/{w.project.pk}/articles/",
     lambda w: [{"external_id": "n1", "body": "One."}, {"external_id": "n2", "body": "Two."}], None,
     expect(401, 404, 403, 403, 403, 201)),
    ("edit an article", "patch", lambda w: f"/api/articles/{w.article.pk}/", lambda w: {"title": "T2"}, None,
     expect(401, 404, 403, 403, 403, 200)),
    ("delete an unlabelled article", "delete", lambda w: f"/api/articles/{w.spare_article.pk}/", None, None,
     expect(401, 404, 404, 404, 403, 204)),
    ("add a speaker", "post", lambda w: f"/api/projects/{w.project.pk}/speakers/",
     lambda w: {"name": "New Speaker", "aliases": ["NS"]}, None, expect(401, 404, 201, 201, 201, 201)),
    ("edit a speaker", "patch", lambda w: f"/api/speakers/{w.speaker.pk}/", lambda w: {"role": "Minister"}, None,
     expect(401, 404, 403, 403, 200, 200)),
    ("delete an unused speaker", "delete", lambda w: f"/api/speakers/{w.unused_speaker.pk}/", None, None,
     expect(401, 404, 403, 403, 403, 204)),
    ("track a claim", "post", lambda w: f"/api/projects/{w.project.pk}/claims/", lambda w: {"text": "New claim"},
     None, expect(401, 404, 201, 201, 201, 201)),
    ("reword a claim", "patch", lambda w: f"/api/claims/{w.claim.pk}/", lambda w: {"notes": "n"}, None,
     expect(401, 404, 403, 403, 200, 200)),
    ("delete an unused claim", "delete", lambda w: f"/api/claims/{w.unused_claim.pk}/", None, None,
     expect(401, 404, 403, 403, 403, 204)),
    ("take the next article", "post", lambda w: f"/api/projects/{w.project.pk}/assignments/next/", None, None,
     expect(401, 404, 200, 200, 201, 201)),
    ("submit Bob's work", "patch", lambda w: f"/api/assignments/{w.bob_work.pk}/",
     lambda w: {"status": "submitted"}, lambda w: version_of(Assignment, w.bob_work.pk),
     expect(401, 404, 200, 404, 403, 403)),
    ("label in Bob's work", "post", lambda w: f"/api/assignments/{w.bob_work.pk}/mentions/", lambda w: SPAN, None,
     expect(401, 404, 201, 404, 403, 403)),
    ("change Bob's mention", "patch", lambda w: f"/api/mentions/{w.bob_mention.pk}/",
     lambda w: {"quote_type": "mixed"}, lambda w: version_of(ClaimMention, w.bob_mention.pk),
     expect(401, 404, 200, 404, 403, 403)),
    ("delete Bob's mention", "delete", lambda w: f"/api/mentions/{w.bob_mention.pk}/", None,
     lambda w: version_of(ClaimMention, w.bob_mention.pk), expect(401, 404, 204, 404, 403, 403)),
    ("set an article stance in Bob's work", "post", lambda w: f"/api/assignments/{w.bob_work.pk}/article-stances/",
     lambda w: {"claim_id": w.unused_claim.pk, "stance": "support"}, None, expect(401, 404, 201, 404, 403, 403)),
    ("change Bob's article stance", "patch", lambda w: f"/api/article-stances/{w.bob_stance.pk}/",
     lambda w: {"stance": "refute"}, lambda w: version_of(ArticleStance, w.bob_stance.pk),
     expect(401, 404, 200, 404, 403, 403)),
    ("delete Bob's article stance", "delete", lambda w: f"/api/article-stances/{w.bob_stance.pk}/", None,
     lambda w: version_of(ArticleStance, w.bob_stance.pk), expect(401, 404, 204, 404, 403, 403)),
    ("label the gold version", "post", lambda w: f"/api/assignments/{w.gold.pk}/mentions/", lambda w: SPAN, None,
     expect(401, 404, 404, 404, 201, 201)),
    ("label in another project's work", "post", lambda w: f"/api/assignments/{w.other_work.pk}/mentions/",
     lambda w: SPAN, None, expect(401, 201, 404, 404, 404, 404)),
]  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "body", "if_match", "expected"), CASES, ids=[c[0] for c in CASES])
def test_route(db, persona, name, method, url, body, if_match, expected):
    world = build_world()
    client = client_for(None if persona == "anon" else world.users[persona])
    headers = {"HTTP_IF_MATCH": if_match(world)} if if_match else {}
    before = fingerprint()
    response = getattr(client, method)(url(world), body(world) if body else None, format="json", **headers)
    assert response.status_code == expected[persona], response.content
    if method != "get" and response.status_code >= 400:
        assert fingerprint() == before, "a refused write changed stored data"


def test_lists_show_only_what_the_caller_may_see(db):
    world = build_world()
    bob, rita, charlie = (client_for(world.users[name]) for name in ("bob", "rita", "charlie"))
    assert [p["name"] for p in charlie.get("/api/projects/").json()["results"]] == ["Q"]
    bob_assignments = bob.get(f"/api/projects/{world.project.pk}/assignments/").json()["results"]
    assert [(a["annotator"], a["is_gold"]) for a in bob_assignments] == [("bob", False)]
    rita_assignments = rita.get(f"/api/projects/{world.project.pk}/assignments/").json()["results"]
    assert sorted(a["annotator"] for a in rita_assignments) == ["bob", "carol", "rita"]
    bob_articles = bob.get(f"/api/projects/{world.project.pk}/articles/").json()["results"]
    assert [a["id"] for a in bob_articles] == [world.article.pk]
    timeline = bob.get(f"/api/claims/{world.claim.pk}/timeline/").json()["results"]
    assert [entry["annotator"] for entry in timeline] == ["bob"]


def test_anonymous_gets_a_token_challenge(db):
    response = client_for().get("/api/projects/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_non_blind_projects_let_annotators_read_each_others_work(db):
    world = build_world()
    world.project.blind_annotation = False
    world.project.save()
    carol = client_for(world.users["carol"])
    assert carol.get(f"/api/assignments/{world.bob_work.pk}/").status_code == 200
    response = carol.post(f"/api/assignments/{world.bob_work.pk}/mentions/", SPAN, format="json")
    assert response.status_code == 403


def test_removed_member_loses_access_to_their_own_work(db):
    world = build_world()
    assignment_submit(assignment=world.bob_work)
    alice = client_for(world.users["alice"])
    assert alice.delete(f"/api/projects/{world.project.pk}/members/bob/").status_code == 204
    assert client_for(world.users["bob"]).get(f"/api/assignments/{world.bob_work.pk}/").status_code == 404
