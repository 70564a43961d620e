"""Personas (as in healthchecks' tests): Alice manages the project, Bob and Carol annotate it,
Rita reviews it, Charlie works in another project and has no access to Alice's."""

import pytest

from claims.models import Role
from tests.builders import add_member, make_article, make_project, make_user


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def carol(db):
    return make_user("carol")


@pytest.fixture
def rita(db):
    return make_user("rita")


@pytest.fixture
def charlie(db):
    return make_user("charlie")


@pytest.fixture
def project(alice, bob, carol, rita):
    project = make_project(manager=alice, name="Newsroom")
    add_member(project, bob, Role.ANNOTATOR)
    add_member(project, carol, Role.ANNOTATOR)
    add_member(project, rita, Role.REVIEWER)
    return project


@pytest.fixture
def other_project(charlie):
    return make_project(manager=charlie, name="Elsewhere")


@pytest.fixture
def article(project):
    return make_article(project)
