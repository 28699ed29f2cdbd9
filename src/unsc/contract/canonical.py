"""Canonical CSV form: UTF-8, LF, the schema's column order, rows sorted by primary key.

One form means a pull request's diff shows only what changed.
"""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from unsc.contract import Table

_DIGITS = re.compile(r"([0-9]+)")


@lru_cache(maxsize=65536)
def natural_key(value: str) -> tuple:
    """Sort S/PV.99 before S/PV.100: runs of ASCII digits compare as numbers."""
    return tuple((0, int(p), "") if p.isascii() and p.isdigit() else (1, 0, p) for p in _DIGITS.split(value) if p != "")


def row_key(row: dict, key: tuple[str, ...]) -> tuple:
    return tuple(natural_key(row.get(k) or "") for k in key)


def parse(text: str) -> tuple[list[str], list[dict]]:
    """Header and rows (as dicts of strings) of CSV *text*."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = list(reader)
    if not rows:
        return [], []
    header = rows[0]
    for i, r in enumerate(rows[1:], start=2):
        if r and len(r) != len(header):
            raise ValueError(f"line {i} has {len(r)} cells, the header {len(header)}: quote values that contain commas")
    return header, [dict(zip(header, r)) for r in rows[1:] if r]


def render(table: Table, rows: list[dict], presorted: bool = False) -> str:
    """The canonical text of *rows* for *table* (*presorted*: rows are known to be in key order)."""
    names = table.field_names
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(names)
    for row in rows if presorted else sorted(rows, key=lambda r: row_key(r, table.primary_key)):
        w.writerow([row.get(n) or "" for n in names])
    return out.getvalue()


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    return parse(path.read_text(encoding="utf-8"))


def atomic_write_many(files: dict[Path, str]) -> None:
    """Write every file or none: each goes to a temporary sibling, then all are renamed."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            staged.append((tmp, path))
    except BaseException:
        for tmp, _ in staged:
            os.unlink(tmp)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)


def atomic_write(path: Path, text: str) -> None:
    atomic_write_many({path: text})


def canonical_problems(table: Table, raw: bytes) -> list[tuple[int | None, str, str]]:
    """(row, rule id, message) for every way *raw* departs from canonical form."""
    problems: list[tuple[int | None, str, str]] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [(None, "csv.encoding", f"not valid UTF-8 at byte {exc.start}")]
    if text.startswith("\ufeff"):
        problems.append((1, "csv.encoding", "starts with a byte-order mark"))
        text = text[1:]
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.append((line, "csv.newline", "uses CR or CRLF line endings; LF only"))
    if text and not text.endswith("\n"):
        problems.append((None, "csv.newline", "does not end with a newline"))
    header, rows = parse(text.replace("\r\n", "\n"))
    if header != table.field_names:
        problems.append((1, "csv.header", f"header is {','.join(header)}; expected {','.join(table.field_names)}"))
        return problems
    keys = [row_key(r, table.primary_key) for r in rows]
    for i in range(1, len(keys)):
        if keys[i] < keys[i - 1]:
            problems.append((i + 2, "csv.order", f"row is out of order by primary key ({', '.join(table.primary_key)})"))
            break
    if not problems and render(table, rows, presorted=True) != text:
        problems.append((None, "csv.quoting", "quoting or spacing differs from canonical form"))
    return problems
