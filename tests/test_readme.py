"""The README's promises: its API example runs as written against the demo project."""

import os
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command

from claims.models import ClaimMention
from tests.builders import make_user


def readme_block(name: str) -> str:
    readme = (settings.BASE_DIR / "README.md").read_text()
    block = re.search(rf"<!-- {name}:start -->\n```sh\n(.*?)```\n<!-- {name}:end -->", readme, re.S)
    assert block, f"README has no {name} block"
    return block.group(1)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.django_db(transaction=True)
def test_api_example_in_the_readme_works(live_server):
    call_command("load_seeds")
    from claims.models import Project
    from claims.services.projects import membership_set

    admin = make_user("admin", is_staff=True, is_superuser=True)
    membership_set(project=Project.objects.get(slug="demo"), user=admin, role="manager")
    env = {"PATH": os.environ["PATH"], "BASE": live_server.url, "PASSWORD": "correct horse battery"}
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", readme_block("api-example")], env=env,
                            capture_output=True, text=True, timeout=120, cwd=settings.BASE_DIR)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Recep Tayyip Erdoğan"
    assert "Turkey will go ahead with the S-400 purchase" in lines[1]
    assert lines[-1] == "submitted"
    mention = ClaimMention.objects.get(assignment__annotator=admin, assignment__is_gold=False)
    body = mention.assignment.article.body
    assert body[mention.start : mention.end] == mention.text == "We are determined"
    assert (mention.quote_type, mention.version) == ("mixed", 2)
