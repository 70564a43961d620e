"""Automatic pre-annotation of attributions in English news: rules only, nothing downloaded.

`preannotate(body, speakers=catalogue)` returns `Suggestion`s: content, source and cue spans
(code point offsets, `body[start:end] == text`), quote type, speaker and a confidence.
`preannotate_within(body, ..., max_chars=..., max_suggestions=...)` does so within a budget and says
what it left out.
"""

from .attributions import preannotate
from .budget import Preannotation, preannotate_within
from .speakers import Catalogue
from .suggestions import Span, Suggestion

__all__ = ["Catalogue", "Preannotation", "Span", "Suggestion", "preannotate", "preannotate_within"]
