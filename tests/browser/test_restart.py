"""The annotate page survives its server going away for real (gunicorn killed and started again)."""

import os

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from claims.models import ClaimMention, Role
from tests.browser.helpers import select_text, wait_saved
from tests.builders import (
    add_member,
    database_url,
    make_article,
    make_assignment,
    make_mention,
    make_project,
    make_user,
)
from tests.servers import Server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BODY = "“We will not back down,” the minister said. Critics called the plan reckless.\n"


def test_changes_made_while_the_server_is_down_are_saved_when_it_is_back(browser):
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    work = make_assignment(make_article(project, body=BODY), bob)
    mention = make_mention(work, "We will not back down")
    session = SessionStore()
    session.update({SESSION_KEY: str(bob.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: bob.get_session_auth_hash()})  # fmt: skip
    session.save()

    env = os.environ | {
        "DATABASE_URL": database_url(connection.settings_dict),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    server = Server(env).start()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": server.url}])
        page = context.new_page()
        page.goto(f"{server.url}/assignments/{work.pk}/")
        page.wait_for_selector("#article-body[data-ready=true]")

        server.kill()  # kill -9: the server is gone, mid-session
        page.keyboard.press("j")
        page.keyboard.press("m")
        select_text(page, "Critics called the plan reckless")
        page.keyboard.press("Enter")
        page.wait_for_selector("#status.warn:has-text('Not saved yet')")
        assert page.locator("#mention-list .unsaved").count() == 2
        assert ClaimMention.objects.get(pk=mention.pk).quote_type == "direct"

        server = Server(env, port=server.port).start()  # back on the same address
        wait_saved(page)  # the page retries by itself
        assert page.locator("#mention-list .unsaved").count() == 0
        assert ClaimMention.objects.get(pk=mention.pk).quote_type == "mixed"
        assert ClaimMention.objects.filter(assignment=work, text="Critics called the plan reckless").count() == 1
    finally:
        context.close()
        server.stop()
