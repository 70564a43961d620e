"""System checks of a deployment (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

STATIC_NOT_COLLECTED = "Static files have not been collected: pages would answer 500."
STATIC_HINT = "Run `python manage.py collectstatic --noinput` (STATIC_ROOT is {root})."


@register(Tags.staticfiles, deploy=True)
def static_files_collected(app_configs, **kwargs) -> list[Error]:
    """With DEBUG off, pages link static files through collectstatic's manifest (annotator/storage.py)."""
    if settings.DEBUG or (settings.STATIC_ROOT / "staticfiles.json").exists():
        return []
    return [Error(STATIC_NOT_COLLECTED, hint=STATIC_HINT.format(root=settings.STATIC_ROOT), id="annotator.E001")]
