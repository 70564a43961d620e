"""Content negotiation for routes whose `format` parameter names a file format, not a renderer."""

from rest_framework.negotiation import DefaultContentNegotiation


class FileFormatNegotiation(DefaultContentNegotiation):
    """DRF reads ?format= as a renderer choice and answers 404 to `?format=csv`; here it belongs to
    the view. Errors are still rendered as JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
