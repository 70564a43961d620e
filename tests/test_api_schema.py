"""The OpenAPI schema validates and describes every route; Swagger UI is served under the CSP."""

import pytest
import yaml
from django.core.management import call_command
from django.urls import get_resolver

from tests.builders import make_user


@pytest.mark.django_db
def test_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in [
        "/api/auth/token/",
        "/api/projects/{id}/",
        "/api/projects/{id}/assignments/next/",
        "/api/mentions/{id}/",
        "/api/article-stances/{id}/",
        "/api/claims/{id}/timeline/",
    ]:
        assert path in paths, path
    mention = schema["components"]["schemas"]["Mention"]["properties"]
    assert {"start", "end", "text", "speaker", "source", "cue", "quote_type", "claim", "stance"} <= set(mention)
    patch = paths["/api/mentions/{id}/"]["patch"]
    assert any(p["name"] == "If-Match" and p["required"] for p in patch["parameters"])
    assert {"200", "400", "403", "404", "412", "428"} <= set(patch["responses"])


@pytest.mark.django_db
def test_schema_and_docs_are_served(client):
    client.force_login(make_user("alice"))
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    csp = docs["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_every_api_route_is_named():
    api = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/")
    assert all(route.name for route in api.url_patterns)


@pytest.mark.django_db
def test_schema_documents_the_errors_any_operation_can_answer(tmp_path):
    """What schema fuzzing found undocumented (tests/test_fuzz_api.py): a client reading the schema
    must know every status and media type it can get back."""
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            codes = set(operation["responses"])
            if operation.get("security"):
                assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if "requestBody" in operation:
                assert {"400", "413", "415"} <= codes, (method, path)
    assert {"200", "400", "429"} <= set(schema["paths"]["/api/auth/token/"]["post"]["responses"])
    export = schema["paths"]["/api/projects/{id}/export/"]["get"]["responses"]["200"]["content"]
    assert {"application/x-ndjson", "text/csv", "text/tab-separated-values", "application/zip"} == set(export)

    components = schema["components"]["schemas"]
    # Scores are only in ranked lists.
    assert "score" not in components["Claim"]["required"] and "score" not in components["Speaker"]["required"]
    # A PATCH body is the view's own input serializer, not every field made optional.
    assert components["StatusChangeRequest"]["required"] == ["status"]
    assert components["MemberRoleChangeRequest"]["required"] == ["role"]
    assert "required" not in components["MentionChangeRequest"]
    # Unknown keys are refused (400), and the schema says so.
    assert components["MentionWriteRequest"]["additionalProperties"] is False
    assert components["ProjectWriteRequest"]["additionalProperties"] is False
