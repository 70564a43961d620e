import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Field, QuerySet
from django.db.models.constants import LOOKUP_SEP
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

PAGE_SIZE_INVALID = "page_size must be given once, as a whole number from 1 (more than {limit} gives {limit})."
CURSOR_INVALID = "This cursor was not made by this list: follow the next and previous links of its pages."


def _ordering_field(queryset: QuerySet, ordering: str) -> Field:
    """The model field (or the annotation's output field) a page position is a value of."""
    name = ordering.lstrip("-")
    if name in queryset.query.annotations:
        return queryset.query.annotations[name].output_field
    options = queryset.model._meta
    *relations, last = name.split(LOOKUP_SEP)
    for relation in relations:
        options = options.get_field(relation).related_model._meta
    return options.pk if last == "pk" else options.get_field(last)


class Cursor(CursorPagination):
    """Cursor pages: stable under concurrent inserts and constant-time at any depth."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "id"
    invalid_cursor_message = CURSOR_INVALID

    def paginate_queryset(self, queryset, request, view=None):
        self.position_field = _ordering_field(queryset, self.get_ordering(request, queryset, view)[0])
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """DRF filters by the position a cursor holds as it comes; one that is no value of the
        ordering's field (p=abc for an id, a date that is none) failed in the database, a 500. A
        position must read as its field reads it, within its column's range, as the API wrote it."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            if "\x00" in cursor.position:  # no stored text holds NUL, and PostgreSQL refuses to compare with it
                raise NotFound(CURSOR_INVALID)
            try:
                self.position_field.clean(cursor.position, None)
            except (DjangoValidationError, ValueError, TypeError, OverflowError):
                raise NotFound(CURSOR_INVALID) from None
        return cursor

    def get_page_size(self, request) -> int:
        """DRF ignores a page_size it cannot read; here it is a 400, like any other bad parameter."""
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        if len(values) > 1 or not re.fullmatch(r"[0-9]*[1-9][0-9]*", values[0]):
            raise ValidationError({self.page_size_query_param: [PAGE_SIZE_INVALID.format(limit=self.max_page_size)]})
        digits = values[0].lstrip("0")
        return self.max_page_size if len(digits) > 9 else min(int(digits), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = f"Results per page (default {self.page_size}, at most {self.max_page_size})."
        return parameters
