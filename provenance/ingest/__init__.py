"""Ingest: paths to an iterator of Document or InputError, lazily and in a stable order.

Every input problem becomes an InputError for that one document, so a batch never
stops on a bad file; callers count them for the exit code. Nothing given is passed
over in silence: a folder that cannot be listed, a broken link, a file that holds no
document is an error too.

Ids are unique within one `read` (or the reads sharing its `ids`): a document whose id was already given (two `story.txt`
in two folders, JSONL without ids from two days) is named by its location instead
(`b/story.txt`, `day2/a.jsonl:17`), and said so on the log; if that is taken too (the
same file given twice) it is refused. Documents are never merged by id.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from ..errors import InputError
from ..types import Document
from .files import read_file
from .jsonl import read_jsonl

Item = Document | InputError

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz", ".warc", ".warc.gz")
log = logging.getLogger("provenance")


def read(paths: Iterable[str | Path], max_chars: int = 5_000_000, ids: UniqueIds | None = None) -> Iterator[Item]:
    """Documents from files (text, HTML, JSONL, WARC), folders (recursive, sorted) and `-` (JSONL on stdin).
    `ids`: shared by reads whose documents meet in one run (documents and their references)."""
    unique = ids or UniqueIds()
    for raw in paths:
        for item in _items(raw, max_chars):
            yield unique(item)


def _items(raw: str | Path, max_chars: int) -> Iterator[Item]:
    if str(raw) == "-":
        yield from _nonempty(read_jsonl(sys.stdin.buffer, "-", id_prefix="", max_chars=max_chars), "-")
        return
    path = Path(raw)
    try:
        is_dir, is_file = path.is_dir(), path.is_file()
    except OSError as exc:
        yield InputError(str(raw), f"cannot read: {exc.strerror or exc}")
        return
    if is_dir:
        listed = _folder(path, str(raw))
        for relative, file in listed:
            yield from (file,) if isinstance(file, InputError) else _file(file, relative, max_chars)
        if not listed:
            yield InputError(str(raw), f"no {', '.join(SUFFIXES)} files in this folder")
    elif is_file:
        yield from _file(path, path.name, max_chars)
    elif path.is_symlink():
        yield InputError(str(raw), _broken_link(path))
    else:
        yield InputError(str(raw), "no such file or folder")


def _folder(root: Path, name: str) -> list[tuple[str, Path | InputError]]:
    """The folder's files of SUFFIXES, sorted by relative path, and an error for each folder that cannot be
    listed and each link that leads nowhere. Linked folders are followed, each folder read once."""
    found: list[tuple[str, Path | InputError]] = []

    def relative(path: str | Path) -> str:
        return Path(path).relative_to(root).as_posix() if Path(path) != root else name

    def unlistable(exc: OSError) -> None:
        found.append((relative(exc.filename), InputError(relative(exc.filename),
                                                         f"cannot read folder: {exc.strerror or exc}")))

    seen: set[tuple[int, int]] = set()
    for folder, folders, files in os.walk(root, onerror=unlistable, followlinks=True):
        status = os.stat(folder)
        if (status.st_dev, status.st_ino) in seen:
            folders.clear()
            found.append((relative(folder), InputError(relative(folder), "a link to a folder already read (a loop?): "
                                                                         "read once")))
            continue
        seen.add((status.st_dev, status.st_ino))
        for file in (Path(folder, f) for f in files if _supported(f)):
            if file.is_file():
                found.append((relative(file), file))
            elif file.is_symlink():
                found.append((relative(file), InputError(relative(file), _broken_link(file))))
    return sorted(found, key=lambda entry: entry[0].split("/"))


def _broken_link(path: Path) -> str:
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
    return "broken symbolic link: what it points to does not exist"


def _supported(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def _file(path: Path, doc_id: str, max_chars: int) -> Iterator[Item]:
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz")):
        try:
            from .warc import read_warc
        except ImportError:
            yield InputError(doc_id, "reading WARC needs FastWARC: pip install 'provenance[warc]'")
            return
        yield from _nonempty(read_warc(path, doc_id, max_chars), doc_id, "no HTML response records")
    elif name.endswith((".jsonl", ".jsonl.gz")):
        try:
            yield from _nonempty(read_jsonl(path, str(path), id_prefix=f"{doc_id}:", max_chars=max_chars), doc_id)
        except OSError as exc:
            yield InputError(doc_id, f"cannot read: {exc.strerror or exc}")
    else:
        yield read_file(path, doc_id, max_chars)


def _nonempty(items: Iterator[Item], doc_id: str, what: str = "no JSONL records") -> Iterator[Item]:
    """`items`, or an error saying the input held none."""
    empty = True
    for item in items:
        empty = False
        yield item
    if empty:
        yield InputError(doc_id, f"{what} in this input")


class UniqueIds:
    """Gives each document an id no earlier one in the run has (see the module's docstring). Holds a hash of
    each id and location, not the strings: 1,000,000 documents cost about 100 MB, not 300."""

    def __init__(self) -> None:
        self.seen: set[int] = set()

    def __call__(self, item: Item) -> Item:
        if isinstance(item, InputError):
            return item
        free, place = self._claim(item.id), self._claim(item.location)  # a place read once is read
        if free:
            return item
        if place:
            log.warning("%s: another document in this run has this id; this one is called %s", item.id, item.location)
            return replace(item, id=item.location)
        return InputError(item.location, f"already read as {item.id!r} in this run: the same input given twice?")

    def _claim(self, doc_id: str) -> bool:
        key = hash(doc_id)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True
