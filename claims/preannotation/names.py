# News text uses typographic apostrophes, quotation marks and dashes; the rules must name them.
"""Comparing names the way people write them: case, accents, apostrophes and a leading 'the' do not matter.

'Erdogan' matches 'Erdoğan', 'Yildiz' matches 'Yıldız', "Exporters’ Association" matches
"Exporters' Association". Folding keeps a map back to the original offsets, so names can be
found in the body and still be reported as spans of it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that NFKD does not decompose to an ASCII base letter.
_SPECIAL = str.maketrans(
    {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "ß": "ss",
     "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "’": "'", "‘": "'", "ʼ": "'", "`": "'", "\u00a0": " "}
)  # fmt: skip


# Pure functions of their text, called for every name comparison: cached.
@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.translate(_SPECIAL))
    return "".join(part for part in decomposed if not unicodedata.combining(part)).lower()


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower-case, accent-free, apostrophes straightened, spaces collapsed."""
    return " ".join("".join(fold_char(char) for char in text).split())


@lru_cache(maxsize=8192)
def name_key(text: str) -> str:
    """The key names are compared by: folded, without a leading 'the' and surrounding punctuation."""
    key = fold(text).strip(" .,;:")
    return re.sub(r"^the\s+", "", key)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the offset of the character it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for part in fold_char(char):
            folded.append(part)
            origin.append(index)
    return "".join(folded), origin
