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
