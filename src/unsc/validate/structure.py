"""One streaming pass over a CSV file's bytes: encoding, line endings, header, row shape, key order, canonical form.

It keeps no rows (memory stays at the size of the file): each row is rendered in canonical form and compared
with the text it came from, a chunk at a time. What it finds are the root causes the later layers depend on:
a file that cannot be decoded or whose header is wrong is not read further; a ragged or blank row is named
once here, and the cell layer skips it.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from unsc.contract import Table
from unsc.validate.report import Issue

FMT_HINT = "run `unsc fmt` to rewrite the file in canonical form"
csv.field_size_limit(1 << 30)  # a huge cell is a value to report, not a crash


@dataclass
class Scan:
    """What the pass found in one file."""

    issues: list[Issue] = field(default_factory=list)
    readable: bool = True  # decoded, header names every schema field: the cell layer may read it
    header: list[str] = field(default_factory=list)
    ragged: dict[int, int] = field(default_factory=dict)  # row number -> number of cells, where it differs from the header
    blank: list[int] = field(default_factory=list)  # row numbers of empty lines
    fmt_fixable: bool = True  # `unsc fmt` accepts the file (it refuses ragged rows, bad UTF-8 and a header of other names)
    rows: int = 0


def header_issues(table: Table, header: list[str]) -> list[Issue]:
    """The header against the schema, position by position as Frictionless reads it, in one issue."""
    names = table.field_names
    if header == names:
        return []
    missing = [n for n in names if n not in header]
    extra = [h for h in header if h not in names]
    dup = sorted({h for h in header if header.count(h) > 1})
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("not in the schema: " + ", ".join(repr(h) for h in extra))
    if dup:
        parts.append("repeated: " + ", ".join(dup))
    if not parts:
        parts.append("the columns are in another order")
    msg = f"header is {','.join(header)}; expected {','.join(names)} ({'; '.join(parts)})"
    if missing or extra or dup:
        hint = "make the header the schema's: " + ("add the missing column(s)" if missing else "remove the extra column(s)" if extra else "name each column once")
    else:
        hint = FMT_HINT
    return [Issue(table.path, 1, None, "csv.header", msg, hint, "structure")]


def scan(table: Table, data: bytes, chunk_rows: int = 2048) -> Scan:
    out = Scan()
    path = table.path
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start: exc.start + 4]
        out.issues.append(Issue(path, line, None, "csv.encoding", f"not valid UTF-8 at byte {exc.start} (line {line}): {bad!r}",
                                "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)", "structure"))
        out.readable = out.fmt_fixable = False
        return out
    if text.startswith("\ufeff"):
        out.issues.append(Issue(path, 1, None, "csv.encoding", "starts with a byte-order mark", FMT_HINT, "structure"))
        text = text[1:]
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        out.issues.append(Issue(path, line, None, "csv.newline", "uses CR or CRLF line endings; LF only", FMT_HINT, "structure"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text and not text.endswith("\n"):
        out.issues.append(Issue(path, None, None, "csv.newline", "does not end with a newline", FMT_HINT, "structure"))
    if '"' not in text:
        return _scan_plain(table, text, out)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # a quote never closed is an error, not a swallowed file
    try:
        header = next(reader, [])
    except csv.Error as exc:
        out.issues.append(Issue(path, 1, None, "csv.syntax", f"the header cannot be read: {exc}", "check the quotes in the first line", "structure"))
        out.readable = out.fmt_fixable = False
        return out
    out.header = header
    hissues = header_issues(table, header)
    out.issues += hissues
    if hissues:
        out.readable = all(n in header for n in table.field_names) and len(set(header)) == len(header)
        out.fmt_fixable = sorted(header) == sorted(table.field_names)
    width = len(header)
    canonical_header = header == table.field_names
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    pos = 0  # of the text compared so far
    quoting_row = None
    n = 1
    try:
        for n, row in enumerate(reader, start=2):
            if not row:
                out.blank.append(n)
                buf.write("\n")  # as it was: the blank row is reported, not a quoting problem
                continue
            if len(row) != width:
                out.ragged[n] = len(row)
            writer.writerow(row)
            if n % chunk_rows == 0 and quoting_row is None:
                rendered = buf.getvalue()
                if text.startswith(rendered, pos):
                    pos += len(rendered)
                    buf.seek(0)
                    buf.truncate()
                else:
                    quoting_row = n
    except csv.Error as exc:
        out.issues.append(Issue(path, n + 1, None, "csv.syntax", f"the row cannot be read: {exc}",
                                "a quoted value must end with a quote, followed by a comma or the line's end; double a quote inside a value (\"\")", "structure"))
        out.readable = out.fmt_fixable = False
        return out
    out.rows = n - 1
    if quoting_row is None and canonical_header and text[pos:] != buf.getvalue():
        quoting_row = -1
    return _finish(table, out, canonical_header, quoting_row)


def _scan_plain(table: Table, text: str, out: Scan) -> Scan:
    """A text without a double quote: each line is a row and each comma a separator, so the canonical
    rendering of every row is the line itself; only the shape of each line is left to check."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header = lines[0].split(",") if lines else []
    out.header = header
    hissues = header_issues(table, header)
    out.issues += hissues
    if hissues:
        out.readable = all(n in header for n in table.field_names) and len(set(header)) == len(header)
        out.fmt_fixable = sorted(header) == sorted(table.field_names)
    commas = len(header) - 1
    for n, line in enumerate(lines[1:], start=2):
        if line.count(",") != commas:
            if line == "":
                out.blank.append(n)
            else:
                out.ragged[n] = line.count(",") + 1
    out.rows = len(lines) - 1
    return _finish(table, out, header == table.field_names, None)


def _finish(table: Table, out: Scan, canonical_header: bool, quoting_row) -> Scan:
    path, header, width = table.path, out.header, len(out.header)
    for r in out.blank:
        out.issues.append(Issue(path, r, None, "csv.blank-row", "the row is empty", "remove the empty line", "structure"))
    for r, cells in out.ragged.items():
        more = cells > width
        what = (f"has {cells} cells, the header {width}: " +
                ("a value holds an unquoted comma, or a cell too many" if more else
                 f"{width - cells} cell(s) missing ({', '.join(header[cells:])})"))
        hint = "quote values that contain commas (\"a, b\") or remove the extra cell" if more else "add the missing cells (commas), empty if unknown"
        field = None if more else (header[cells] if cells < width else None)
        out.issues.append(Issue(path, r, field, "csv.extra-cell" if more else "csv.missing-cell", what, hint, "structure"))
    if out.ragged or out.blank:
        out.fmt_fixable = out.fmt_fixable and not out.ragged
    if canonical_header and not out.ragged and quoting_row is not None and not out.blank:
        out.issues.append(Issue(path, None, None, "csv.quoting", "quoting or spacing differs from canonical form", FMT_HINT, "structure"))
    return out
