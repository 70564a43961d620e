"""The project's settings with the jsonl export built on one connection, as before
claims/exports/parallel.py: export_http.py serves it beside the default to measure both in one run."""

from annotator.settings import *  # noqa: F403

EXPORT_CONNECTIONS = 1
