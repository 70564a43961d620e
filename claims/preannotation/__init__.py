"""Automatic pre-annotation of attributions in English news: rules only, nothing downloaded.

`preannotate(body, speakers=catalogue)` returns `Suggestion`s: content, source and cue spans
(code point offsets, `body[start:end] == text`), quote type, speaker and a confidence.
"""

from .attributions import preannotate
from .speakers import Catalogue
from .suggestions import Span, Suggestion

__all__ = ["Catalogue", "Span", "Suggestion", "preannotate"]
