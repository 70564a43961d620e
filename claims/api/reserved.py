"""Routes of the API contract whose features land with later work; they answer 501, not 404,
so scripts can tell "not yet" from "wrong address"."""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import APIException
from rest_framework.views import APIView


class NotYetImplemented(APIException):
    status_code = 501
    default_detail = "This part of the API is not available yet."
    default_code = "not_implemented"


@extend_schema(exclude=True)
class Reserved(APIView):
    def get(self, request, *args, **kwargs):
        raise NotYetImplemented()

    post = get
