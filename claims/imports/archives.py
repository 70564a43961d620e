"""Opening uploaded zip archives without trusting them.

Entries are never extracted to disk, so a hostile name could not escape anywhere; an archive that
holds one (an absolute path, a `..` step, a symbolic link) is refused all the same, because nothing
honest produces it. Zip bombs are refused before anything is decompressed: by the number of
entries and by the sum of their declared sizes. The declared size also bounds what is read:
`zipfile` stops at it and fails the CRC check when an entry holds more.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import PurePosixPath
from typing import BinaryIO

from claims.services.errors import RuleViolation

from . import FileTooLarge

ZIP_UNREADABLE = "This is not a readable zip archive."
ZIP_UNSAFE_NAME = "The archive holds an entry with an unsafe name ({name!r}): absolute paths and '..' are refused."
ZIP_SYMLINK = "The archive holds a symbolic link ({name!r}); only plain files are read."
ZIP_TOO_MANY_ENTRIES = "The archive holds {count} entries; at most {limit} are accepted (IMPORT_ZIP_MAX_ENTRIES)."
ZIP_TOO_LARGE = (
    "The archive would unpack to {size} bytes; at most {limit} are accepted (IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES)."
)


def _unsafe(name: str) -> bool:
    # Backslashes are path separators to Windows tools, whatever the zip specification says.
    path = name.replace("\\", "/")
    return path.startswith("/") or (len(path) > 1 and path[1] == ":") or ".." in PurePosixPath(path).parts


def open_archive(file: BinaryIO, *, max_entries: int, max_uncompressed: int) -> tuple[zipfile.ZipFile, list]:
    """The archive and its file entries (directories left out), once every entry passed the checks."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RuleViolation({"file": [ZIP_UNREADABLE]}) from None
    entries = archive.infolist()
    if len(entries) > max_entries:
        raise FileTooLarge(ZIP_TOO_MANY_ENTRIES.format(count=len(entries), limit=max_entries))
    for entry in entries:
        if _unsafe(entry.filename):
            raise RuleViolation({"file": [ZIP_UNSAFE_NAME.format(name=entry.filename)]})
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise RuleViolation({"file": [ZIP_SYMLINK.format(name=entry.filename)]})
    size = sum(entry.file_size for entry in entries)
    if size > max_uncompressed:
        raise FileTooLarge(ZIP_TOO_LARGE.format(size=size, limit=max_uncompressed))
    return archive, [entry for entry in entries if not entry.is_dir()]
