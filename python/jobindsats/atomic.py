"""Outputs appear whole or not at all (issue 18).

Every file the library writes (measurement Parquet and JSON, rule files, the report's
workbook, charts and HTML) is first written under a temporary name in its destination
directory and then renamed into place with :func:`os.replace`, which is atomic on one
file system. A crash, a corrupt input met half-way, a full disk or Ctrl-C therefore never
leaves a half-written file under a final name: the temporary file is removed on any
exception (``KeyboardInterrupt`` included), and whatever stood under the final name
before is left untouched until the new file is complete.

Temporary names start with a dot (``.cells.parquet.<pid>-<random>.tmp``), so that
readers that skip hidden files (``pyarrow.dataset``, the report loader) never see one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import OutputError

Writer = Callable[[Path], object]


def temporary_name(path: Path) -> Path:
    """A fresh hidden name beside ``path`` (same directory, so same file system)."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _fsync(path: Path) -> None:
    """Flush a finished file to disk before it is renamed (so a power cut after the
    rename cannot leave the final name pointing at an empty file)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends normally the file
    written there replaces ``path``; on any exception it is removed and ``path`` is left
    as it was. The directory must exist."""
    final = Path(path)
    tmp = temporary_name(final)
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, final)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


def write_file(path: str | os.PathLike[str], write: Writer) -> Path:
    """``write(tmp)`` then rename ``tmp`` onto ``path`` (see :func:`replacing`); the
    parent directory is created if needed. Errors of the file system are raised as
    :class:`~jobindsats.errors.OutputError` naming ``path``."""
    final = Path(path)
    with _as_output_error(final):
        final.parent.mkdir(parents=True, exist_ok=True)
        with replacing(final) as tmp:
            write(tmp)
    return final


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    return write_file(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_files(
    directory: str | os.PathLike[str],
    writers: Mapping[str, Writer],
    *,
    remove: Sequence[str] = (),
) -> list[Path]:
    """Write a set of files into ``directory`` as one step: every file is written under
    its temporary name first (the slow part); only when all are complete are the names
    in ``remove`` deleted (outputs of an earlier run that this one does not write) and
    the new files renamed into place, in the order given (put the file that marks a
    complete set last). On any exception every temporary file is removed."""
    out = Path(directory)
    staged: list[tuple[Path, Path]] = []
    with _as_output_error(out):
        out.mkdir(parents=True, exist_ok=True)
        try:
            for name, write in writers.items():
                final = out / name
                tmp = temporary_name(final)
                staged.append((tmp, final))
                write(tmp)
                _fsync(tmp)
            for name in remove:
                (out / name).unlink(missing_ok=True)
            for tmp, final in staged:
                os.replace(tmp, final)
        except BaseException:
            for tmp, _ in staged:
                with suppress(OSError):
                    tmp.unlink()
            raise
    return [final for _, final in staged]


@contextmanager
def _as_output_error(path: Path) -> Iterator[None]:
    """The file system's refusals (a file where a directory is expected, no permission,
    a full disk) as an :class:`OutputError` naming the output."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(path) else ""
        raise OutputError(f"cannot write {path}: {reason}{where}", path=path) from exc


def check_output_directory(
    directory: str | os.PathLike[str], outputs: Sequence[str], *, overwrite: bool
) -> Path:
    """Refuse, before any work is done, an output directory that cannot take a run:
    a path that exists but is not a directory, a directory that holds an earlier run
    (any of ``outputs``) unless ``overwrite``, or a location where nothing can be
    written. Nothing is created or left behind. Raises :class:`OutputError`."""
    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a directory", path=out)
    if out.is_dir() and not overwrite:
        earlier = [name for name in outputs if (out / name).exists()]
        if earlier:
            raise OutputError(
                f"{out} holds an earlier run ({', '.join(earlier)}); choose another "
                "directory, or pass --overwrite (overwrite=True) to replace it",
                path=out,
            )
    probe_in = out
    while not probe_in.exists():  # the nearest existing ancestor must take a new entry
        probe_in = probe_in.parent
    if not probe_in.is_dir():
        raise OutputError(f"cannot write {out}: {probe_in} is not a directory", path=out)
    probe = temporary_name(probe_in / "probe")
    try:
        probe.touch(exist_ok=False)
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"cannot write {out}: {reason} (in {probe_in})", path=out) from exc
    return out
