"""Failures a person can fix, and the one place that turns any exception into a message and an exit code.

Exit codes: 0 success or valid, 1 invalid data, 2 a usage or input error (a file that cannot be read
or written, a malformed descriptor, a bad option), 70 an unexpected failure (a bug: please report it).
No traceback is printed unless UNSC_DEBUG=1.
"""
from __future__ import annotations

import csv
import errno
import json
import os
import re
import traceback
from pathlib import PurePath

EXIT_INVALID = 1
EXIT_INPUT = 2
EXIT_BUG = 70  # EX_SOFTWARE in sysexits.h
REPORT_TO = "https://github.com/unsc-record/unsc-record/issues"


class UnscError(ValueError):
    """A failure the user can fix: where (*file*, *row*), what went wrong, and what to do (*hint*).

    A ValueError, so callers that already turn ValueError into a message keep working."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, file: str | PurePath | None = None, row: int | None = None, hint: str = ""):
        self.message, self.file, self.row, self.hint = message, (str(file) if file is not None else None), row, hint
        super().__init__(self.line())

    def line(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.row}: " if self.row is not None else f"{self.file}: "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint}"

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "message": self.message, "hint": self.hint}


class InputError(UnscError):
    """A file that cannot be read as what it should be (encoding, CSV structure, size)."""


class ContractError(UnscError):
    """`datapackage.json` or a schema is malformed or points outside the package."""


class WriteError(UnscError):
    """A write that could not be made; nothing was changed (or the journal says how to finish it)."""


class UnfinishedWrite(UnscError):
    """A journaled multi-file write was interrupted and cannot be completed automatically."""


_OS_HINTS = {
    errno.ENOSPC: ("the disk is full", "free some space and run the command again; nothing was changed"),
    errno.EDQUOT: ("the disk quota is exceeded", "free some space and run the command again; nothing was changed"),
    errno.EACCES: ("permission denied", "make the folder and file writable (and readable) for you, or run from a copy you own"),
    errno.EPERM: ("operation not permitted", "check the file's permissions and owner"),
    errno.EROFS: ("the file system is read-only", "run from a writable copy of the repository"),
    errno.ENOENT: ("no such file or folder", "check the path"),
    errno.EISDIR: ("is a folder, not a file", "give the path of a file"),
    errno.ENOTDIR: ("is not a folder", "check the path"),
    errno.ELOOP: ("too many levels of symbolic links", "replace the symbolic link by the file itself"),
}


def _file_in_traceback(exc: BaseException) -> str | None:
    """The file an exception was raised on: its own attribute, else a path or open file in the two innermost frames."""
    for attr in ("filename", "file"):
        value = getattr(exc, attr, None)
        if isinstance(value, (str, PurePath)) and str(value):
            return str(value)
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames[-2:]):
        local = frame.f_locals
        for name in ("self", "path", "fh", "f", "file", "source"):
            value = local.get(name)
            if isinstance(value, PurePath):
                return str(value)
            name_attr = getattr(value, "name", None) if value is not None and hasattr(value, "read") else None
            if isinstance(name_attr, str):
                return name_attr
    return None


def _raised_on_purpose(exc: BaseException) -> bool:
    """True if the innermost frame is a `raise` statement in unsc's own code (a message meant for the user),
    False for a ValueError a library or a builtin raised inside our code (a bug)."""
    import linecache

    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    if f"{os.sep}unsc{os.sep}" not in code.co_filename:
        return False
    return linecache.getline(code.co_filename, tb.tb_lineno).strip().startswith("raise")


def describe(exc: BaseException) -> tuple[int, dict]:
    """(exit code, {file, row, message, hint}) for any exception; a bug gets EXIT_BUG and where to report it."""
    if isinstance(exc, UnscError):
        return exc.exit_code, exc.as_dict()
    file = _file_in_traceback(exc) if isinstance(exc, (UnicodeDecodeError, csv.Error, json.JSONDecodeError, OSError)) else None
    if isinstance(exc, UnicodeDecodeError):
        what = "UTF-16" if exc.object[:2] in (b"\xff\xfe", b"\xfe\xff") else "not valid UTF-8"
        return EXIT_INPUT, {"file": file, "row": None, "message": f"{what}: byte {exc.object[exc.start:exc.start + 1]!r} at offset {exc.start}",
                            "hint": "save the file as UTF-8 (without byte-order mark)"}
    if isinstance(exc, json.JSONDecodeError):
        return EXIT_INPUT, {"file": file, "row": exc.lineno, "message": f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                            "hint": "fix the JSON syntax (a validator or editor will point at it)"}
    if isinstance(exc, csv.Error):
        return EXIT_INPUT, {"file": file, "row": None, "message": f"cannot be read as CSV: {exc}",
                            "hint": "check the quoting: a value holding a comma, quote or line break is written in double quotes, a quote inside doubled"}
    if isinstance(exc, re.error):
        return EXIT_INPUT, {"file": file, "row": None, "message": f"a pattern is not a valid regular expression: {exc}",
                            "hint": "fix the pattern (written as ^…$)"}
    if isinstance(exc, OSError):
        what, hint = _OS_HINTS.get(exc.errno or -1, (exc.strerror or str(exc), "check the path and its permissions"))
        target = exc.filename if exc.filename is not None else file
        return EXIT_INPUT, {"file": str(target) if target is not None else None, "row": None, "message": what, "hint": hint}
    if isinstance(exc, ValueError) and _raised_on_purpose(exc):
        return EXIT_INPUT, {"file": None, "row": None, "message": str(exc), "hint": ""}
    return EXIT_BUG, {"file": None, "row": None, "message": f"unexpected error: {type(exc).__name__}: {exc}",
                      "hint": f"this is a bug in unsc: please report it at {REPORT_TO} with the command you ran (UNSC_DEBUG=1 shows the traceback)"}


def message_line(info: dict) -> str:
    where = ""
    if info.get("file"):
        where = f"{info['file']}:{info['row']}: " if info.get("row") is not None else f"{info['file']}: "
    hint = f" ({info['hint']})" if info.get("hint") else ""
    return f"error: {where}{info['message']}{hint}"


def debug() -> bool:
    return os.environ.get("UNSC_DEBUG", "") not in ("", "0")


def format_traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
