"""Property-based fuzzing (hypothesis) of everything that reads bytes a person or a program wrote.

Properties: never a traceback (a known exception naming the file, or an exit code in {0, 1, 2});
never a half-written record (a refused fmt leaves every file byte for byte); never a silent
acceptance of a planted violation (BOM, bad byte, UTF-16, extra cell, unclosed quote, bad id).
Each test is bounded by max_examples so the file runs in about 20 seconds (most of it three runs of
the full `unsc validate`); CI runs it with the rest of the suite (`make test`).
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, MiniPackage, _rows
from unsc.build.fmt import format_package
from unsc.cli import main
from unsc.contract import canonical
from unsc.errors import InputError, UnscError

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_TEMPLATE: dict[str, Path] = {}


def _package(into: Path) -> MiniPackage:
    """A copy of the small valid package of conftest (built once per run, copied per example)."""
    if "root" not in _TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix="unsc-fuzz-"))
        shutil.copy(ROOT / "datapackage.json", root / "datapackage.json")
        shutil.copytree(ROOT / "schemas", root / "schemas")
        (root / "data").mkdir()
        pkg = MiniPackage(root)
        for table, rows in _rows().items():
            pkg.write(table, rows)
        _TEMPLATE["root"] = root
    shutil.copytree(_TEMPLATE["root"], into, dirs_exist_ok=True)
    return MiniPackage(into)


PIECES = [",", '"', "\n", "\r\n", "\r", "\ufeff", "\x00", "{{ 7*7 }}", "{%", "S/2023/773", "USA", "yes", "é", "\u2028", " ", "''"]
csv_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=30).map("".join)
raw_bytes = st.one_of(
    csv_text.map(lambda t: t.encode("utf-8")),
    csv_text.map(lambda t: t.encode("utf-16")),
    st.binary(max_size=200),
    st.tuples(csv_text, st.binary(max_size=4), csv_text).map(lambda p: p[0].encode() + p[1] + p[2].encode()),
)


@FAST
@given(raw_bytes)
def test_the_csv_reader_never_crashes(raw):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "votes.csv"
        path.write_bytes(raw)
        try:
            header, rows = canonical.read_rows(path)
        except InputError as exc:
            assert str(exc).startswith(f"{path}:") and exc.hint  # names the file, the row and what to do
            return
        assert all(len(r) == len(header) for r in rows)  # nothing shifted: every row has the header's cells
        assert not raw.startswith(b"\xef\xbb\xbf") and not raw.startswith((b"\xff\xfe", b"\xfe\xff"))


@FAST
@given(raw_bytes)
def test_canonical_problems_never_crash(raw):
    pkg_contract = canonical_contract()
    problems = canonical.canonical_problems(pkg_contract.tables["votes"], raw)
    assert all(isinstance(rule, str) and rule.startswith("csv.") for _, rule, _ in problems)
    if raw.startswith(b"\xef\xbb\xbf") or raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        assert any(rule == "csv.encoding" for _, rule, _ in problems)


def canonical_contract():
    from unsc.contract import load_contract

    if "contract" not in _TEMPLATE:
        _TEMPLATE["contract"] = load_contract(ROOT)
    return _TEMPLATE["contract"]


def _valid_sponsors() -> str:
    t = canonical_contract().tables["sponsors"]
    return canonical.render(t, [{"draft_id": f"S/2023/{n}", "state_id": "BRA", "role": "sponsor", "source_id": "SC/15462"} for n in range(1, 6)])


# a valid file with one planted violation at a random place
MUTATIONS = {
    "bom": lambda text, i: b"\xef\xbb\xbf" + text.encode(),
    "bad byte": lambda text, i: text.encode()[:i] + b"\xff" + text.encode()[i:],
    "utf-16": lambda text, i: text.encode("utf-16"),
    "extra cell": lambda text, i: "\n".join(line + (",x" if n == 1 + i % 5 else "") for n, line in enumerate(text.split("\n"))).encode(),
    "unclosed quote": lambda text, i: "\n".join(line.replace(",", ',"', 1) if n == 1 + i % 5 else line for n, line in enumerate(text.split("\n"))).encode(),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(MUTATIONS)), st.integers(min_value=0, max_value=150), st.booleans())
def test_fmt_refuses_or_formats_and_never_half_writes(mutation, at, also_votes):
    with tempfile.TemporaryDirectory() as tmp:
        pkg = _package(Path(tmp))
        text = _valid_sponsors()
        raw = MUTATIONS[mutation](text, at % max(1, len(text)))
        pkg.path("sponsors").write_bytes(raw)
        if also_votes:  # a second file fmt would rewrite: it must not be written when another is refused
            pkg.path("votes").write_bytes(pkg.path("votes").read_bytes().replace(b"\n", b"\r\n"))
        before = {p.name: p.read_bytes() for p in pkg.path("votes").parent.iterdir()}
        try:
            changed = format_package(pkg.root)
        except UnscError as exc:
            assert exc.file == "data/sponsors.csv" and exc.row is not None
            assert {p.name: p.read_bytes() for p in pkg.path("votes").parent.iterdir()} == before
            return
        assert mutation == "bom"  # the only planted fault fmt may repair: it drops the mark
        assert "data/sponsors.csv" in changed and pkg.path("sponsors").read_text() == text
        assert format_package(pkg.root) == []


@SLOW
@given(st.one_of(st.sampled_from(sorted(MUTATIONS)).map(lambda m: ("planted", m)), raw_bytes.map(lambda b: ("random", b))), st.booleans())
def test_validate_never_tracebacks_and_never_accepts_a_planted_violation(case, as_json):
    kind, value = case
    with tempfile.TemporaryDirectory() as tmp:
        pkg = _package(Path(tmp))
        text = pkg.path("votes").read_text()
        raw = MUTATIONS[value](text, 7) if kind == "planted" else value
        pkg.path("votes").write_bytes(raw)
        args = ["validate", str(pkg.root)] + (["--format", "json"] if as_json else [])
        r = CliRunner().invoke(main, args)
        assert r.exit_code in (0, 1, 2), r.output
        assert "Traceback" not in r.output
        if as_json:
            json.loads(r.stdout)
        if kind == "planted":
            assert r.exit_code == 1 and "data/votes.csv" in r.output
        assert pkg.path("votes").read_bytes() == raw  # validate never writes the data


ids = st.one_of(
    st.sampled_from(["S/2023/792", "S/RES/2712 (2023)", "S/2023/792/Rev.1", "vote:2023-10-25-draft-1", "S/PV.9453", "S/PV.9453 (Resumption 1)"]),
    st.lists(st.sampled_from(["S/", "2023", "/", "..", "{{", "}}", "{%", "%}", ",", '"', "\n", " ", "(", ")", "7*7", "PV.", "9453", "\x00"]), max_size=8).map("".join),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ids, ids)
def test_scaffolds_write_checked_ids_in_their_columns_or_nothing(draft, meeting):
    from unsc.contrib import new_vote

    with tempfile.TemporaryDirectory() as tmp:
        pkg = _package(Path(tmp))
        before = sorted(str(p.relative_to(pkg.root)) for p in pkg.root.rglob("*"))
        try:
            folder = new_vote(pkg.root, "2023-10-25", meeting, draft)
        except InputError:
            assert sorted(str(p.relative_to(pkg.root)) for p in pkg.root.rglob("*")) == before
            return
        c = pkg.contract
        assert c.tables["drafts"].field("draft_id").regex.fullmatch(draft)
        assert c.tables["meetings"].field("meeting_id").regex.fullmatch(meeting)
        assert folder.parent == pkg.root.resolve() / "contributions"
        row = canonical.read_rows(folder / "drafts.csv")[1][0]
        assert (row["draft_id"], row["meeting_id"]) == (draft, meeting)
        assert {r["draft_id"] for r in canonical.read_rows(folder / "votes.csv")[1]} == {draft}
