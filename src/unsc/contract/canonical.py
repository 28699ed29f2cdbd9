"""Canonical CSV form: UTF-8, LF, the schema's column order, rows sorted by primary key.

One form means a pull request's diff shows only what changed.

Reading is strict: a byte-order mark, UTF-16 or other non-UTF-8 bytes, a quote that is never
closed and a row with the wrong number of cells are refused with the file and row, never read into
shifted columns. Writing is atomic and journaled: `atomic_write_many` stages every new file as a
temporary sibling, records the renames in one journal file (the commit point), renames, then
removes the journal; `recover` finishes an interrupted write or removes the temporaries of one
that never reached its commit point.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from unsc.contract import Table
from unsc.errors import _OS_HINTS, InputError, UnfinishedWrite, WriteError

# A cell this large is read (the csv module's default limit of 131072 would crash), then reported.
csv.field_size_limit(min(sys.maxsize, 2**31 - 2))
CELL_LIMIT = 100_000  # characters; the longest cell in the record is under 2000

JOURNAL = ".unsc-journal.json"
TMP_MARK = ".unsc-tmp-"
_TMP = re.compile(r"^\..+\.unsc-tmp-[A-Za-z0-9_]+$")
_LEGACY_TMP = re.compile(r"^\.(?P<name>.+\.csv)\.[a-z0-9_]{8}$")  # tempfile.mkstemp(prefix=".<name>.") before the journal
BOM_HINT = "save the file as UTF-8 without byte-order mark (in a spreadsheet: CSV UTF-8 is not it; use plain CSV with UTF-8 encoding, or `unsc fmt` for data/)"

_DIGITS = re.compile(r"([0-9]+)")


@lru_cache(maxsize=65536)
def natural_key(value: str) -> tuple:
    """Sort S/PV.99 before S/PV.100: runs of ASCII digits compare as numbers."""
    return tuple((0, int(p), "") if p.isascii() and p.isdigit() else (1, 0, p) for p in _DIGITS.split(value) if p != "")


def row_key(row: dict, key: tuple[str, ...]) -> tuple:
    return tuple(natural_key(row.get(k) or "") for k in key)


# --- reading ---------------------------------------------------------------------------------------

def decode(raw: bytes, file: str | Path | None = None, bom: str = "refuse") -> str:
    """*raw* as text: UTF-8 only. A UTF-8 byte-order mark is refused (*bom* = "refuse") or dropped ("strip")."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError("is UTF-16 (or UTF-32), not UTF-8", file, 1, "save the file as UTF-8 without byte-order mark")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"is not valid UTF-8: byte {raw[exc.start:exc.start + 1]!r} at byte offset {exc.start} (line {line})", file, line,
                         "save the file as UTF-8; a spreadsheet may have saved it as Latin-1 or Windows-1252") from None
    if text.startswith("\ufeff"):
        if bom == "strip":
            return text[1:]
        raise InputError("starts with a UTF-8 byte-order mark (BOM), which would shift the first column's name", file, 1, BOM_HINT)
    return text


def parse(text: str, file: str | Path | None = None) -> tuple[list[str], list[dict]]:
    """Header and rows (as dicts of strings) of CSV *text*; *file* names it in errors.

    Raises InputError for a byte-order mark, a quote never closed (rows folded into one cell),
    text after a closing quote and a row whose cell count differs from the header's."""
    if text.startswith("\ufeff"):
        raise InputError("starts with a UTF-8 byte-order mark (BOM), which would shift the first column's name", file, 1, BOM_HINT)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for r in reader:
            rows.append(r)
    except csv.Error as exc:
        raise InputError(f"row {len(rows) + 1} cannot be read as CSV ({exc}, at line {reader.line_num})", file, len(rows) + 1,
                         "a value holding a comma, quote or line break is written in double quotes, a quote inside it doubled; "
                         "look for a stray or unclosed quote") from None
    if not rows:
        return [], []
    header = rows[0]
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise InputError(f"the header names the column {twice[0]!r} twice, so one of them would be lost", file, 1, "give every column its own name, as in the schema")
    for i, r in enumerate(rows[1:], start=2):
        if r and len(r) != len(header):
            raise InputError(f"line {i} has {len(r)} cells, the header {len(header)}", file, i, "quote values that contain commas")
    return header, [dict(zip(header, r)) for r in rows[1:] if r]


def folded_row(header: list[str], rows: list[dict]) -> tuple[int, str] | None:
    """(row, field) of the first cell that spans lines reading as whole rows (as many cells as the header):
    rows a stray quote folded into one cell. None if there is none."""
    width = len(header)
    if width < 2:
        return None
    for i, r in enumerate(rows, start=2):
        for name, value in r.items():
            if value and "\n" in value:
                for line in value.split("\n")[1:]:
                    try:
                        cells = next(csv.reader([line]), [])
                    except csv.Error:
                        continue
                    if len(cells) >= width:
                        return i, name
    return None


def read_rows(path: Path, bom: str = "refuse") -> tuple[list[str], list[dict]]:
    """Header and rows of the CSV file at *path*: UTF-8, strict CSV; every problem names the file and row."""
    path = Path(path)
    return parse(decode(path.read_bytes(), path, bom=bom), path)


def render(table: Table, rows: list[dict], presorted: bool = False) -> str:
    """The canonical text of *rows* for *table* (*presorted*: rows are known to be in key order)."""
    names = table.field_names
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(names)
    for row in rows if presorted else sorted(rows, key=lambda r: row_key(r, table.primary_key)):
        w.writerow([row.get(n) or "" for n in names])
    return out.getvalue()


def canonical_problems(table: Table, raw: bytes) -> list[tuple[int | None, str, str]]:
    """(row, rule id, message) for every way *raw* departs from canonical form."""
    problems: list[tuple[int | None, str, str]] = []
    try:
        text = decode(raw, bom="strip")
    except InputError as exc:
        return [(exc.row, "csv.encoding", f"{exc.message}; {exc.hint}")]
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append((1, "csv.encoding", "starts with a byte-order mark"))
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.append((line, "csv.newline", "uses CR or CRLF line endings; LF only"))
    if text and not text.endswith("\n"):
        problems.append((None, "csv.newline", "does not end with a newline"))
    try:
        header, rows = parse(text.replace("\r\n", "\n"))
    except InputError as exc:
        problems.append((exc.row, "csv.structure", f"{exc.message} ({exc.hint})"))
        return problems
    if header != table.field_names:
        problems.append((1, "csv.header", f"header is {','.join(header)}; expected {','.join(table.field_names)}"))
        return problems
    folded = folded_row(header, rows)
    if folded:
        problems.append((folded[0], "csv.folded", f"{folded[1]} spans lines that read as rows of their own: a stray double quote "
                                                  "folded the rows after it into this cell (remove the quote or double it)"))
    for i, r in enumerate(rows, start=2):
        big = next((n for n, v in r.items() if len(v or "") > CELL_LIMIT), None)
        if big is not None:
            problems.append((i, "csv.cell_size", f"{big} holds {len(r[big])} characters, more than {CELL_LIMIT}: "
                                                 "likely rows folded into one cell by a stray quote, or text pasted by mistake"))
    keys = [row_key(r, table.primary_key) for r in rows]
    for i in range(1, len(keys)):
        if keys[i] < keys[i - 1]:
            problems.append((i + 2, "csv.order", f"row is out of order by primary key ({', '.join(table.primary_key)})"))
            break
    if not problems and render(table, rows, presorted=True) != text:
        problems.append((None, "csv.quoting", "quoting or spacing differs from canonical form"))
    return problems


# --- writing ---------------------------------------------------------------------------------------

def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _mode_for(path: Path) -> int:
    """The target's permission bits if it exists (so a rewrite keeps them), else 0666 less the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return _new_file_mode()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the renames are still atomic
    finally:
        os.close(fd)


@contextlib.contextmanager
def _locked(folder: Path):
    """Hold an exclusive lock on *folder* (POSIX flock on the folder itself: no lock file is left behind)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock, the journal still protects against crashes
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _package_root(folder: Path) -> Path | None:
    for p in (folder, *folder.parents):
        if (p / "datapackage.json").is_file():
            return p
    return None


def _journal_dir(targets: list[Path]) -> Path:
    """Where the journal of a write to *targets* lives: the package root above them, else their common folder."""
    common = Path(os.path.commonpath([str(t.parent) for t in targets]))
    return _package_root(common) or common


def _write_error(exc: OSError, path: Path, stage: str) -> WriteError:
    what, hint = _OS_HINTS.get(exc.errno or -1, (exc.strerror or str(exc), "check the folder exists and is writable"))
    return WriteError(f"cannot {stage}: {what}; nothing was changed", path, None, hint)


def _stage(path: Path, data: bytes) -> Path:
    """Write *data* to a temporary sibling of *path*, with *path*'s mode, flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{TMP_MARK}", dir=path.parent)
    try:
        os.fchmod(fd, _mode_for(path)) if hasattr(os, "fchmod") else None
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def _sha256_file(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def atomic_write_many(files: dict[Path, str]) -> None:
    """Write every file or none, even if the process is killed or the disk fills.

    Each new text goes to a temporary sibling (fsynced, with the target's mode). Then one journal,
    `.unsc-journal.json` at the package root, lists the renames: once it exists the write is
    committed, and `recover` (run at the start of every command) finishes it if the renames were
    interrupted. Without a journal, the temporaries are removed and the files are unchanged."""
    if not files:
        return
    items = [(Path(os.path.abspath(p)), text.encode("utf-8")) for p, text in files.items()]
    jdir = _journal_dir([p for p, _ in items])
    with _locked(jdir):
        rec = _recover_locked(jdir, scan=False)
        if rec.problems:
            raise UnfinishedWrite("an earlier write was interrupted and cannot be finished: " + "; ".join(rec.problems), jdir / JOURNAL, None, RECOVER_HINT)
        staged: list[tuple[Path, Path, str]] = []
        journal_tmp: Path | None = None
        try:
            for path, data in items:
                try:
                    staged.append((_stage(path, data), path, hashlib.sha256(data).hexdigest()))
                except OSError as exc:
                    raise _write_error(exc, path, f"write {path.name}") from exc
            if len(staged) > 1:
                doc = {"version": 1, "files": [{"target": os.path.relpath(p, jdir), "temp": os.path.relpath(t, jdir), "sha256": h} for t, p, h in staged]}
                try:
                    journal_tmp = _stage(jdir / JOURNAL, (json.dumps(doc, indent=1) + "\n").encode("utf-8"))
                    os.replace(journal_tmp, jdir / JOURNAL)  # the commit point
                except OSError as exc:
                    raise _write_error(exc, jdir / JOURNAL, "write the journal") from exc
                journal_tmp = None
                _fsync_dir(jdir)
        except BaseException:
            for t in [t for t, _, _ in staged] + ([journal_tmp] if journal_tmp else []):
                with contextlib.suppress(OSError):
                    os.unlink(t)
            raise
        try:
            for tmp, path, _ in staged:
                os.replace(tmp, path)
            for folder in {p.parent for _, p, _ in staged}:
                _fsync_dir(folder)
            if len(staged) > 1:
                os.unlink(jdir / JOURNAL)
                _fsync_dir(jdir)
        except OSError as exc:
            if len(staged) == 1:
                with contextlib.suppress(OSError):
                    os.unlink(staged[0][0])
                raise _write_error(exc, staged[0][1], f"replace {staged[0][1].name}") from exc
            raise WriteError(f"the write was interrupted after its commit ({exc.strerror or exc}); the journal holds the rest",
                             jdir / JOURNAL, None, "run `unsc validate` (or any unsc command) to finish it") from exc


def atomic_write(path: Path, text: str) -> None:
    atomic_write_many({path: text})


RECOVER_HINT = ("the journal names each file; restore them from git (`git checkout -- data/`) "
                "or from the last release, delete .unsc-journal.json, then run the command again")


@dataclass
class Recovery:
    """What `recover` did: the files it finished writing, the temporaries it removed, what it could not fix."""

    completed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _scan_dirs(root: Path) -> list[Path]:
    """Folders where a write may leave temporaries: the root, each resource's folder, curation/."""
    dirs = {root}
    try:
        desc = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        for res in desc.get("resources", []):
            path = res.get("path") if isinstance(res, dict) else None
            if isinstance(path, str) and not os.path.isabs(path) and ".." not in Path(path).parts:
                dirs.add((root / path).parent)
    except (OSError, ValueError, AttributeError):
        dirs.add(root / "data")
    curation = root / "curation"
    if curation.is_dir() and not curation.is_symlink():
        dirs.add(curation)
        dirs.update(p for p in curation.rglob("*") if p.is_dir() and not p.is_symlink())
    return sorted(d for d in dirs if d.is_dir())


def _recover_locked(jdir: Path, scan: bool) -> Recovery:
    rec = Recovery()
    journal = jdir / JOURNAL
    if journal.exists():
        try:
            entries = json.loads(journal.read_text(encoding="utf-8"))["files"]
            plan = [(jdir / e["target"], jdir / e["temp"], e["target"], e["sha256"]) for e in entries]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            rec.problems.append(f"{JOURNAL} cannot be read ({exc})")
            return rec
        pending = []
        for target, tmp, name, digest in plan:
            if _sha256_file(target) == digest:
                continue  # renamed before the interruption
            if tmp.exists() and _sha256_file(tmp) == digest:
                pending.append((tmp, target))
            else:
                rec.problems.append(f"{name} still holds its old version and its new version ({os.path.relpath(tmp, jdir)}) is missing or damaged")
        if rec.problems:
            return rec
        try:
            for tmp, target in pending:
                os.replace(tmp, target)
            for target, tmp, _, _ in plan:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
                _fsync_dir(target.parent)
            os.unlink(journal)
            _fsync_dir(jdir)
        except OSError as exc:
            what, hint = _OS_HINTS.get(exc.errno or -1, (exc.strerror or str(exc), ""))
            rec.problems.append(f"could not finish it: {what} on {exc.filename or journal}" + (f" ({hint})" if hint else ""))
            return rec
        rec.completed = [name for _, _, name, _ in plan]
    if scan:
        for folder in _scan_dirs(jdir):
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            for n in names:
                legacy = _LEGACY_TMP.match(n)
                if _TMP.match(n) or (legacy and (folder / legacy["name"]).is_file()):
                    try:
                        os.unlink(folder / n)
                        rec.removed.append(os.path.relpath(folder / n, jdir))
                    except OSError:
                        pass  # a read-only folder: the temporary is hidden and harmless
    return rec


def recover(root: str | Path) -> Recovery:
    """Finish or undo an interrupted write in the package at *root*; remove stray temporaries.

    A journal whose new files are all present is completed; without a journal, temporaries are
    deleted (the write never reached its commit point, so the files hold their old versions).
    What cannot be fixed is listed in `Recovery.problems` and the journal is left in place."""
    root = Path(os.path.abspath(root))
    with _locked(root):
        return _recover_locked(root, scan=True)


def pending_write(root: str | Path) -> bool:
    """True if a journal of an unfinished write is present under *root*."""
    return (Path(root) / JOURNAL).exists()
