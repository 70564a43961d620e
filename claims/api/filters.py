"""Allow-listed ordering and strict filter values: a bad one is a 400, it never reaches the ORM."""

import django_filters
from django import forms
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from claims.services.dates import utc

ORDERING_NOT_ALLOWED = "Cannot order by {fields}; allowed: {allowed}."


class StrictOrderingFilter(OrderingFilter):
    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw:
            allowed = list(getattr(view, "ordering_fields", []))
            asked = [term.strip() for term in raw.split(",") if term.strip()]
            refused = [term for term in asked if term.lstrip("-") not in allowed]
            if refused:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            ORDERING_NOT_ALLOWED.format(fields=", ".join(refused), allowed=", ".join(allowed))
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)


EMPTY_FILTER = "Give a value, or leave the parameter out."


class StrictFilterSet(django_filters.FilterSet):
    """django-filter reads an empty value as "no filter"; here `?published_after=` (an empty date,
    number, boolean or choice) is a 400 like any other value that is not one. Text filters keep ""."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, declared in self.filters.items():
            values = self.data.getlist(name) if name in self.data else []
            if not isinstance(declared, django_filters.CharFilter) and any(not value.strip() for value in values):
                self.form.add_error(name, EMPTY_FILTER)
                valid = False
        return valid


class UtcDateTimeField(django_filters.fields.IsoDateTimeField):
    def clean(self, value):
        parsed = super().clean(value)
        try:
            return utc(parsed) if parsed is not None else None
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time filter whose value is compared in UTC (services.dates.utc: offsets
    PostgreSQL refuses and instants outside the years 1–9999 are a 400, not a database error)."""

    field_class = UtcDateTimeField
