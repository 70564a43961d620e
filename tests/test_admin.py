"""The admin works for a superuser on every model, and guards annotated bodies."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from claims.models import Article, ClaimMention
from tests.builders import make_user


@pytest.fixture
def staff_client(client, db):
    call_command("load_seeds")
    user = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def admin_pages():
    for model, model_admin in admin.site._registry.items():
        yield pytest.param(model, model_admin, id=f"{model._meta.app_label}.{model._meta.model_name}")


@pytest.mark.parametrize(("model", "model_admin"), list(admin_pages()))
def test_every_changelist_add_and_change_page_answers(staff_client, model, model_admin):
    info = (model._meta.app_label, model._meta.model_name)
    assert staff_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    # Event (history) models are read-only: their add page is forbidden, every other one answers.
    assert staff_client.get(reverse("admin:{}_{}_add".format(*info))).status_code in (200, 403)
    obj = model.objects.first()
    if obj is not None:
        assert staff_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200


def test_admin_search_and_filters_answer(staff_client):
    url = reverse("admin:claims_claimmention_changelist")
    assert "Kathryn Wheelbarger" in staff_client.get(url, {"q": "devastating"}).content.decode()
    assert staff_client.get(url, {"quote_type__exact": "direct"}).status_code == 200
    assert (
        "Wheelbarger"
        in staff_client.get(reverse("admin:claims_speaker_changelist"), {"q": "pentagon"}).content.decode()
    )


def test_annotated_article_body_is_read_only_in_admin(staff_client):
    article = Article.objects.get()
    page = staff_client.get(reverse("admin:claims_article_change", args=[article.pk])).content.decode()
    assert 'name="body"' not in page
    assert 'name="title"' in page


def test_admin_mention_edit_meets_the_same_rules(staff_client):
    mention = ClaimMention.objects.filter(cue_text="warned", assignment__is_gold=True).get()
    url = reverse("admin:claims_claimmention_change", args=[mention.pk])
    form = {
        "assignment": mention.assignment_id, "start": mention.start, "end": mention.end, "text": "not the text",
        "quote_type": "mixed", "speaker": mention.speaker_id, "claim": mention.claim_id, "stance": "refute",
        "source_start": "", "source_end": "", "source_text": "", "cue_start": "", "cue_end": "", "cue_text": "",
    }  # fmt: skip
    response = staff_client.post(url, form)
    assert response.status_code == 200 and "does not match the article" in response.content.decode()
    form["text"] = mention.text
    assert staff_client.post(url, form).status_code == 302
    mention.refresh_from_db()
    assert (mention.cue_text, mention.version) == (None, 2)


def test_admin_article_stance_edit_meets_the_same_rules(staff_client):
    from claims.models import ArticleStance

    stance = ArticleStance.objects.first()
    url = reverse("admin:claims_articlestance_change", args=[stance.pk])
    form = {"assignment": stance.assignment_id, "claim": stance.claim_id, "stance": "agree"}
    response = staff_client.post(url, form)
    assert response.status_code == 200 and "is not a stance label of this project" in response.content.decode()
    form["stance"] = "unrelated"
    assert staff_client.post(url, form).status_code == 302
    stance.refresh_from_db()
    assert (stance.stance, stance.version) == ("unrelated", 2)


def test_admin_filters_reviewed_and_disagreeing_articles(staff_client):
    url = reverse("admin:claims_article_changelist")
    reviewed = staff_client.get(url, {"review": "reviewed"}).content.decode()
    unreviewed = staff_client.get(url, {"review": "unreviewed"}).content.decode()
    assert "Turkey Defies NATO Allies" in reviewed and "Turkey Defies NATO Allies" not in unreviewed
    disagreeing = staff_client.get(url, {"agreement": "disagreeing"}).content.decode()
    agreeing = staff_client.get(url, {"agreement": "agreeing"}).content.decode()
    assert "Turkey Defies NATO Allies" in disagreeing and "Turkey Defies NATO Allies" not in agreeing


def test_admin_shows_everyones_work_on_an_article(staff_client):
    page = staff_client.get(reverse("admin:claims_article_change", args=[Article.objects.get().pk])).content.decode()
    assert "everyone" in page and "<th>ana</th>" in page and "<th>ben</th>" in page and "<th>gold</th>" in page
    assert "Kathryn Wheelbarger · mixed · refute" in page
