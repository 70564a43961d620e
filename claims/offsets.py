"""The offsets rule (docs/offsets.md): code point indices into Article.body, half-open [start, end).

Python's str indexes code points, so `body[start:end]` is the reference everywhere; the
browser converts from UTF-16 at its boundary, exports carry offsets and text together.
"""

from __future__ import annotations

from bisect import bisect_right

# Offsets are stored as PostgreSQL integers.
MAX_OFFSET = 2**31 - 1

SPAN_NOT_INTEGER = "Offsets must be whole numbers."
SPAN_NEGATIVE = "Offsets cannot be negative."
SPAN_TOO_LARGE = f"Offsets cannot exceed {MAX_OFFSET}."
SPAN_REVERSED = "The span must end after it starts (end > start)."
SPAN_OUTSIDE_BODY = "The span ends at {end}, past the end of the article ({length} code points)."
SPAN_TEXT_MISMATCH = (
    "text does not match the article at [{start}:{end}]: the article has {actual!r} there "
    "(offsets count Unicode code points)."
)
SPAN_TEXT_MISSING = "Give the span's text: exactly body[start:end]."


def normalise_newlines(text: str) -> str:
    """\\r\\n and lone \\r become \\n, as every browser does to displayed text; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def span_problems(body: str, start: object, end: object, text: object) -> list[str]:
    """Everything wrong with a span, as messages; empty when `body[start:end] == text`."""
    if type(start) is not int or type(end) is not int:  # bool is an int subclass; refuse it too
        return [SPAN_NOT_INTEGER]
    if start < 0 or end < 0:
        return [SPAN_NEGATIVE]
    if start > MAX_OFFSET or end > MAX_OFFSET:
        return [SPAN_TOO_LARGE]
    if end <= start:
        return [SPAN_REVERSED]
    if end > len(body):
        return [SPAN_OUTSIDE_BODY.format(end=end, length=len(body))]
    if not isinstance(text, str):
        return [SPAN_TEXT_MISSING]
    actual = body[start:end]
    if actual != text:
        return [SPAN_TEXT_MISMATCH.format(start=start, end=end, actual=actual)]
    return []


def stored_span(obj: object, prefix: str) -> dict | None:
    """The optional span `<prefix>_start/_end/_text` of a mention or suggestion, as {start, end, text}."""
    start = getattr(obj, f"{prefix}_start")
    if start is None:
        return None
    return {"start": start, "end": getattr(obj, f"{prefix}_end"), "text": getattr(obj, f"{prefix}_text")}


SPAN_SPLITS_CRLF = "The span starts or ends between the \\r and the \\n of a line break."


def newline_offsets(text: str):
    """Offsets into `text` → offsets into normalise_newlines(text), where each \\r\\n became one \\n
    (a lone \\r becomes \\n: same length). Returns a function of one offset; it raises ValueError for
    an offset between a \\r and its \\n (no offset of the normalised text corresponds)."""
    ends = [index + 2 for index in range(len(text) - 1) if text[index] == "\r" and text[index + 1] == "\n"]

    def convert(offset: int) -> int:
        before = bisect_right(ends, offset)
        if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
            raise ValueError(SPAN_SPLITS_CRLF)
        return offset - before

    return convert
