import re

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination

PAGE_SIZE_INVALID = "page_size must be given once, as a whole number from 1 (more than {limit} gives {limit})."


class Cursor(CursorPagination):
    """Cursor pages: stable under concurrent inserts and constant-time at any depth."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "id"

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
