"""The project's speaker catalogue."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower

from claims.models import ClaimMention, Project, Speaker, SpeakerAlias, SpeakerKind, Suggestion

from .errors import Problems, RuleViolation
from .projects import project_require_active

SPEAKER_NAME_REQUIRED = "Give the speaker a name of at most 300 characters."
SPEAKER_NAME_TAKEN = "A speaker with this name already exists in the project (id {id})."
SPEAKER_KIND_UNKNOWN = "kind must be one of: {kinds}."
SPEAKER_QID_INVALID = "A Wikidata QID looks like Q12345."
SPEAKER_ALIASES_INVALID = "aliases must be a list of names of at most 300 characters."
SPEAKER_ALIASES_TOO_MANY = "A speaker can have at most {limit} aliases."
SPEAKER_ROLE_INVALID = "role must be text of at most 300 characters."
SPEAKER_IN_USE = "Labels refer to this speaker; merge it into another speaker instead of deleting it."
SPEAKER_MERGED = "This speaker was merged into speaker {id}."
SPEAKER_MERGE_SAME = "A speaker cannot be merged into itself."
SPEAKER_MERGE_OTHER_PROJECT = "Both speakers must belong to the same project."

_QID = re.compile(r"^Q[1-9][0-9]*$")
# A speaker is written a handful of ways. The pre-annotator reads every alias of the project for each run, so
# one speaker cannot bring thousands (an edit or a merge that would pass the cap is refused).
MAX_ALIASES_PER_SPEAKER = 50


def _clean_aliases(aliases: object, name: str | None) -> list[str] | None:
    if not isinstance(aliases, (list, tuple)) or not all(isinstance(a, str) and len(a) <= 300 for a in aliases):
        return None
    seen: dict[str, str] = {}
    for alias in aliases:
        alias = " ".join(alias.split())
        if alias and alias != name:
            seen.setdefault(alias, alias)
    return list(seen)


def _speaker_problems(
    *, project: Project, fields: dict, speaker: Speaker | None = None, aliases_changed: bool = True
) -> Problems:
    problems = Problems()
    name = fields.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 300:
        problems.add("name", SPEAKER_NAME_REQUIRED)
    else:
        clash = (
            Speaker.objects.filter(project=project)
            .annotate(lower_name=Lower("name"))
            .filter(lower_name=" ".join(name.split()).lower())
            .exclude(pk=getattr(speaker, "pk", None))
            .first()
        )
        if clash is not None and clash.merged_into_id is not None:
            problems.add("name", SPEAKER_MERGED.format(id=clash.merged_into_id))
        elif clash is not None:
            problems.add("name", SPEAKER_NAME_TAKEN.format(id=clash.pk))
    if fields.get("kind") not in SpeakerKind.values:
        problems.add("kind", SPEAKER_KIND_UNKNOWN.format(kinds=", ".join(SpeakerKind.values)))
    qid = fields.get("wikidata_qid") or ""
    if not isinstance(qid, str) or (qid and not _QID.match(qid)):
        problems.add("wikidata_qid", SPEAKER_QID_INVALID)
    role = fields.get("role") or ""
    if not isinstance(role, str) or len(role) > 300:
        problems.add("role", SPEAKER_ROLE_INVALID)
    if _clean_aliases(fields.get("aliases", []), None) is None:
        problems.add("aliases", SPEAKER_ALIASES_INVALID)
    elif aliases_changed and _too_many_aliases(fields.get("aliases", []), name):
        problems.add("aliases", SPEAKER_ALIASES_TOO_MANY.format(limit=MAX_ALIASES_PER_SPEAKER))
    return problems


def _too_many_aliases(aliases: list[str], name: object) -> bool:
    name = " ".join(name.split()) if isinstance(name, str) else None
    return len(_clean_aliases(aliases, name) or []) > MAX_ALIASES_PER_SPEAKER


def _set_aliases(speaker: Speaker, aliases: Iterable[str]) -> None:
    wanted = _clean_aliases(list(aliases), speaker.name) or []
    speaker.aliases.exclude(name__in=wanted).delete()
    present = set(speaker.aliases.values_list("name", flat=True))
    SpeakerAlias.objects.bulk_create([SpeakerAlias(speaker=speaker, name=a) for a in wanted if a not in present])


@transaction.atomic
def speaker_create(
    *,
    project: Project,
    name: str,
    kind: str = SpeakerKind.PERSON,
    aliases: Iterable[str] = (),
    role: str = "",
    wikidata_qid: str = "",
) -> Speaker:
    project_require_active(project)
    aliases = list(aliases) if isinstance(aliases, (list, tuple)) else aliases
    fields = {"name": name, "kind": kind, "aliases": aliases, "role": role, "wikidata_qid": wikidata_qid}
    _speaker_problems(project=project, fields=fields).raise_if_any()
    speaker = Speaker.objects.create(
        project=project,
        name=" ".join(name.split()),
        kind=kind,
        role=(role or "").strip(),
        wikidata_qid=wikidata_qid or "",
    )
    _set_aliases(speaker, aliases)
    return speaker


@transaction.atomic
def speaker_update(*, speaker: Speaker, **changes) -> Speaker:
    """Change a speaker; `aliases`, when given, replaces the list."""
    speaker = Speaker.objects.select_for_update(of=("self",)).select_related("project").get(pk=speaker.pk)
    project_require_active(speaker.project)
    current = {
        "name": speaker.name,
        "kind": speaker.kind,
        "role": speaker.role,
        "wikidata_qid": speaker.wikidata_qid,
        "aliases": list(speaker.aliases.values_list("name", flat=True)),
    }
    fields = current | changes
    # The alias cap is checked only when the aliases change: a speaker with more from before it can still be edited.
    problems = _speaker_problems(
        project=speaker.project, fields=fields, speaker=speaker, aliases_changed="aliases" in changes
    )
    for unknown in set(changes) - set(current):
        problems.add(unknown, "This field cannot be changed.")
    problems.raise_if_any()
    speaker.name = " ".join(fields["name"].split())
    speaker.kind = fields["kind"]
    speaker.role = (fields["role"] or "").strip()
    speaker.wikidata_qid = fields["wikidata_qid"] or ""
    speaker.save()
    _set_aliases(speaker, fields["aliases"])
    return speaker


def speaker_get_or_create(*, project: Project, name: str, kind: str = SpeakerKind.PERSON) -> tuple[Speaker, bool]:
    """The project's speaker with this name (case-insensitive), created when missing."""
    existing = (
        Speaker.objects.filter(project=project)
        .annotate(lower_name=Lower("name"))
        .filter(lower_name=" ".join(name.split()).lower())
        .first()
    )
    if existing is not None:
        return (existing.merged_into if existing.merged_into_id else existing), False
    return speaker_create(project=project, name=name, kind=kind), True


@transaction.atomic
def speaker_delete(*, speaker: Speaker) -> None:
    speaker = Speaker.objects.select_for_update(of=("self",)).select_related("project").get(pk=speaker.pk)
    project_require_active(speaker.project)
    if speaker.mentions.exists():
        raise RuleViolation({"speaker": SPEAKER_IN_USE})
    speaker.delete()


def speaker_merge_check(*, source: Speaker, target: Speaker) -> list[str]:
    """Whether `source` may be merged into `target` (RuleViolation when not), and the names the target then
    holds as aliases: asked by the merge and by the preview that asks for confirmation before it."""
    if source.pk == target.pk:
        raise RuleViolation({"into": SPEAKER_MERGE_SAME})
    if source.project_id != target.project_id:
        raise RuleViolation({"into": SPEAKER_MERGE_OTHER_PROJECT})
    project_require_active(Project.objects.get(pk=source.project_id))
    for speaker in (source, target):
        if speaker.merged_into_id:
            raise RuleViolation({"into": SPEAKER_MERGED.format(id=speaker.merged_into_id)})
    aliases = [source.name, *SpeakerAlias.objects.filter(speaker__in=[source, target]).values_list("name", flat=True)]
    if _too_many_aliases(aliases, target.name):
        raise RuleViolation({"into": SPEAKER_ALIASES_TOO_MANY.format(limit=MAX_ALIASES_PER_SPEAKER)})
    return aliases


@transaction.atomic
def speaker_merge(*, source: Speaker, target: Speaker) -> Speaker:
    """One person, two catalogue entries: move every mention to `target`, which also takes `source`'s
    name and aliases as aliases; `source` then points at `target`. Moved mentions get a new version."""
    source, target = (Speaker.objects.select_for_update().get(pk=s.pk) for s in (source, target))
    aliases = speaker_merge_check(source=source, target=target)
    ClaimMention.objects.filter(speaker=source).update(speaker=target, version=F("version") + 1)
    Suggestion.objects.filter(speaker=source).update(speaker=target)
    _set_aliases(target, aliases)
    Speaker.objects.filter(merged_into=source).update(merged_into=target)
    source.merged_into = target
    source.save(update_fields=["merged_into"])
    return target
