"""File names inside exported archives, made from ids people chose (external ids, usernames)."""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def safe_name(value: str) -> str:
    """`value` itself when it is a harmless file name; otherwise a cleaned-up name with a short hash
    of the original, so two different values never share a name."""
    name = _UNSAFE.sub("_", value)[:100].lstrip(".")
    if name == value and name:
        return name
    return f"{name}-{hashlib.sha256(value.encode()).hexdigest()[:8]}"


def document_folder(document: dict) -> str:
    """Where an annotation's files go: `gold/`, or `annotators/<username>/`."""
    return "gold" if document["gold"] else f"annotators/{safe_name(document['annotator'])}"
