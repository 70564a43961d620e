"""Strict serializer fields: JSON types are checked, never coerced."""

from __future__ import annotations

from rest_framework import serializers

from claims.offsets import MAX_OFFSET

NOT_AN_INTEGER = "A whole number (JSON integer) is required; strings, fractions and booleans are refused."


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": NOT_AN_INTEGER}

    def to_internal_value(self, data):
        if type(data) is not int:
            self.fail("invalid")
        return super().to_internal_value(data)


def offset_field(**kwargs) -> StrictIntegerField:
    return StrictIntegerField(min_value=0, max_value=MAX_OFFSET, **kwargs)


class SpanSerializer(serializers.Serializer):
    """{start, end, text}: code point offsets into the article body, text == body[start:end]."""

    start = offset_field()
    end = offset_field()
    text = serializers.CharField(trim_whitespace=False, max_length=1_000_000)


class StrictInputSerializer(serializers.Serializer):
    """Refuses keys it does not know (typos must not pass silently). Output-only fields a client
    echoes back (id, version, timestamps, …) are listed in `ignored` and dropped."""

    ignored: tuple[str, ...] = ("id", "version", "created_at", "updated_at")
    UNKNOWN_FIELD = "Unknown field; this cannot be set."

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = set(data) - set(self.fields) - set(self.ignored)
            if unknown:
                raise serializers.ValidationError({name: [self.UNKNOWN_FIELD] for name in sorted(unknown)})
            too_long = {name: [message] for name, field in self.fields.items() if (message := _too_long(field, data))}
            if too_long:
                raise serializers.ValidationError(too_long)
        return super().to_internal_value(data)


def _too_long(field: serializers.Field, data: dict) -> str | None:
    """DRF measures max_length after trimming whitespace; the schema's maxLength (and so a client)
    counts what is sent, and a text longer than that is refused whatever it is made of."""
    value = data.get(field.field_name)
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        field, values = field.child, value
    else:
        values = [value]
    limit = getattr(field, "max_length", None)
    too_long = any(isinstance(item, str) and len(item) > limit for item in values) if limit is not None else False
    if isinstance(field, serializers.CharField) and too_long:
        return field.error_messages["max_length"].format(max_length=limit)
    return None
