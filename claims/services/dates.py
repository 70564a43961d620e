"""Date-times that clients send, made safe to store and to compare in PostgreSQL."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def utc(value: dt.datetime) -> dt.datetime:
    """The same instant in UTC; a naive value is read as UTC.

    PostgreSQL refuses UTC offsets past ±15:59 ("0283-10-24T11:24:42-17:30" is a valid ISO 8601
    date-time), and Python holds only the years 1 to 9999, so an instant that is outside them in UTC
    ("0001-01-01T00:00:00+01:00") could be stored but never read back. Such a value raises
    OverflowError here, for the caller to refuse with a 400.
    """
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC)
