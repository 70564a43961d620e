"""The demo project under seeds/: loads completely, exactly, and only once."""

import json

import pytest
from django.conf import settings
from django.core.management import call_command

from claims.models import Article, ArticleStance, Assignment, Claim, ClaimMention, Project, Speaker, SpeakerAlias

SEED = settings.BASE_DIR / "seeds" / "demo"


def counts() -> dict:
    models = [Project, Article, Speaker, SpeakerAlias, Claim, Assignment, ClaimMention, ArticleStance]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_loading_seeds_twice_gives_the_same_counts():
    call_command("load_seeds")
    first = counts()
    call_command("load_seeds")
    assert counts() == first
    # gold (10 mentions) plus two annotators (9 each), all speakers and claims from the catalogue
    assert first["ClaimMention"] == 28 and first["Speaker"] == 6 and first["Claim"] == 3
    assert first["Assignment"] == 3


@pytest.mark.django_db
def test_demo_article_text_is_the_shared_seed_exactly():
    call_command("load_seeds")
    raw = settings.BASE_DIR.parent / "shared" / "seeds" / "000_d61f7d09f0efd369.txt"
    line = json.loads((SEED / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0])
    article = Article.objects.get(external_id="000_d61f7d09f0efd369")
    assert article.body == line["article"]["body"]
    if raw.exists():  # the shared folder sits beside the project on developer machines and in CI
        title, _, rest = raw.read_text(encoding="utf-8").partition("\n")
        assert (article.title, article.body) == (title, rest[1:])


@pytest.mark.django_db
def test_demo_gold_is_complete_and_every_span_matches_the_body():
    call_command("load_seeds")
    gold = Assignment.objects.get(is_gold=True)
    body = gold.article.body
    mentions = list(gold.mentions.select_related("speaker", "claim"))
    for mention in mentions:
        assert body[mention.start : mention.end] == mention.text
        assert body[mention.source_start : mention.source_end] == mention.source_text
        assert body[mention.cue_start : mention.cue_end] == mention.cue_text
    by_speaker = {(m.speaker.name, m.source_text, m.cue_text, m.quote_type, m.stance) for m in mentions}
    assert ("Recep Tayyip Erdoğan", "Erdogan", "was quoted as saying", "direct", "support") in by_speaker
    assert ("Recep Tayyip Erdoğan", "He", "said", "indirect", "support") in by_speaker
    assert ("Mike Pence", "U.S. Vice President Mike Pence", "warned", "mixed", "refute") in by_speaker
    assert ("Kathryn Wheelbarger", "a top Pentagon official", "said", "mixed", "refute") in by_speaker
    assert ("United States", "Washington", "told", "indirect", "support") in by_speaker
    assert ("Turkey", "Turkey", "said", "mixed", "support") in by_speaker
    assert set(gold.article_stances.values_list("stance", flat=True)) == {"neutral"}
    assert set(Speaker.objects.get(name="Kathryn Wheelbarger").aliases.values_list("name", flat=True)) >= {
        "a top Pentagon official"
    }
