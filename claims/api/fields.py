"""Strict serializer fields: JSON types are checked, never coerced."""

from __future__ import annotations

from rest_framework import serializers

from claims.offsets import MAX_OFFSET

NOT_AN_INTEGER = "A whole number (JSON integer) is required; strings, fractions and booleans are refused."
NOT_A_STRING = "Text (a JSON string) is required; numbers, booleans, lists and objects are refused."
NOT_A_BOOLEAN = "true or false (a JSON boolean) is required."


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": NOT_AN_INTEGER}

    def to_internal_value(self, data):
        if type(data) is not int:
            self.fail("invalid")
        return super().to_internal_value(data)


def offset_field(**kwargs) -> StrictIntegerField:
    return StrictIntegerField(min_value=0, max_value=MAX_OFFSET, **kwargs)


class TypedInputSerializer(serializers.Serializer):
    """Input whose text and boolean fields take only JSON strings and booleans: DRF would turn
    17 into "17" and "yes" into true, where the schema says string and boolean. A text is also
    measured as sent: DRF checks max_length after trimming whitespace, the schema's maxLength
    (and so a client) counts what is sent."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            refused = {
                name: [message]
                for name, field in self.fields.items()
                if name in data and (message := _refusal(field, data[name]))
            }
            if refused:
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)


def _refusal(field: serializers.Field, value) -> str | None:
    if value is None or field.read_only:
        return None  # null is the field's own business (allow_null)
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        return next(filter(None, (_refusal(field.child, item) for item in value)), None)
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else NOT_A_BOOLEAN
    if isinstance(field, serializers.CharField):
        if not isinstance(value, str):
            return NOT_A_STRING
        if field.max_length is not None and len(value) > field.max_length:
            return field.error_messages["max_length"].format(max_length=field.max_length)
    return None


class SpanSerializer(TypedInputSerializer):
    """{start, end, text}: code point offsets into the article body, text == body[start:end]."""

    start = offset_field()
    end = offset_field()
    text = serializers.CharField(trim_whitespace=False, max_length=1_000_000)


class StrictInputSerializer(TypedInputSerializer):
    """Refuses keys it does not know (typos must not pass silently). Output-only fields a client
    echoes back (id, version, timestamps, …) are listed in `ignored` and dropped."""

    ignored: tuple[str, ...] = ("id", "version", "created_at", "updated_at")
    UNKNOWN_FIELD = "Unknown field; this cannot be set."

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = set(data) - set(self.fields) - set(self.ignored)
            if unknown:
                raise serializers.ValidationError({name: [self.UNKNOWN_FIELD] for name in sorted(unknown)})
        return super().to_internal_value(data)
