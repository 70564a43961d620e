"""Reading the label history that pghistory's triggers record (who, when, before, after), for the tests.

The app shows the same history in the admin (django-pghistory's event admin); the tests read it here to
check that every write path leaves its trace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import models

# Bookkeeping columns that change on every write and say nothing about the label itself.
_IGNORED = {"pgh_id", "pgh_created_at", "pgh_label", "pgh_obj", "pgh_context", "updated_at", "version"}


@dataclass(frozen=True)
class Change:
    action: str  # insert | update | delete
    at: datetime
    user: str | None
    context: dict
    before: dict | None
    after: dict | None

    @property
    def changed_fields(self) -> list[str]:
        if self.before is None or self.after is None:
            return sorted((self.after or self.before or {}).keys())
        return sorted(name for name in self.after if self.after[name] != self.before.get(name))


def history_of(model: type[models.Model], pk: int) -> list[Change]:
    """Every recorded change of one row, oldest first. Works after the row is deleted too."""
    event_model = model.pgh_event_model
    fields = [f.attname for f in event_model._meta.fields if f.name not in _IGNORED]
    events = list(event_model.objects.filter(pgh_obj_id=pk).select_related("pgh_context").order_by("pgh_id"))
    user_ids = {(e.pgh_context.metadata or {}).get("user") for e in events if e.pgh_context} - {None}
    names = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))
    changes: list[Change] = []
    previous: dict | None = None
    for event in events:
        snapshot = {name: getattr(event, name) for name in fields}
        metadata = (event.pgh_context.metadata if event.pgh_context else {}) or {}
        changes.append(
            Change(
                action=event.pgh_label,
                at=event.pgh_created_at,
                user=names.get(metadata.get("user")),
                context=metadata,
                before=previous,
                after=None if event.pgh_label == "delete" else snapshot,
            )
        )
        previous = None if event.pgh_label == "delete" else snapshot
    return changes
