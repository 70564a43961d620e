"""Decoding JSON that comes from outside (request bodies, import lines, CSV metadata cells).

Python's `json` accepts more than JSON, and more than PostgreSQL stores: NaN and Infinity, 1e400
(read as Infinity), escapes of lone UTF-16 surrogates ("\\ud800" is not a character: no UTF-8
text and no jsonb holds one), whole numbers of any length (past 4,300 digits `int()` raises
ValueError) and nesting as deep as the interpreter's stack (deeper raises RecursionError). Each
of them was a 500, or lost a whole import, where it should be a 400 naming the value. `decode` is
the one way untrusted JSON is read here, and `problem` the one statement of what a JSON value to
be stored may hold, so the API, the importers and the article service refuse the same things in
the same words.
"""

from __future__ import annotations

import json
import math
import re

# Metadata and native import lines nest about six levels; 64 leaves room and bounds the work.
MAX_DEPTH = 64
# The widest integer column (bigint): a number that fits no column is a mistake, not data.
MIN_INTEGER, MAX_INTEGER = -(2**63), 2**63 - 1

JSON_TOO_DEEP = f"JSON nested more than {MAX_DEPTH} levels deep is refused."
JSON_NOT_FINITE = "Numbers must be finite: NaN, Infinity and numbers too large for a float (such as 1e400) are refused."
JSON_INTEGER_OUT_OF_RANGE = f"Whole numbers must lie between {MIN_INTEGER} and {MAX_INTEGER}."
JSON_LONE_SURROGATE = "Text cannot hold a lone UTF-16 surrogate (such as \\ud800): it is not a character."

_SURROGATE = re.compile("[\ud800-\udfff]")
# What decode looks for in the text before it walks the value: most texts need no walk at all.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_ESCAPE = re.compile(r"\\.")  # taken out first, so that a string is then just "[^"]*"
_STRING = re.compile(r'"[^"]*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_LONGEST_SAFE_INTEGER = 18  # digits that always fit a bigint; longer ones are looked at
_LONGEST_INTEGER = len(str(MIN_INTEGER))  # longer is refused unread


class JSONValueRefused(ValueError):
    """A value that parses but is refused; `path` says where (keys and list indices from the top)."""

    def __init__(self, message: str, path: tuple[str | int, ...] = ()):
        super().__init__(message)
        self.message, self.path = message, path

    @property
    def where(self) -> str:
        """The path as JavaScript would write it: metadata.tags[2]."""
        text = ""
        for step in self.path:
            if isinstance(step, str):  # a key can hold the very surrogate refused: written as its escape
                step = step.encode("utf-8", "backslashreplace").decode("utf-8")
            text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
        return text

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.path else self.message


class _Unread:
    """A whole number longer than any bigint, left unread (int() of thousands of digits is slow)."""


def _nests_deeper_than(text: str, limit: int) -> bool:
    """Whether the JSON text nests more than `limit` levels, at the speed of str methods: strings
    out, brackets only, then each pass takes the innermost pairs away."""
    if text.count("[") + text.count("{") <= limit:
        return False
    skeleton = _NOT_BRACKET.sub("", _STRING.sub("", _ESCAPE.sub("", text))).replace("{", "[").replace("}", "]")
    for _ in range(limit):
        if not skeleton:
            return False
        skeleton = skeleton.replace("[]", "")
    return bool(skeleton)


def decode(data: bytes | str, *, at: tuple[str | int, ...] = ()) -> object:
    """The value of a JSON text, or JSONValueRefused naming where it breaks a rule of `problem`
    (`at`: where the text sits in a larger value, such as a CSV cell in an article's metadata).

    Malformed JSON raises json.JSONDecodeError and bytes that are not UTF-8 UnicodeDecodeError
    (ValueErrors, as JSONValueRefused is). The work is that of json.loads plus a few scans of the
    text; the value is walked only when a scan finds something to look at.
    """
    if isinstance(data, bytes | bytearray):
        # json.loads(bytes) decodes with "surrogatepass": a surrogate encoded as UTF-8 would get in.
        data = bytes(data).decode("utf-8-sig")
    suspect = []  # numbers to look at

    def whole(text: str) -> int | type[_Unread]:
        if len(text.lstrip("-")) <= _LONGEST_SAFE_INTEGER:
            return int(text)
        suspect.append(text)
        return _Unread if len(text) > _LONGEST_INTEGER else int(text)

    def constant(name: str) -> float:  # NaN, Infinity, -Infinity
        suspect.append(name)
        return float(name)

    def fraction(text: str) -> float:  # 1e400 reads as inf
        value = float(text)
        if not math.isfinite(value):
            suspect.append(text)
        return value

    try:
        value = json.loads(data, parse_int=whole, parse_float=fraction, parse_constant=constant)
    except RecursionError:
        raise JSONValueRefused(JSON_TOO_DEEP, at[:1]) from None
    if (
        suspect
        or _SURROGATE_ESCAPE.search(data)
        or (not data.isascii() and _SURROGATE.search(data))  # isascii() is free: CPython knows
        or _nests_deeper_than(data, MAX_DEPTH)
    ):
        refused = problem(value, at=at)
        if refused is not None:
            raise refused
    return value


def problem(value: object, *, at: tuple[str | int, ...] = ()) -> JSONValueRefused | None:
    """The first thing found in a JSON-like value (dicts, lists, text, numbers) that may not be
    stored: a lone surrogate in a key or a text, a number that is not finite, an integer past
    bigint, nesting deeper than MAX_DEPTH. None when there is none. Paths start with `at`; a
    value nested too deep is named by its top-level field alone.

    Iterative (a deep value costs no stack), each node visited once, leaves checked in line: this
    runs over every node of a request body that gives it a reason to.
    """
    top = not isinstance(value, dict | list | tuple)
    stack: list[tuple[dict | list | tuple, tuple[str | int, ...]]] = [([value] if top else value, at)]
    deepest = len(at) + MAX_DEPTH
    while stack:
        node, path = stack.pop()
        if len(path) >= deepest:
            return JSONValueRefused(JSON_TOO_DEEP, path[:1])
        for key, item in node.items() if isinstance(node, dict) else enumerate(node):
            kind = type(item)
            if kind is str:
                message = JSON_LONE_SURROGATE if not item.isascii() and _SURROGATE.search(item) else None
            elif kind is int:
                message = None if MIN_INTEGER <= item <= MAX_INTEGER else JSON_INTEGER_OUT_OF_RANGE
            elif kind is float:
                message = None if math.isfinite(item) else JSON_NOT_FINITE
            elif isinstance(item, dict | list | tuple):
                message = None
                stack.append((item, (*path, key)))
            else:
                message = JSON_INTEGER_OUT_OF_RANGE if item is _Unread else None
            if type(key) is str and not key.isascii() and _SURROGATE.search(key):
                message = JSON_LONE_SURROGATE
            if message is not None:
                return JSONValueRefused(message, path if top else (*path, key))
    return None
