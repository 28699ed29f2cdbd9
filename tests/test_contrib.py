"""A contributor, end to end: scaffold, fill, add, validate — and a broken contribution that changes nothing."""
from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from conftest import SITTING_2023
from unsc.cli import main
from unsc.validate import validate


def _fill(folder, name, fill):
    path = folder / f"{name}.csv"
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    rows = [fill(dict(r)) for r in reader]
    out = io.StringIO()
    w = csv.DictWriter(out, reader.fieldnames, lineterminator="\n")
    w.writeheader()
    w.writerows([r for r in rows if r is not None])
    path.write_text(out.getvalue(), encoding="utf-8")


def _scaffold(mini, tmp_path):
    out = tmp_path / "contribution"
    r = CliRunner().invoke(main, ["new", "vote", "--date", "2023-10-25", "--meeting", "S/PV.9453", "--draft", "S/2023/792", "--out", str(out), "--root", str(mini.root)])
    assert r.exit_code == 0, r.output
    return out


def _fill_valid(out):
    src = "SC/15464"
    _fill(out, "sources", lambda r: {**r, "source_id": src, "source_symbol": src, "source_url": "https://press.un.org/en/2023/sc15464.doc.htm", "source_title": "Security Council rejects two draft resolutions"})
    _fill(out, "meetings", lambda r: {**r, "topic": "The situation in the Middle East, including the Palestinian question", "situation_id": "israel-palestine", "press_release": src, "source_id": src})
    _fill(out, "drafts", lambda r: {**r, "situation_id": "israel-palestine", "outcome": "vetoed", "yes": "10", "no": "3", "abstain": "2", "not_participating": "0", "source_id": src})
    votes = {"RUS": "no", "CHN": "no", "ARE": "no", "BRA": "abstain", "MOZ": "abstain"}
    _fill(out, "votes", lambda r: {**r, "vote": votes.get(r["state_id"], "yes"), "source_id": src})
    expected = ["ARE", "BRA", "CHN", "FRA", "GBR", "MOZ", "RUS", "USA"]  # a vetoed draft: permanent members and dissenters
    (out / "position_gaps.csv").write_text("draft_id,state_id,gap_reason,source_id,gap_note\n" + "".join(
        f"S/2023/792,{s},record_not_found,,Not in the opening of SC/15464.\n" for s in expected), encoding="utf-8")


def test_contributor_end_to_end(mini, tmp_path):
    out = _scaffold(mini, tmp_path)
    votes = (out / "votes.csv").read_text()
    assert sorted(line.split(",")[1] for line in votes.splitlines()[1:]) == sorted(SITTING_2023)
    assert "unsc add" in (out / "README.md").read_text()
    _fill_valid(out)
    before = {t: len(mini.rows(t)) for t in ("sources", "meetings", "drafts", "votes")}
    r = CliRunner().invoke(main, ["add", str(out), "--root", str(mini.root)])
    assert r.exit_code == 0, r.output
    after = {t: len(mini.rows(t)) for t in ("sources", "meetings", "drafts", "votes")}
    assert after == {"sources": before["sources"] + 1, "meetings": before["meetings"] + 1, "drafts": before["drafts"] + 1, "votes": before["votes"] + 15}
    assert validate(mini.root) == []
    again = CliRunner().invoke(main, ["add", str(out), "--root", str(mini.root)])
    assert again.exit_code == 0 and "already has these rows" in again.output


def test_broken_contribution_changes_nothing(mini, tmp_path):
    out = _scaffold(mini, tmp_path)
    _fill_valid(out)
    _fill(out, "votes", lambda r: {**r, "vote": "maybe"} if r["state_id"] == "FRA" else r)
    before = {p.name: p.read_bytes() for p in (mini.root / "data").iterdir()}
    r = CliRunner().invoke(main, ["add", str(out), "--root", str(mini.root)])
    assert r.exit_code == 1
    assert f"{out / 'votes.csv'}:" in r.output and ":vote contribution.enum" in r.output
    assert {p.name: p.read_bytes() for p in (mini.root / "data").iterdir()} == before


def test_a_failed_draft_needs_its_expected_members_listed(mini, tmp_path):
    out = _scaffold(mini, tmp_path)
    _fill_valid(out)
    gaps = out / "position_gaps.csv"
    gaps.write_text("".join(line for line in gaps.read_text().splitlines(keepends=True) if ",GBR," not in line))
    before = {p.name: p.read_bytes() for p in (mini.root / "data").iterdir()}
    r = CliRunner().invoke(main, ["add", str(out), "--root", str(mini.root)])
    assert r.exit_code == 1 and "gap.listed" in r.output and "S/2023/792/GBR: a permanent member" in r.output
    assert {p.name: p.read_bytes() for p in (mini.root / "data").iterdir()} == before


def test_rule_broken_by_contribution_points_at_its_row(mini, tmp_path):
    out = _scaffold(mini, tmp_path)
    _fill_valid(out)
    _fill(out, "drafts", lambda r: {**r, "yes": "11"})  # tally no longer matches the votes
    before = {p.name: p.read_bytes() for p in (mini.root / "data").iterdir()}
    r = CliRunner().invoke(main, ["add", str(out), "--root", str(mini.root)])
    assert r.exit_code == 1
    assert f"{out / 'drafts.csv'}:2:yes tally.mismatch" in r.output
    assert {p.name: p.read_bytes() for p in (mini.root / "data").iterdir()} == before


def test_conflict_is_explained_not_overwritten(mini, tmp_path):
    out = tmp_path / "c"
    r = CliRunner().invoke(main, ["new", "vote", "--date", "2023-10-18", "--meeting", "S/PV.9442", "--draft", "S/2023/773", "--out", str(out), "--root", str(mini.root)])
    assert r.exit_code == 0
    for t in ("sources", "meetings", "drafts"):
        (out / f"{t}.csv").write_text((out / f"{t}.csv").read_text().splitlines()[0] + "\n")
    _fill(out, "votes", lambda r: {**r, "vote": "no", "source_id": "SC/15462"} if r["state_id"] == "FRA" else None)
    r = CliRunner().invoke(main, ["add", str(out), "--root", str(mini.root)])
    assert r.exit_code == 1 and "contribution.conflict" in r.output and "unsc new fix" in r.output


def test_fix_needs_reason_and_source_and_is_logged(mini, tmp_path):
    r = CliRunner().invoke(main, ["new", "fix", "--table", "drafts", "--key", "S/2023/773", "--reason", "", "--source", "SC/15462", "--out", str(tmp_path / "f0"), "--root", str(mini.root)])
    assert r.exit_code != 0
    out = tmp_path / "f1"
    r = CliRunner().invoke(main, ["new", "fix", "--table", "drafts", "--key", "S/2023/773", "--reason", "The title should name the text's purpose.",
                                  "--source", "SC/15462", "--out", str(out), "--root", str(mini.root)])
    assert r.exit_code == 0, r.output
    assert json.loads((out / "correction.json").read_text())["source_id"] == "SC/15462"
    _fill(out, "drafts", lambda r: {**r, "draft_title": "Humanitarian pauses in the Gaza Strip"})
    r = CliRunner().invoke(main, ["add", str(out), "--root", str(mini.root)])
    assert r.exit_code == 0, r.output
    assert next(d for d in mini.rows("drafts") if d["draft_id"] == "S/2023/773")["draft_title"] == "Humanitarian pauses in the Gaza Strip"
    errata = (mini.root / "curation" / "errata.csv").read_text()
    assert "S/2023/773,draft_title,Humanitarian pauses in Gaza,Humanitarian pauses in the Gaza Strip" in errata


def test_a_vote_and_a_fix_survive_a_rebuild_from_scratch(mini, tmp_path):
    """The contribution lives in curation/: wiping data/ and rebuilding gives back the vote and the correction."""
    from unsc.build.write import build_and_write

    out = _scaffold(mini, tmp_path)
    _fill_valid(out)
    assert CliRunner().invoke(main, ["add", str(out), "--root", str(mini.root)]).exit_code == 0
    assert (mini.root / "curation" / "tables" / "votes.csv").read_text().count("S/2023/792,") == 15
    fix = tmp_path / "fix"
    CliRunner().invoke(main, ["new", "fix", "--table", "drafts", "--key", "S/2023/773", "--reason", "The title names the text's purpose.",
                              "--source", "SC/15462", "--out", str(fix), "--root", str(mini.root)])
    _fill(fix, "drafts", lambda r: {**r, "draft_title": "Humanitarian pauses in the Gaza Strip"})
    assert CliRunner().invoke(main, ["add", str(fix), "--root", str(mini.root)]).exit_code == 0
    committed = {p.name: p.read_bytes() for p in (mini.root / "data").iterdir()}
    assert build_and_write(mini.root, check=True, validate=False, echo=lambda *a, **k: None) == 0
    for p in (mini.root / "data").iterdir():
        p.write_text(p.read_text().splitlines()[0] + "\n")  # wipe every table to its header
    assert build_and_write(mini.root, validate=True, echo=lambda *a, **k: None) == 0
    assert {p.name: p.read_bytes() for p in (mini.root / "data").iterdir()} == committed
    assert len([v for v in mini.rows("votes") if v["draft_id"] == "S/2023/792"]) == 15
    assert next(d for d in mini.rows("drafts") if d["draft_id"] == "S/2023/773")["draft_title"] == "Humanitarian pauses in the Gaza Strip"


def test_a_stale_erratum_stops_the_build(mini):
    from unsc.build.write import build_and_write

    (mini.root / "curation" / "errata.csv").write_text(
        "date,table,key,field,old,new,reason,source_id\n2026-12-07,drafts,S/2023/773,draft_title,Not the title,New title,r,SC/15462\n")
    lines = []
    assert build_and_write(mini.root, validate=False, echo=lambda *a, **k: lines.append(a[0])) == 1
    assert any("errata.csv:2" in line and "review it" in line for line in lines)


def test_a_changed_snapshot_is_named(tmp_path):
    from unsc.build.rebuild import check_manifest

    (tmp_path / "a.csv").write_text("x\n")
    (tmp_path / "manifest.csv").write_text("path,url,retrieved,sha256,bytes,terms,note\na.csv,https://example.org,2026-12-07,00,2,CC0,n\n")
    (tmp_path / "b.csv").write_text("unlisted\n")
    problems = check_manifest(tmp_path)
    assert any("manifest.csv:2: sha256 of a.csv" in p for p in problems)
    assert any("b.csv: not listed" in p for p in problems)


def test_a_folder_with_no_contribution_or_a_misnamed_file_is_refused(mini, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    r = CliRunner().invoke(main, ["add", str(empty), "--root", str(mini.root)])
    assert r.exit_code == 1 and "contribution.empty" in r.output
    out = _scaffold(mini, tmp_path)
    _fill_valid(out)
    (out / "votes.csv").rename(out / "Votes.csv")
    r = CliRunner().invoke(main, ["add", str(out), "--root", str(mini.root)])
    assert r.exit_code == 1 and "Votes.csv" in r.output and "contribution.file" in r.output


def test_build_prints_without_click(mini, capsys):
    """`build_and_write` called from Python (the harvester, a notebook) prints like the command does."""
    from unsc.build.write import build_and_write

    code = build_and_write(str(mini.root), check=True, validate=False)
    out = capsys.readouterr()
    assert code == 1 and "data/drafts.csv is not what `unsc build` makes" in out.out  # draft_symbol is derived by the build
    assert "  situations:" in out.err and "rebuilt in" in out.out
