"""One export built by several PostgreSQL connections at once, in one snapshot, its lines handed on in
the order of the export built by one.

A statement runs on one backend, on one core, and PostgreSQL cannot hand an export's correlated
subqueries to its own parallel workers: the jsonl export of a million mentions kept one core busy
building JSON while the other idled (bench/README.md). Here the export's lines are cut into buckets
of `bucket_rows` consecutive lines, and connection k of n builds the buckets b with b % n == k, each
as one row (bucket number, its lines) of a binary COPY (see jsonl.bucketed_statement).

Every connection reads the same snapshot: the export's own transaction exports its snapshot
(pg_export_snapshot) and the other connections import it (SET TRANSACTION SNAPSHOT) before their
statement starts, so they see exactly the data it sees, whatever is committed meanwhile.

A thread per connection reads its buckets into a spool of at most `spool_bytes` (or one bucket, if
larger), so each connection builds its next buckets while the caller is still sending another
connection's, and memory stays bounded whatever the size of the export. The caller takes bucket 0
from connection 0, bucket 1 from connection 1, and so on, and checks the numbers: the same lines in
the same order as the export built by one connection.
"""

from __future__ import annotations

import struct
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from psycopg import ClientCursor, sql

from .streaming import ExportStats

# Two connections: the machine the export is measured on has two cores (bench/README.md); settings
# .EXPORT_CONNECTIONS overrides it. Buckets of 100 articles keep the connections' shares even and
# make COPY rows of about 650 KB in the benchmark (one message each, instead of a hundred); a spool
# of 4 MiB holds several buckets ahead.
CONNECTIONS = 2
BUCKET_ROWS = 100
SPOOL_BYTES = 4 * 2**20


def shareable_snapshot(cursor) -> str | None:
    """The id of the cursor's transaction snapshot, exported for other connections to import, when
    they would see what this transaction sees: it is REPEATABLE READ (or SERIALIZABLE), so one snapshot
    serves the whole transaction, and it has written nothing (its own uncommitted rows would be
    invisible to them). None otherwise: a test's transaction, a caller that has written."""
    cursor.execute(
        """SELECT CASE WHEN current_setting('transaction_isolation') IN ('repeatable read', 'serializable')
                            AND pg_current_xact_id_if_assigned() IS NULL
                       THEN pg_export_snapshot() END"""
    )
    return cursor.fetchone()[0]


def join_snapshot(connection, snapshot: str, settings: dict[str, str]) -> None:
    """Start a read-only transaction on `connection` (a psycopg connection in autocommit mode) that
    reads `snapshot`, with the exporting session's `settings` (those the output depends on)."""
    connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    connection.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
    for name, value in settings.items():
        connection.execute("SELECT set_config(%s, %s, true)", [name, value])


def session_settings(cursor, names: tuple[str, ...]) -> dict[str, str]:
    cursor.execute("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(names)])
    return dict(cursor.fetchall())


class _Stopped(Exception):
    """The caller went away; the thread filling a spool stops."""


_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"  # the header of COPY's binary format, then flags and extension length
_HEADER = struct.Struct("!11sii")
_ROW = struct.Struct("!hiqi")  # 2 fields, a bigint (8 bytes), then the text's length


def buckets(copy) -> Iterator[tuple[int, memoryview]]:
    """(bucket, lines) of each row of a binary COPY of (bigint, text). PostgreSQL sends each row as one
    message (the first with the format's header in front) and the end as a message of its own."""
    for message in copy:
        data = memoryview(message)
        if data[: len(_SIGNATURE)] == _SIGNATURE:
            _, _, extension = _HEADER.unpack_from(data)
            data = data[_HEADER.size + extension :]
        if len(data) == 2:  # the trailer, -1
            continue
        fields, size, bucket, length = _ROW.unpack_from(data)
        if (fields, size) != (2, 8) or length < 0:
            raise ValueError(f"unexpected COPY row: {fields} fields, first of {size} bytes")
        yield bucket, data[_ROW.size : _ROW.size + length]


@dataclass
class _Bucket:
    number: int
    data: bytes
    rows: int


class _Spool:
    """One connection's buckets on their way to the caller, at most `capacity` bytes of them (or one
    bucket, whatever its size): the thread filling it waits while it is full, the caller while it is empty."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.changed = threading.Condition()
        self.buckets: deque[_Bucket] = deque()
        self.size = 0  # bytes in self.buckets
        self.done = False
        self.stopped = False
        self.error: BaseException | None = None

    def fill(self, connection, copy_sql: str) -> None:
        """Run in a thread of its own: the rows of `copy_sql` on `connection`, bucket by bucket."""
        try:
            with connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
                for number, lines in buckets(copy):
                    data = bytes(lines)
                    self._put(_Bucket(number, data, data.count(b"\n")))
        except BaseException as error:  # handed to the caller, which raises it
            self.error = error
        finally:
            with self.changed:
                self.done = True
                self.changed.notify_all()

    def _put(self, bucket: _Bucket) -> None:
        with self.changed:
            while not self.stopped and self.size and self.size + len(bucket.data) > self.capacity:
                self.changed.wait()
            if self.stopped:
                raise _Stopped
            self.buckets.append(bucket)
            self.size += len(bucket.data)
            self.changed.notify_all()

    def take(self) -> _Bucket | None:
        """The next bucket, once it is built; None when the connection has no more."""
        with self.changed:
            while not self.buckets and not self.done:
                self.changed.wait()
            if self.error is not None:
                raise self.error
            if not self.buckets:
                return None
            bucket = self.buckets.popleft()
            self.size -= len(bucket.data)
            self.changed.notify_all()
            return bucket

    def stop(self) -> None:
        with self.changed:
            self.stopped = True
            self.changed.notify_all()


def copy_in_buckets(
    *,
    connections: list,
    statement: str,
    params: dict,
    stats: ExportStats,
    bucket_rows: int | None = None,
    spool_bytes: int | None = None,
) -> Iterator[bytes]:
    """The lines of `statement` built by `connections` (psycopg connections reading one snapshot), in
    order, a bucket at a time; `stats.records` counts them. The statement selects (bucket, its lines)
    for the buckets of connection %(worker)s of %(workers)s, in buckets of %(bucket_rows)s lines (see
    jsonl.bucketed_statement); COPY sends them in its binary format, which passes text on as it is."""
    params = params | {"bucket_rows": bucket_rows or BUCKET_ROWS, "workers": len(connections)}
    spools = [_Spool(spool_bytes or SPOOL_BYTES) for _ in connections]
    threads = []
    try:
        for worker, (connection, spool) in enumerate(zip(connections, spools, strict=True)):
            copy_sql = ClientCursor(connection).mogrify(
                f"COPY ({statement}) TO STDOUT WITH (FORMAT binary)", params | {"worker": worker}
            )
            thread = threading.Thread(target=spool.fill, args=(connection, copy_sql), daemon=True)
            thread.start()
            threads.append(thread)
        # Buckets are numbered without gaps: bucket n is the next one on spool n % len(spools), and the
        # export ends at the first spool with none left.
        number = 0
        while (bucket := spools[number % len(spools)].take()) is not None:
            if bucket.number != number:
                raise RuntimeError(f"export bucket {bucket.number} came where {number} was expected")
            stats.records += bucket.rows
            yield bucket.data
            number += 1
        if any(spool.take() is not None for spool in spools):
            raise RuntimeError(f"export buckets left over after bucket {number - 1}")
    finally:
        for connection, spool in zip(connections[: len(threads)], spools, strict=False):
            if not spool.done:  # the caller went away (or another connection failed): its COPY stops
                connection.cancel_safe()
        for spool in spools:
            spool.stop()
        for thread in threads:
            thread.join()
