"""The tier's deployment is the README's: its gunicorn command and worker, production settings, and the
static files `collectstatic` prepared."""

from __future__ import annotations

import json
import re
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.slow


def test_it_runs_on_the_database_server_its_label_names(deployment):
    assert deployment.label.endswith(f"-pg{deployment.server_version.split('.')[0]}"), deployment.server_version


def test_it_serves_with_the_readmes_gunicorn_workers_and_runs_a_job_worker(deployment):
    arguments = deployment.server.arguments
    assert arguments[arguments.index("--worker-class") + 1] == "gthread"
    workers = psutil.Process(deployment.server.process.pid).children()
    assert len(workers) == int(arguments[arguments.index("--workers") + 1]) == 2
    assert deployment.worker.process.poll() is None, deployment.logs()


def test_it_answers_with_production_settings(deployment):
    visitor = deployment.browser("visitor")
    assert visitor.get("/healthz", expect=200)
    missing = visitor.get("/no-such-page/", expect=404)
    assert "URLconf" not in missing.text and "Traceback" not in missing.text  # no DEBUG page
    page = visitor.get("/accounts/login/", expect=200)
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "HttpOnly" in page.headers["Set-Cookie"]  # the CSRF cookie: pages carry the token instead
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page.text).group(1)
    served = visitor.get(stylesheet, expect=200)
    assert served.headers["Content-Type"].startswith("text/css") and served.body


def test_after_collectstatic_pages_link_static_files_by_their_hashed_names(deployment):
    visitor = deployment.browser("visitor")
    page = visitor.get("/accounts/login/", expect=200).text
    stylesheet = re.search(r'href="(/static/annotator/app[^"]*\.css)"', page).group(1)
    served = visitor.get(stylesheet, expect=200)
    assert re.fullmatch(r"/static/annotator/app\.[0-9a-f]{12}\.css", stylesheet), stylesheet
    assert "immutable" in served.headers["Cache-Control"]  # WhiteNoise caches hashed files for good


def test_the_pages_modules_import_each_other_by_their_hashed_names(deployment):
    """A script's `import … from "./page.js"` is rewritten by collectstatic like the page's own link, so
    every module one page loads comes from the same deploy."""
    manifest = json.loads((Path(deployment.env["STATIC_ROOT"]) / "staticfiles.json").read_text())["paths"]
    visitor = deployment.browser("visitor")
    script = visitor.get(f"/static/{manifest['annotator/annotate.js']}", expect=200).text
    imports = re.findall(r'from\s+"\./([^"]+)"', script)
    originals = {re.sub(r"\.[0-9a-f]{12}\.js$", ".js", name): name for name in imports}
    assert {"page.js", "save_queue.js", "keys.js", "api.js"} <= originals.keys(), imports
    for original, hashed in originals.items():
        assert manifest[f"annotator/{original}"] == f"annotator/{hashed}", (original, hashed)
        assert "immutable" in visitor.get(f"/static/annotator/{hashed}", expect=200).headers["Cache-Control"]
