"""A zip archive written as a stream: entries go out as they are written, nothing is seeked.

zipfile writes to an unseekable file with data descriptors (sizes after each entry's data), which
every unzip tool reads. Entry times are fixed, so the same data always gives the same bytes (and a
release's checksum can be compared across exports).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

from .streaming import CHUNK_BYTES

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


class _Sink(io.RawIOBase):
    def __init__(self) -> None:
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        return len(data)

    def take(self) -> bytes:
        data, self.buffer = bytes(self.buffer), bytearray()
        return data


class ZipStream:
    def __init__(self) -> None:
        self._sink = _Sink()
        self._archive = zipfile.ZipFile(self._sink, "w", compression=zipfile.ZIP_DEFLATED)

    def _drain(self, at_least: int = 0) -> Iterator[bytes]:
        if self._sink.buffer and len(self._sink.buffer) >= at_least:
            yield self._sink.take()

    def entry(self, name: str, pieces: Iterable[bytes], *, large: bool = False) -> Iterator[bytes]:
        """Add a file made of `pieces`; `large` allows it past 2 GiB (ZIP64 headers)."""
        info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with self._archive.open(info, "w", force_zip64=large) as target:
            for piece in pieces:
                target.write(piece)
                yield from self._drain(CHUNK_BYTES)
        yield from self._drain()

    def file(self, name: str, data: bytes) -> Iterator[bytes]:
        yield from self.entry(name, [data])

    def close(self) -> Iterator[bytes]:
        self._archive.close()
        yield from self._drain()
