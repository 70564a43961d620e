"""One export statement built by several PostgreSQL connections at once, in one snapshot, its rows
handed on in the order of the statement run whole.

A statement runs on one backend, on one core, and PostgreSQL cannot share the work of an export's
correlated subqueries with its own parallel workers. So the statement numbers its rows in output order
into buckets of `bucket_rows` (a window over the ordered scan, before any JSON is built), and
connection k of n builds only the buckets b with b % n == k. Every connection reads the same
snapshot: the first is the export's own transaction, which exports its snapshot, and the others
import it (`SET TRANSACTION SNAPSHOT`) before their statement starts, so they see exactly the data it
sees, however long the export runs and whatever is committed meanwhile.

A thread per connection copies its rows into a spool: an unnamed temporary file used as a ring of
`spool_bytes`, so the connection keeps building its next buckets while the caller is still taking
another connection's, and the process's memory stays flat whatever the size of the export. The
caller takes bucket 0 from spool 0, bucket 1 from spool 1, and so on: the same lines in the same
order as the statement run on one connection.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

from psycopg import ClientCursor, sql

from .streaming import CHUNK_BYTES, ExportStats

# Two backends: the machines the export is measured on have two cores (bench/README.md). A bucket of
# 100 articles keeps the connections' shares even; a spool of 32 MiB holds many buckets ahead.
CONNECTIONS = 2
BUCKET_ROWS = 100
SPOOL_BYTES = 32 * 2**20
# A spool hands what it holds to the caller at least this often, so a slow, sparse export (few rows
# selected among many) still starts its response at once.
FLUSH_SECONDS = 0.05
BUCKET_SEPARATOR = b"\x02"  # the COPY delimiter of streaming.JSON_LINES


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


@dataclass
class _Bucket:
    number: int
    start: int  # offset in the spool's stream of bytes
    rows: int = 0


class _Spool:
    """One connection's rows on their way to the caller, in a ring file of `capacity` bytes. The
    thread filling it waits while the ring is full; the caller waits while it is empty."""

    def __init__(self, file, capacity: int) -> None:
        self.file = file
        self.capacity = capacity
        self.changed = threading.Condition()
        self.written = 0  # bytes written since the start
        self.taken = 0  # bytes the caller has taken
        self.buckets: deque[_Bucket] = deque()  # started and not yet taken, in order
        self.done = False
        self.stopped = False
        self.error: BaseException | None = None

    # --- the filling thread ---
    def fill(self, connection, copy_sql: str) -> None:
        pending = bytearray()
        flushed = time.monotonic()
        try:
            current = None
            with connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
                for row in copy:  # a memoryview of one row: bucket<0x02>line<LF>
                    cut = bytes(row[:24]).index(BUCKET_SEPARATOR)
                    number = int(bytes(row[:cut]))
                    if current is None or current.number != number:
                        self._write(pending)
                        pending.clear()
                        current = _Bucket(number, self.written)
                        with self.changed:
                            self.buckets.append(current)
                            self.changed.notify_all()
                    pending += row[cut + 1 :]
                    current.rows += 1
                    if len(pending) >= CHUNK_BYTES or time.monotonic() - flushed > FLUSH_SECONDS:
                        self._write(pending)
                        pending.clear()
                        flushed = time.monotonic()
            self._write(pending)
        except BaseException as error:  # handed to the caller, which raises it
            self.error = error
        finally:
            with self.changed:
                self.done = True
                self.changed.notify_all()

    def _write(self, data: bytearray) -> None:
        view = memoryview(data)
        while view:
            with self.changed:
                while not self.stopped and self.written - self.taken >= self.capacity:
                    self.changed.wait()
                if self.stopped:
                    raise _Stopped
                at = self.written % self.capacity
                size = min(len(view), self.capacity - (self.written - self.taken), self.capacity - at)
            os.pwrite(self.file.fileno(), view[:size], at)
            with self.changed:
                self.written += size
                self.changed.notify_all()
            view = view[size:]

    # --- the caller ---
    def next_bucket(self) -> _Bucket | None:
        """The first bucket not yet taken, once it has started; None when the connection has no more."""
        with self.changed:
            while not self.buckets and not self.done:
                self.changed.wait()
            if self.error is not None:
                raise self.error
            return self.buckets[0] if self.buckets else None

    def take(self, bucket: _Bucket) -> Iterator[bytes]:
        """The bytes of `bucket` (the first one), as they are written, in chunks of up to CHUNK_BYTES."""
        position = bucket.start
        while True:
            with self.changed:
                while True:
                    if self.error is not None:
                        raise self.error
                    ends = len(self.buckets) > 1 or self.done
                    end = self.buckets[1].start if len(self.buckets) > 1 else self.written
                    if position < end or ends:
                        break
                    self.changed.wait()
            if position == end and ends:
                break
            while position < end:
                at = position % self.capacity
                data = os.pread(self.file.fileno(), min(end - position, CHUNK_BYTES, self.capacity - at), at)
                position += len(data)
                with self.changed:
                    self.taken = position
                    self.changed.notify_all()
                yield data
        with self.changed:
            self.buckets.popleft()

    def stop(self) -> None:
        with self.changed:
            self.stopped = True
            self.changed.notify_all()


def copy_in_buckets(
    *,
    connections: list,
    statement: str,
    params: dict,
    options: str,
    stats: ExportStats,
    bucket_rows: int | None = None,
    spool_bytes: int | None = None,
) -> Iterator[bytes]:
    """The rows of `statement` over `connections` (psycopg connections in one snapshot), in order, in
    chunks; `stats.records` counts them. The statement selects (bucket, row) for the buckets of
    connection %(worker)s of %(workers)s, numbered with %(bucket_rows)s (see jsonl.bucketed_statement);
    COPY writes them as `bucket<0x02>row` with `options` (streaming.JSON_LINES)."""
    params = params | {"bucket_rows": bucket_rows or BUCKET_ROWS}
    spool_bytes = spool_bytes or SPOOL_BYTES
    with ExitStack() as files:
        spools = [_Spool(files.enter_context(tempfile.TemporaryFile()), spool_bytes) for _ in connections]
        yield from _take_in_order(connections, spools, statement, params, options, stats)


def _take_in_order(connections: list, spools: list[_Spool], statement: str, params: dict, options: str,
                   stats: ExportStats) -> Iterator[bytes]:  # fmt: skip
    threads = []
    try:
        for worker, (connection, spool) in enumerate(zip(connections, spools, strict=True)):
            values = params | {"workers": len(connections), "worker": worker}
            copy_sql = ClientCursor(connection).mogrify(f"COPY ({statement}) TO STDOUT WITH {options}", values)
            thread = threading.Thread(target=spool.fill, args=(connection, copy_sql), daemon=True)
            thread.start()
            threads.append(thread)
        # Buckets are numbered without gaps (the numbering runs after every filter): bucket n is the first
        # one left on spool n % len(spools), and the export ends at the first spool with none left.
        number = 0
        while (bucket := spools[number % len(spools)].next_bucket()) is not None:
            if bucket.number != number:
                raise RuntimeError(f"export bucket {bucket.number} came where {number} was expected")
            yield from spools[number % len(spools)].take(bucket)
            stats.records += bucket.rows
            number += 1
        if any(spool.next_bucket() is not None for spool in spools):
            raise RuntimeError(f"export buckets left over after bucket {number - 1}")
    finally:
        for connection, spool in zip(connections[: len(threads)], spools, strict=False):
            if not spool.done:  # the caller went away (or another connection failed): its COPY stops
                connection.cancel_safe()
        for spool in spools:
            spool.stop()
        for thread in threads:
            thread.join()
