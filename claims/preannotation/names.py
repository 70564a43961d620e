# News text uses typographic apostrophes, quotation marks and dashes; the rules must name them.
"""Comparing names the way people write them: case, accents, apostrophes and a leading 'the' do not matter.

'Erdogan' matches 'Erdoğan', 'Yildiz' matches 'Yıldız', "Exporters’ Association" matches
"Exporters' Association". Folding keeps a map back to the original offsets, so names can be
found in the body and still be reported as spans of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# Letters that NFKD does not decompose to an ASCII base letter.
_SPECIAL = str.maketrans(
    {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "ß": "ss",
     "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "’": "'", "‘": "'", "ʼ": "'", "`": "'", "\u00a0": " "}
)  # fmt: skip


# Pure functions of their text, called for every name comparison: cached. Names are short; longer text (a
# source of one enormous word) is folded without being kept, so the caches stay small whatever a body holds.
_CACHED_LENGTH = 300


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.translate(_SPECIAL))
    return "".join(part for part in decomposed if not unicodedata.combining(part)).lower()


def fold(text: str) -> str:
    """Lower-case, accent-free, apostrophes straightened, spaces collapsed."""
    return _cached_fold(text) if len(text) <= _CACHED_LENGTH else _fold(text)


def name_key(text: str) -> str:
    """The key names are compared by: folded, without a leading 'the' and surrounding punctuation."""
    return _cached_name_key(text) if len(text) <= _CACHED_LENGTH else _name_key(text)


class _FoldingTable(dict):
    """fold_char for `str.translate`, by code point, filled in as characters come."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


_FOLDING = _FoldingTable()


def _fold(text: str) -> str:
    return " ".join(text.translate(_FOLDING).split())


def _name_key(text: str) -> str:
    key = fold(text).strip(" .,;:")
    return re.sub(r"^the\s+", "", key)


_cached_fold = lru_cache(maxsize=8192)(_fold)
_cached_name_key = lru_cache(maxsize=8192)(_name_key)


def fold_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """The folded text and, for each of its characters, the offset of the character it came from.

    One `str.translate` over the text: the body of every article is folded.
    """
    folded = text.translate(_FOLDING)
    if len(folded) == len(text) and all(len(_FOLDING[ord(char)]) == 1 for char in set(text)):
        return folded, range(len(text))
    return folded, [index for index, char in enumerate(text) for _ in range(len(_FOLDING[ord(char)]))]
