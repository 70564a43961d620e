"""Loading the demo project(s) shipped under seeds/: idempotent, so `make run` can call it every time."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from claims.models import Project

from .annotation_import import annotation_import
from .articles import article_get_or_create
from .projects import project_create
from .speakers import speaker_create
from .suggestions import article_preannotate
from .tracked_claims import claim_get_or_create


@transaction.atomic
def seed_project_load(*, directory: Path) -> dict:
    """Load one seed folder (project.json + articles.jsonl). Returns counts of what was created."""
    spec = json.loads((directory / "project.json").read_text(encoding="utf-8"))
    created = {"projects": 0, "speakers": 0, "claims": 0, "articles": 0, "annotations": 0, "suggestions": 0}
    project = Project.objects.filter(slug=spec["slug"]).first()
    if project is None:
        project = project_create(
            name=spec["name"],
            slug=spec["slug"],
            annotators_per_article=spec.get("annotators_per_article", 2),
            guidelines=spec.get("guidelines", ""),
            stance_labels=spec.get("stance_labels"),
        )
        created["projects"] += 1
    for speaker in spec.get("speakers", []):
        if not project.speakers.filter(name=speaker["name"]).exists():
            speaker_create(project=project, **speaker)
            created["speakers"] += 1
    for claim in spec.get("claims", []):
        created["claims"] += claim_get_or_create(project=project, text=claim["text"])[1]
    with (directory / "articles.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            fields = {k: v for k, v in record["article"].items() if k not in ("id", "body_sha256")}
            article, was_created = article_get_or_create(project=project, **fields)
            created["articles"] += was_created
            if was_created and project.preannotate_on_import:
                created["suggestions"] += article_preannotate(article=article)
            for annotation in record.get("annotations", []):
                created["annotations"] += annotation_import(article=article, annotation=annotation) is not None
    return created


def seeds_load(*, root: Path) -> dict[str, dict]:
    """Every seed folder under `root` (one per project), by folder name."""
    folders = [folder for folder in sorted(root.iterdir()) if (folder / "project.json").exists()]
    return {folder.name: seed_project_load(directory=folder) for folder in folders}
