"""`unsc fmt` on arbitrary CSV content: idempotent, and it loses no row or value.

Rows hold generated text (commas, quotes, newlines, unicode), come in shuffled order with shuffled
columns, CRLF or LF line endings, an optional byte-order mark and an optional final newline.
The only change fmt may make to a value is the documented newline normalisation (CR and CRLF
become LF everywhere in the file, quoted values included: canonical form is LF only).
A value spanning lines that read as rows of their own is refused, not formatted (a stray quote folds rows).
"""
from __future__ import annotations

import csv
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unsc.contract import load_contract
from unsc.build.fmt import format_package

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("sources", "votes", "positions")  # a one-column key, a compound key, long free text
CONTRACT = load_contract(ROOT)

PIECES = list(',"\'\n\r ;|\t\\') + ["\r\n", '""', "S/", "S/PV.", "é", "ü", "中", "🙂", "\u00a0", "\u2028", "\ufeff", "0", "42"]
text = st.lists(
    st.one_of(st.sampled_from(PIECES), st.characters(blacklist_categories=("Cs",))),  # any code point UTF-8 can hold
    max_size=8,
).map("".join).filter(lambda v: all(line.count(",") < 4 for line in v.replace("\r", "\n").split("\n")[1:]))
# (a value whose later lines read as whole rows is what a stray quote makes: fmt refuses it, see below)


@st.composite
def table_file(draw, name: str):
    """(bytes of a CSV file for table *name*, its rows as value tuples in schema order)."""
    t = CONTRACT.tables[name]
    names = t.field_names
    rows = draw(st.lists(st.fixed_dictionaries({n: text for n in names}), max_size=6))
    columns = draw(st.permutations(names))
    order = draw(st.permutations(range(len(rows))))
    eol = "\r\n" if draw(st.booleans()) else "\n"
    quote_all = draw(st.booleans())
    lines = [",".join(_cell(v, quote_all) for v in line) for line in [columns] + [[rows[i][c] for c in columns] for i in order]]
    body = eol.join(lines) + eol
    if draw(st.booleans()):
        body = body[: -len(eol)]  # no final newline
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + body).encode("utf-8"), [tuple(r[n] for n in names) for r in rows]


def _cell(value: str, quote_all: bool) -> str:
    """RFC 4180: quote a value holding a comma, quote, CR or LF (Python's csv.writer leaves a lone CR
    unquoted when the line terminator is LF, which writes a different row than it was given)."""
    if quote_all or any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _normalise(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _rows(path: Path, name: str) -> list[tuple]:
    names = CONTRACT.tables[name].field_names
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        assert header == names
        return [tuple(r) for r in reader]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.tuples(*(table_file(n) for n in TABLES)))
def test_fmt_is_idempotent_and_lossless(files):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(ROOT / "datapackage.json", root / "datapackage.json")
        shutil.copytree(ROOT / "schemas", root / "schemas")
        (root / "data").mkdir()
        for name, (raw, _) in zip(TABLES, files):
            (root / CONTRACT.tables[name].path).write_bytes(raw)

        format_package(root)
        first = {n: (root / CONTRACT.tables[n].path).read_bytes() for n in TABLES}
        for name, (_, rows) in zip(TABLES, files):
            # a row of empty cells cannot be told from a blank line once the header has one column;
            # every table here has several, so each generated row must come back
            want = Counter(tuple(_normalise(v) for v in r) for r in rows)
            got = Counter(_rows(root / CONTRACT.tables[name].path, name))
            assert got == want, name
            assert b"\r" not in first[name]
            assert first[name].endswith(b"\n")

        assert format_package(root) == []  # second run: nothing to do
        assert {n: (root / CONTRACT.tables[n].path).read_bytes() for n in TABLES} == first


def _package(tmp_path):
    shutil.copy(ROOT / "datapackage.json", tmp_path / "datapackage.json")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    (tmp_path / "data").mkdir()
    return tmp_path


def test_non_ascii_digits_in_a_key_sort_as_text(tmp_path):
    root = _package(tmp_path)
    path = root / "data" / "sponsors.csv"
    path.write_text("draft_id,state_id,role,source_id\nS/2²,USA,sponsor,x\nS/10,USA,sponsor,x\nS/9,USA,sponsor,x\n", encoding="utf-8")
    format_package(root)
    assert path.read_text(encoding="utf-8").splitlines()[1:] == ["S/2²,USA,sponsor,x", "S/9,USA,sponsor,x", "S/10,USA,sponsor,x"]


def test_fmt_refuses_a_row_with_extra_cells_and_keeps_the_file(tmp_path):
    root = _package(tmp_path)
    path = root / "data" / "sponsors.csv"
    text = "draft_id,state_id,role,source_id\nS/1,USA,sponsor,x,EXTRA\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="line 2 has 5 cells"):
        format_package(root)
    assert path.read_text(encoding="utf-8") == text


def test_fmt_refuses_rows_folded_by_a_stray_quote_and_keeps_every_file(tmp_path):
    root = _package(tmp_path)
    sponsors, votes = root / "data" / "sponsors.csv", root / "data" / "votes.csv"
    folded = 'draft_id,state_id,role,source_id\nS/1,USA,sponsor,"x\nS/2,USA,sponsor,x\nS/3,USA,sponsor,x"\n'
    sponsors.write_text(folded, encoding="utf-8")
    votes.write_text("draft_id,state_id,vote,basis,source_id\r\nS/1,USA,yes,recorded,x\r\n", encoding="utf-8")  # would be rewritten
    with pytest.raises(ValueError, match=r"^data/sponsors.csv:2: row 2, source_id: the value spans several lines that read as rows"):
        format_package(root)
    assert sponsors.read_text(encoding="utf-8") == folded
    assert votes.read_bytes() == b"draft_id,state_id,vote,basis,source_id\r\nS/1,USA,yes,recorded,x\r\n"


def test_fmt_refuses_an_unclosed_quote(tmp_path):
    root = _package(tmp_path)
    path = root / "data" / "sponsors.csv"
    text = 'draft_id,state_id,role,source_id\nS/1,USA,sponsor,"x\nS/2,USA,sponsor,x\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="unexpected end of data"):
        format_package(root)
    assert path.read_text(encoding="utf-8") == text
