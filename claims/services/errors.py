"""Errors the services raise; the edges turn them into 400 / 412 answers."""

from __future__ import annotations


class RuleViolation(Exception):
    """Input broke a domain rule. `errors` maps field names to messages, like a form's errors; for a list
    of items, an item's index maps to that item's own field errors."""

    def __init__(self, errors: dict[str, str | list[str] | dict]):
        self.errors = {field: _messages(msgs) for field, msgs in errors.items()}
        super().__init__("; ".join(f"{field}: {_text(msgs)}" for field, msgs in self.errors.items()))


def _messages(messages):
    if isinstance(messages, str):
        return [messages]
    if isinstance(messages, dict):
        return {field: _messages(inner) for field, inner in messages.items()}
    return list(messages)


def _text(messages) -> str:
    if isinstance(messages, dict):
        return "; ".join(f"{field}: {_text(inner)}" for field, inner in messages.items())
    return " ".join(messages)


class StaleVersion(Exception):
    """The caller's copy is older than the stored one; nothing was changed."""

    def __init__(self, current_version: int):
        self.current_version = current_version
        super().__init__(f"The object has changed since you read it (now at version {current_version}).")


class Problems:
    """Collects field-level messages so one answer can name every problem at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def extend(self, field: str, messages: list[str]) -> None:
        for message in messages:
            self.add(field, message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise RuleViolation(self.errors)


def check_version(current: int, expected: int | None) -> None:
    """Optimistic concurrency: a write that names a version must name the stored one."""
    if expected is not None and expected != current:
        raise StaleVersion(current)
