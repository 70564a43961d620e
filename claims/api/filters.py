"""Allow-listed ordering: an unknown field is a 400, it never reaches the ORM."""

from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

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
