"""The files of a dataset import, each readable from its start as many times as the import needs
(a first pass checks the labels, the next ones read articles and stances): an uploaded file, or an
entry of an uploaded zip, which is decompressed again for each pass and never held in memory."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from .archives import open_archive


@dataclass
class Source:
    name: str
    size: int
    open: Callable[[], AbstractContextManager[BinaryIO]]


def uploaded(file: BinaryIO, name: str) -> Source:
    """The upload itself; each pass reads it from the start and leaves it open."""
    size = file.seek(0, 2)

    def opened() -> AbstractContextManager[BinaryIO]:
        file.seek(0)
        return nullcontext(file)

    return Source(name=name, size=size, open=opened)


def _is_resource_fork(path: PurePosixPath) -> bool:
    return path.parts[0] == "__MACOSX" or path.name.startswith("._")


@contextmanager
def archive_entries(file: BinaryIO, *, max_entries: int, max_uncompressed: int):
    """The zip's plain file entries (macOS resource forks passed over) as Sources, while it is open."""
    archive, entries = open_archive(file, max_entries=max_entries, max_uncompressed=max_uncompressed)
    with archive:

        def opener(entry: zipfile.ZipInfo) -> Callable[[], AbstractContextManager[BinaryIO]]:
            return lambda: archive.open(entry)

        yield [
            Source(name=entry.filename, size=entry.file_size, open=opener(entry))
            for entry in entries
            if not _is_resource_fork(PurePosixPath(entry.filename.replace("\\", "/")))
        ]
