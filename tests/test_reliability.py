"""Faults and hostile input: nothing lost, nothing half-written, nothing silently wrong, no traceback.

Interrupted writes are simulated two ways: an exception injected at each step of `atomic_write_many`
(each os.replace and os.fsync call), and a hard kill (os._exit, no cleanup) at each step in a child
process. After either, `recover` (run by every command) leaves each file all old or all new.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from unsc import errors
from unsc.cli import main
from unsc.contract import canonical, load_contract
from unsc.errors import ContractError, InputError, UnfinishedWrite, WriteError

ROOT = Path(__file__).resolve().parent.parent
CHANGED = ("drafts", "votes", "sponsors")


def _new_texts(mini) -> dict[Path, str]:
    """A change to three tables at once, like `unsc add` of one vote: a draft, its votes, a sponsor."""
    texts = {}
    for t in CHANGED:
        rows = mini.rows(t)
        row = dict(rows[0])
        row["draft_id"] = "S/2023/999"
        rows.append(row)
        texts[mini.path(t)] = canonical.render(mini.contract.tables[t], rows)
    return texts


def _rebuild_that_writes(mini) -> list[str]:
    """`unsc build` with a new source row in curation, so the build has every table to rewrite."""
    path = mini.root / "curation" / "tables" / "sources.csv"
    row = {"source_id": "SC/99999", "source_kind": "press_release", "source_symbol": "SC/99999", "source_url": "https://press.un.org/en/2026/sc99999.doc.htm",
           "source_title": "A release", "source_date": "2026-01-01"}
    path.write_text(path.read_text() + ",".join(row.get(n, "") for n in mini.contract.tables["sources"].field_names) + "\n")
    return ["build", "--no-validate", "--root", str(mini.root)]


def _snapshot(mini) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((mini.root / "data").iterdir())}


def _leftovers(root: Path) -> list[str]:
    found = [str(p.relative_to(root)) for p in root.rglob("*") if canonical._TMP.match(p.name)]
    if (root / canonical.JOURNAL).exists():
        found.append(canonical.JOURNAL)
    return found


def _all_old_or_all_new(mini, before: dict[str, bytes], new: dict[Path, str]) -> str:
    now = _snapshot(mini)
    names = {p.name for p in new}
    if now == before:
        return "unchanged"
    want = dict(before)
    want.update({p.name: text.encode() for p, text in new.items()})
    assert now == want, f"half-written: {[n for n in names if now[n] != want[n]]} new, others old"
    return "updated"


# --- journaled atomic writes ----------------------------------------------------------------------

def test_write_many_leaves_no_temporaries_and_keeps_modes(mini):
    votes = mini.path("votes")
    os.chmod(votes, 0o640)
    new_file = mini.root / "data" / "brand_new.csv"
    texts = _new_texts(mini) | {new_file: "a\n"}
    canonical.atomic_write_many(texts)
    assert {p: p.read_text() for p in texts} == texts
    assert stat.S_IMODE(votes.stat().st_mode) == 0o640  # kept, not 0600
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(new_file.stat().st_mode) == 0o666 & ~mask
    assert _leftovers(mini.root) == []


class _Injected(OSError):
    pass


@pytest.mark.parametrize("function", ["replace", "fsync"])
def test_an_exception_at_every_write_step_leaves_all_old_or_all_new(mini, monkeypatch, function):
    new = _new_texts(mini)
    before = _snapshot(mini)
    real = getattr(os, function)
    outcomes = []
    for k in range(12):
        calls = {"n": 0}

        def failing(*args, _k=k, **kw):
            calls["n"] += 1
            if calls["n"] == _k + 1:
                raise _Injected(errno.EIO, f"injected at {function} call {_k + 1}")
            return real(*args, **kw)

        monkeypatch.setattr(os, function, failing)
        try:
            canonical.atomic_write_many(new)
            failed = False
        except (WriteError, _Injected):
            failed = True
        finally:
            monkeypatch.setattr(os, function, real)
        rec = canonical.recover(mini.root)
        assert rec.problems == []
        outcome = _all_old_or_all_new(mini, before, new)
        assert _leftovers(mini.root) == []
        outcomes.append((failed, outcome))
        for p in mini.path("drafts").parent.iterdir():  # back to the old record for the next step
            if p.name in before:
                p.write_bytes(before[p.name])
    assert ("updated" in {o for _, o in outcomes}) and any(f for f, _ in outcomes)
    if function == "replace":  # the journal's rename is the commit point: before it nothing, after it everything
        assert outcomes[0] == (True, "unchanged") and outcomes[1] == (True, "updated")


KILLER = textwrap.dedent("""
    import json, os, sys
    from pathlib import Path
    from unsc.contract import canonical
    fn, at, spec = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    real = getattr(os, fn)
    count = [0]
    def killed(*a, **k):
        count[0] += 1
        if count[0] == at:
            os._exit(9)  # like kill -9: no cleanup, no finally
        return real(*a, **k)
    setattr(os, fn, killed)
    canonical.atomic_write_many({Path(p): t for p, t in spec.items()})
""")


def _killed_write(new: dict[Path, str], fn: str, at: int) -> int:
    spec = json.dumps({str(p): t for p, t in new.items()})
    return subprocess.run([sys.executable, "-c", KILLER, fn, str(at), spec], capture_output=True).returncode


@pytest.mark.parametrize("function,steps", [("replace", 4), ("fsync", 7)])
def test_a_kill_at_every_write_step_is_finished_or_undone_by_the_next_command(mini, function, steps):
    new = _new_texts(mini)
    before = _snapshot(mini)
    seen = set()
    for at in range(1, steps + 1):
        code = _killed_write(new, function, at)
        assert code == 9
        seen.add(canonical.pending_write(mini.root))
        load_contract(mini.root)  # any reader finishes a committed write first
        canonical.recover(mini.root)  # and every command removes the temporaries of one that was not
        outcome = _all_old_or_all_new(mini, before, new)
        assert _leftovers(mini.root) == []
        if function == "replace":
            assert outcome == ("unchanged" if at == 1 else "updated"), at
        for name, data in before.items():
            (mini.root / "data" / name).write_bytes(data)
    if function == "replace":
        assert seen == {False, True}  # some kills left a journal, some only temporaries


def test_validate_finishes_a_write_killed_between_two_renames(mini):
    new = _new_texts(mini)
    assert _killed_write(new, "replace", 3) == 9  # journal renamed, drafts.csv renamed, killed before votes.csv
    assert canonical.pending_write(mini.root)
    assert mini.path("drafts").read_text() == new[mini.path("drafts")]
    assert mini.path("votes").read_text() != new[mini.path("votes")]  # the half-written state the issue saw
    r = CliRunner().invoke(main, ["validate", str(mini.root)])
    assert "finished an interrupted write of data/drafts.csv, data/votes.csv, data/sponsors.csv" in r.output
    assert {p.name: p.read_text() for p in new} == {p.name: t for p, t in new.items()}
    assert _leftovers(mini.root) == []


def test_an_unfinishable_write_is_an_error_for_validate_and_blocks_other_commands(mini, monkeypatch):
    new = _new_texts(mini)
    assert _killed_write(new, "replace", 3) == 9
    for tmp in (mini.root / "data").glob(".votes.csv.unsc-tmp-*"):
        tmp.unlink()  # the new votes are lost: the record cannot be completed
    r = CliRunner().invoke(main, ["validate", str(mini.root), "--format", "json"])
    assert r.exit_code == 1
    report = json.loads(r.stdout)
    assert report["valid"] is False and report["issues"][0]["rule"] == "write.unfinished"
    assert "data/votes.csv still holds its old version" in report["issues"][0]["message"]
    with pytest.raises(UnfinishedWrite):
        load_contract(mini.root)
    with pytest.raises(UnfinishedWrite):
        canonical.atomic_write(mini.path("sponsors"), "x\n")
    monkeypatch.chdir(mini.root)
    r = CliRunner().invoke(main, ["fmt"])
    assert r.exit_code == 2 and "interrupted write cannot be finished" in r.output and "Traceback" not in r.output
    assert canonical.pending_write(mini.root)  # kept for the person who repairs it


def test_stray_temporaries_are_removed_at_the_start_of_a_command(mini, monkeypatch):
    data = mini.root / "data"
    (data / ".votes.csv.unsc-tmp-abc123").write_text("half")
    (data / ".votes.csv.k3j_x9q2").write_text("half")  # the name the old tempfile call used
    (data / ".keep.me").write_text("not ours")
    before = _snapshot(mini)
    monkeypatch.chdir(mini.root)
    r = CliRunner().invoke(main, ["fmt", "--check"])
    assert "removed 2 temporary file(s)" in r.output
    assert sorted(p.name for p in data.iterdir() if p.name.startswith(".")) == [".keep.me"]
    assert {k: v for k, v in _snapshot(mini).items() if not k.startswith(".")} == {k: v for k, v in before.items() if not k.startswith(".")}


def _enospc_on_file(monkeypatch, n: int):
    real = os.fdopen
    count = {"n": 0}

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.fh, name)

    def fdopen(fd, *a, **k):
        count["n"] += 1
        fh = real(fd, *a, **k)
        return Full(fh) if count["n"] >= n else fh

    monkeypatch.setattr(os, "fdopen", fdopen)


def test_a_full_disk_changes_nothing_and_says_so(mini, monkeypatch):
    new = _new_texts(mini)
    before = _snapshot(mini)
    _enospc_on_file(monkeypatch, 2)
    with pytest.raises(WriteError, match="the disk is full; nothing was changed"):
        canonical.atomic_write_many(new)
    assert _snapshot(mini) == before and _leftovers(mini.root) == []
    _enospc_on_file(monkeypatch, 2)
    r = CliRunner().invoke(main, _rebuild_that_writes(mini))
    assert r.exit_code == 2 and "disk is full" in r.output and "Traceback" not in r.output
    assert _snapshot(mini) == before and _leftovers(mini.root) == []


def test_a_read_only_folder_changes_nothing_and_says_so(mini, monkeypatch):
    before = _snapshot(mini)
    real = canonical.tempfile.mkstemp

    def denied(*a, **k):
        if k.get("dir") and Path(k["dir"]).name == "data":
            raise PermissionError(errno.EACCES, "Permission denied", str(Path(k["dir"]) / ".x"))
        return real(*a, **k)

    monkeypatch.setattr(canonical.tempfile, "mkstemp", denied)
    r = CliRunner().invoke(main, _rebuild_that_writes(mini))
    assert r.exit_code == 2 and "permission denied; nothing was changed" in r.output and "Traceback" not in r.output
    assert _snapshot(mini) == before and _leftovers(mini.root) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_truly_read_only_folder(mini):
    data = mini.root / "data"
    before = _snapshot(mini)
    data.chmod(0o555)
    try:
        r = CliRunner().invoke(main, _rebuild_that_writes(mini))
    finally:
        data.chmod(0o755)
    assert r.exit_code == 2 and "permission denied" in r.output
    assert _snapshot(mini) == before


# --- hostile input --------------------------------------------------------------------------------

def test_a_byte_order_mark_is_refused_with_file_and_row_not_shifted(tmp_path):
    path = tmp_path / "positions.csv"
    path.write_bytes(b"\xef\xbb\xbfdraft_id,state_id\nS/1,USA\n")
    with pytest.raises(InputError) as exc:
        canonical.read_rows(path)
    assert str(exc.value).startswith(f"{path}:1: starts with a UTF-8 byte-order mark") and "without byte-order mark" in str(exc.value)
    with pytest.raises(InputError, match="byte-order mark"):
        canonical.parse("\ufeffdraft_id,state_id\nS/1,USA\n", "x.csv")
    assert canonical.read_rows(path, bom="strip") == (["draft_id", "state_id"], [{"draft_id": "S/1", "state_id": "USA"}])


def test_utf16_and_bad_bytes_name_the_file_and_offset(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_bytes("draft_id\nS/1\n".encode("utf-16"))
    with pytest.raises(InputError, match=r"votes.csv:1: is UTF-16"):
        canonical.read_rows(path)
    path.write_bytes(b"draft_id\nS/1\nCura\xe7ao\n")
    with pytest.raises(InputError, match=r"votes.csv:3: is not valid UTF-8: byte b'\\xe7' at byte offset 17 \(line 3\)"):
        canonical.read_rows(path)


def test_an_oversize_cell_is_read_then_reported(mini):
    t = mini.contract.tables["sponsors"]
    rows = mini.rows("sponsors")
    rows[0]["source_id"] = "x" * 10_000_000
    raw = canonical.render(t, rows).encode()
    header, parsed = canonical.parse(raw.decode())  # no "field larger than field limit"
    assert len(parsed[0]["source_id"]) == 10_000_000
    assert [(row, rule) for row, rule, _ in canonical.canonical_problems(t, raw)] == [(2, "csv.cell_size")]


def test_ragged_rows_and_unclosed_quotes_name_file_and_row():
    with pytest.raises(InputError, match=r"^data/votes.csv:3: line 3 has 3 cells, the header 2"):
        canonical.parse("a,b\n1,2\n1,2,3\n", "data/votes.csv")
    with pytest.raises(InputError, match=r"^data/votes.csv:3: row 3 cannot be read as CSV \(unexpected end of data"):
        canonical.parse('a,b\n1,2\n1,"2\n3,4\n', "data/votes.csv")
    with pytest.raises(InputError, match=r"^x.csv:2: row 2 cannot be read as CSV \(',' expected after '\"'"):
        canonical.parse('a,b\n1,"2"x\n', "x.csv")


def test_validate_reports_a_ragged_row_without_a_traceback(mini):
    mini.path("sponsors").write_text("draft_id,state_id,role,source_id\nS/2023/773,BRA,penholder,SC/15462,EXTRA\n")
    r = CliRunner().invoke(main, ["validate", str(mini.root)])
    assert r.exit_code == 1, r.output
    assert "data/sponsors.csv:2:- csv.extra-cell has 5 cells, the header 4" in r.output and "Traceback" not in r.output


def test_fmt_refuses_a_stray_quote_that_folds_rows(mini):
    path = mini.path("sponsors")
    lines = ["draft_id,state_id,role,source_id"] + [f"S/2023/{n},BRA,sponsor,SC/15462" for n in range(1, 9)]
    lines[2] = 'S/2023/2,BRA,sponsor,"SC/15462'  # the quote is never closed ...
    lines[8] = 'S/2023/8,BRA,sponsor,SC/15462"'  # ... until seven rows later
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    monkey = CliRunner().invoke(main, ["fmt", str(mini.root)])
    assert monkey.exit_code != 0 and "fold" in monkey.output and "formatted" not in monkey.output
    assert path.read_text() == text


def test_fmt_still_formats_a_value_that_spans_lines(mini):
    rows = mini.rows("positions")
    rows[0]["summary"] = "First line,\nsecond line."
    mini.write("positions", rows, canonical_form=False)
    from unsc.build.fmt import format_package

    format_package(mini.root)
    assert mini.rows("positions")[0]["summary"] == "First line,\nsecond line."


def _descriptor(mini) -> dict:
    return json.loads((mini.root / "datapackage.json").read_text())


def _set_votes_path(mini, path: str) -> None:
    d = _descriptor(mini)
    next(r for r in d["resources"] if r["name"] == "votes")["path"] = path
    (mini.root / "datapackage.json").write_text(json.dumps(d))


@pytest.mark.parametrize("path", ["../outside-votes.csv", "data/../../outside-votes.csv", "/etc/passwd", "https://example.org/votes.csv"])
def test_package_paths_stay_inside_the_package(mini, path):
    _set_votes_path(mini, path)
    with pytest.raises(ContractError, match=r"^datapackage.json: resource 'votes': path"):
        load_contract(mini.root)
    r = CliRunner().invoke(main, ["validate", str(mini.root), "--format", "json"])
    assert r.exit_code == 1 and json.loads(r.stdout)["issues"][0]["rule"] == "package.schema"


def test_a_symlink_out_of_the_package_is_refused(mini, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "votes.csv"
    shutil.move(mini.path("votes"), outside)
    mini.path("votes").symlink_to(outside)
    with pytest.raises(ContractError, match="symbolic link to .* outside the package"):
        load_contract(mini.root)
    inner = mini.root / "data" / "real-votes.csv"
    shutil.move(outside, inner)
    mini.path("votes").unlink()
    mini.path("votes").symlink_to(inner)  # a link that stays inside is fine
    load_contract(mini.root)


@pytest.mark.parametrize("breakage,match", [
    (lambda d, s: ("datapackage.json", '{"resources": ['), r"^datapackage.json:1: is not valid JSON"),
    (lambda d, s: ("schemas/votes.json", "{"), r"^schemas/votes.json:1: is not valid JSON"),
    (lambda d, s: ("schemas/votes.json", json.dumps({**s, "fields": [{**s["fields"][0], "constraints": {"pattern": "^[A-Z{3}$"}}] + s["fields"][1:]})),
     r"^schemas/votes.json: field 'draft_id': pattern '\^\[A-Z\{3\}\$' is not a valid regular expression"),
    (lambda d, s: ("schemas/votes.json", json.dumps({**s, "fields": [{**s["fields"][0], "type": "strng"}] + s["fields"][1:]})),
     r"^schemas/votes.json: field 'draft_id' has type 'strng'"),
    (lambda d, s: ("schemas/votes.json", json.dumps({**s, "primaryKey": ["nope"]})), r"primaryKey names 'nope'"),
    (lambda d, s: ("datapackage.json", json.dumps({**d, "resources": "x"})), r"has no list of resources"),
])
def test_a_malformed_descriptor_or_schema_names_the_file(mini, breakage, match):
    schema = json.loads((mini.root / "schemas" / "votes.json").read_text())
    rel, text = breakage(_descriptor(mini), schema)
    (mini.root / rel).write_text(text)
    with pytest.raises(ContractError, match=match):
        load_contract(mini.root)
    for args in (["validate", str(mini.root)], ["fmt", str(mini.root)], ["build", "--no-validate", "--root", str(mini.root)]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code in (1, 2) and rel in r.output and "Traceback" not in r.output, (args, r.output)


# --- scaffolds: no template injection, nothing written outside contributions/ ------------------------

def _new_vote(mini, *extra, draft="S/2023/792", meeting="S/PV.9453"):
    return CliRunner().invoke(main, ["new", "vote", "--date", "2023-10-25", "--meeting", meeting, "--draft", draft, "--root", str(mini.root), *extra])


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("draft", ["S/2023/{{ 7*7 }}", "..", "../..", "S/2023/792/../../x", "S/2023/792\n", "{% raw %}", "S/2023/792,S/2023/793"])
def test_a_hostile_draft_id_is_refused_before_anything_is_written(mini, draft):
    (mini.root / "README.md").write_text("the project readme\n")
    before = _files(mini.root)
    r = _new_vote(mini, draft=draft)
    assert r.exit_code == 2 and "is not a valid drafts.draft_id" in r.output and "Traceback" not in r.output
    assert _files(mini.root) == before


def test_a_meeting_id_with_a_comma_is_refused(mini):
    before = _files(mini.root)
    r = _new_vote(mini, meeting="S/PV.9453,extra")
    assert r.exit_code == 2 and "--meeting 'S/PV.9453,extra' is not a valid meetings.meeting_id" in r.output
    assert _files(mini.root) == before


def test_the_scaffold_goes_into_contributions_with_ids_in_their_columns(mini):
    r = _new_vote(mini, draft="S/RES/2712 (2023)", meeting="S/PV.9453 (Resumption 1)")
    assert r.exit_code == 0, r.output
    folder = mini.root / "contributions" / "S_RES_2712_2023"
    assert sorted(p.name for p in folder.iterdir()) == sorted(["README.md"] + [f"{t}.csv" for t in
                                                               ("sources", "meetings", "drafts", "votes", "sponsors", "positions", "position_gaps")])
    drafts = canonical.read_rows(folder / "drafts.csv")[1]
    assert drafts[0]["draft_id"] == "S/RES/2712 (2023)" and drafts[0]["meeting_id"] == "S/PV.9453 (Resumption 1)" and drafts[0]["id_kind"] == "resolution_symbol"
    assert canonical.read_rows(folder / "meetings.csv")[1][0]["meeting_number"] == "9453"
    for t in ("drafts", "votes", "meetings", "sources"):
        header, _ = canonical.read_rows(folder / f"{t}.csv")
        assert header == mini.contract.tables[t].field_names  # columns from the schema, not retyped in a template
    assert "S/RES/2712 (2023)" in (folder / "README.md").read_text()
    assert _new_vote(mini, draft="S/RES/2712 (2023)", meeting="S/PV.9453").exit_code == 2  # never overwritten


def test_an_existing_out_folder_and_a_bad_folder_name_are_refused(mini, tmp_path):
    assert _new_vote(mini, "--out", str(tmp_path)).exit_code == 2  # exists (the `unsc new ... --out /` case)
    assert _new_vote(mini, "--out", str(tmp_path / "{{ 7*7 }}")).exit_code == 2
    assert not (tmp_path / "49").exists() and not (tmp_path / "{{ 7*7 }}").exists()
    r = _new_vote(mini, "--out", str(tmp_path / "mine"))  # explicit, new: may lie outside contributions/
    assert r.exit_code == 0 and (tmp_path / "mine" / "votes.csv").exists()


def test_a_contributions_folder_linked_outside_is_refused(mini, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (mini.root / "contributions").symlink_to(elsewhere)
    r = _new_vote(mini)
    assert r.exit_code == 2 and "is outside" in r.output
    assert list(elsewhere.iterdir()) == []


def test_record_cells_and_reasons_are_never_rendered_as_templates(mini):
    title = 'Gaza {{ 7*7 }} {% for x in y %}, "pauses"'
    mini.update("drafts", {"draft_id": "S/2023/773"}, draft_title=title)
    reason = "The record says {{ 7*7 }} {% endfor %} \"quoted\""
    r = CliRunner().invoke(main, ["new", "fix", "--table", "drafts", "--key", "S/2023/773", "--reason", reason, "--source", "SC/15462", "--root", str(mini.root)])
    assert r.exit_code == 0, r.output
    folder = mini.root / "contributions" / "fix-drafts-S_2023_773"
    row = canonical.read_rows(folder / "drafts.csv")[1][0]
    assert row["draft_title"] == title and row == next(d for d in mini.rows("drafts") if d["draft_id"] == "S/2023/773")
    assert json.loads((folder / "correction.json").read_text()) == {"kind": "fix", "table": "drafts", "reason": reason, "source_id": "SC/15462"}


def test_a_fix_with_a_hostile_source_or_missing_key_writes_nothing(mini):
    before = _files(mini.root)
    for source, key in (("SC/{{7*7}}", "S/2023/773"), ("SC/15462", "S/2023/1")):
        r = CliRunner().invoke(main, ["new", "fix", "--table", "drafts", "--key", key, "--reason", "r", "--source", source, "--root", str(mini.root)])
        assert r.exit_code == 2 and "Traceback" not in r.output
    assert _files(mini.root) == before


# --- no traceback reaches a user ------------------------------------------------------------------

def test_an_unexpected_failure_exits_70_and_says_where_to_report(mini, monkeypatch):
    import unsc.validate

    def boom(*a, **k):
        return {}["missing"]

    monkeypatch.setattr(unsc.validate, "validate", boom)
    monkeypatch.delenv("UNSC_DEBUG", raising=False)
    r = CliRunner().invoke(main, ["validate", str(mini.root)])
    assert r.exit_code == errors.EXIT_BUG
    assert errors.REPORT_TO in r.output and "KeyError" in r.output and "Traceback" not in r.output
    monkeypatch.setenv("UNSC_DEBUG", "1")
    assert "Traceback" in CliRunner().invoke(main, ["validate", str(mini.root)]).output
    monkeypatch.delenv("UNSC_DEBUG")
    r = CliRunner().invoke(main, ["validate", str(mini.root), "--format", "json"])
    assert r.exit_code == errors.EXIT_BUG and json.loads(r.stdout)["error"]["message"].startswith("unexpected error: KeyError")


def test_a_library_value_error_is_a_bug_not_an_input_error():
    try:
        int("S/1")
    except ValueError as exc:
        assert errors.describe(exc)[0] == errors.EXIT_BUG
    from unsc.publish.site import build_site

    try:
        build_site(ROOT, ROOT)  # a message unsc raises on purpose
    except ValueError as exc:
        code, info = errors.describe(exc)
        assert code == errors.EXIT_INPUT and info["message"].startswith("refusing to build the site into")


def test_json_output_stays_json_on_a_usage_error(tmp_path):
    r = CliRunner().invoke(main, ["validate", str(tmp_path / "absent"), "--format", "json"])
    assert r.exit_code == 2 and json.loads(r.stdout)["valid"] is False


@pytest.mark.parametrize("value", ["abc", "-1", "1e9", "99999999999999"])
def test_a_bad_source_date_epoch_gives_a_message(mini, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    r = CliRunner().invoke(main, ["validate", str(mini.root)])
    assert r.exit_code == 2 and "SOURCE_DATE_EPOCH" in r.output and "Traceback" not in r.output


def test_a_decode_error_from_any_reader_names_the_file(tmp_path):
    path = tmp_path / "curated.csv"
    path.write_bytes(b"\xff\xfea\x00")
    try:
        path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        code, info = errors.describe(exc)
    assert code == errors.EXIT_INPUT and info["file"] == str(path) and "UTF-16" in info["message"] and "offset 0" in info["message"]


def test_validate_reports_rows_folded_by_a_stray_quote(mini):
    t = mini.contract.tables["sponsors"]
    raw = b'draft_id,state_id,role,source_id\nS/2023/1,BRA,sponsor,"SC/15462\nS/2023/2,BRA,sponsor,SC/15462\nS/2023/3,BRA,sponsor,SC/15462"\n'
    assert (2, "csv.folded") in [(row, rule) for row, rule, _ in canonical.canonical_problems(t, raw)]
