"""Running COPY … TO STDOUT and handing its output on in chunks of a useful size."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from psycopg import ClientCursor

CHUNK_BYTES = 64 * 1024

# COPY's csv format quotes a value only when it holds the delimiter, the quote character or a line
# break. JSON text has no raw line breaks and escapes every control character, so with two control
# characters as delimiter and quote each JSON document comes out verbatim, one per line.
JSON_LINES = "(FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')"
CSV_WITH_HEADER = "(FORMAT csv, HEADER)"
CSV = "(FORMAT csv)"


@dataclass
class ExportStats:
    """Filled in while an export streams."""

    records: int = 0  # lines, rows or documents written, headers not counted
    bytes: int = 0


def copy_rows(cursor, statement: str, params: dict, options: str) -> Iterator[bytes]:
    """The raw rows of `COPY (statement) TO STDOUT WITH options`, one per item (a header is a row).

    COPY takes no bound parameters, so they are merged into the statement as literals by psycopg's
    client-side binding (the same quoting as any client-side query).
    """
    copy_sql = ClientCursor(cursor.connection).mogrify(f"COPY ({statement}) TO STDOUT WITH {options}", params)
    with cursor.copy(copy_sql) as copy:
        for row in copy:
            yield bytes(row)


def chunked(pieces: Iterable[bytes], stats: ExportStats) -> Iterator[bytes]:
    """Join small pieces into chunks of about CHUNK_BYTES, counting the bytes."""
    buffer: list[bytes] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            stats.bytes += size
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        stats.bytes += size
        yield b"".join(buffer)
