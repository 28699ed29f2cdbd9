"""Releases: reproducible builds, agreement between formats, version bumps, diffs and `unsc.load()`."""
from __future__ import annotations

import re

import json
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

import unsc
from unsc.contract import canonical
from unsc.cli import main
from unsc.contract import load_contract
from unsc.publish.release import changelog_version, cff_value

ROOT = Path(__file__).resolve().parent.parent
CHANGELOG = "# Changelog\n\nAll notable changes to the data.\n\n## [Unreleased]\n\n- First public release of the fixture.\n"


@pytest.fixture
def pkg(mini, monkeypatch):
    """The mini package with the files a release needs."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (mini.root / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    shutil.copy(ROOT / "CITATION.cff", mini.root / "CITATION.cff")
    shutil.copy(ROOT / "LICENSE-DATA.md", mini.root / "LICENSE-DATA.md")
    return mini


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def build(root: Path, out: Path) -> Path:
    r = run("release", "build", "--root", root, "--out", out)
    assert r.exit_code == 0, r.output
    version = load_contract(root).version
    return out / f"unsc-record-{version}"


def _release_ready_mini(tmp_path_factory):
    """A mini package of its own with the files a release needs (as the `pkg` fixture gives)."""
    from conftest import make_mini

    mini = make_mini(tmp_path_factory.mktemp("mini"))
    (mini.root / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    shutil.copy(ROOT / "CITATION.cff", mini.root / "CITATION.cff")
    shutil.copy(ROOT / "LICENSE-DATA.md", mini.root / "LICENSE-DATA.md")
    return mini


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(the mini package, its release folder), built once for the tests that only read a release."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        mini = _release_ready_mini(tmp_path_factory)
        return mini, build(mini.root, tmp_path_factory.mktemp("dist"))


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def versions(root: Path) -> tuple[str, str | None, str | None]:
    dp = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))["version"]
    cff = cff_value((root / "CITATION.cff").read_text(encoding="utf-8"), "version")
    log = root / "CHANGELOG.md"
    return dp, cff, changelog_version(log.read_text(encoding="utf-8")) if log.exists() else None


# --------------------------------------------------------------------------- build


def test_build_is_byte_identical(pkg, tmp_path):
    a, b = build(pkg.root, tmp_path / "a"), build(pkg.root, tmp_path / "b")
    fa, fb = files(a), files(b)
    expected = {"datapackage.json", "README.md", "codebook.md", "CHANGELOG.md", "CITATION.cff", "LICENSE-DATA.md", "unsc-record.sqlite",
                "BUILD-INFO", "datasette-metadata.json", "duckdb.sql"}
    assert expected <= set(fa)
    for t in pkg.contract.tables.values():
        assert {t.path, f"schemas/{t.name}.json", f"parquet/{t.name}.parquet"} <= set(fa)
        assert fa[t.path] == pkg.path(t.name).read_bytes()  # copied verbatim
    assert fa == fb
    za, zb = (tmp_path / x / f"{a.name}.zip" for x in "ab")
    assert za.read_bytes() == zb.read_bytes()
    assert (tmp_path / "a" / "SHA256SUMS").read_bytes() == (tmp_path / "b" / "SHA256SUMS").read_bytes()
    build(pkg.root, tmp_path / "a")  # rebuilding over an earlier build gives the same bytes too
    assert za.read_bytes() == zb.read_bytes() and files(a) == fb
    with zipfile.ZipFile(za) as zf:
        names = zf.namelist()
        assert names == sorted(names) and "datapackage.json" in names  # at the root, where Frictionless looks
        assert {n: zf.read(n) for n in names} == fa  # the zip holds exactly the folder
        day = cff_value((pkg.root / "CITATION.cff").read_text(encoding="utf-8"), "date-released")  # no CHANGELOG heading yet
        assert {i.date_time for i in zf.infolist()} == {(*map(int, day.split("-")), 0, 0, 0)}
        assert {i.external_attr >> 16 for i in zf.infolist()} == {0o100644}
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_DEFLATED}


def test_created_comes_from_changelog_or_source_date_epoch(pkg, tmp_path, monkeypatch):
    run("release", "bump", "minor", "--date", "2026-12-01", "--root", pkg.root)
    out = build(pkg.root, tmp_path / "a")
    assert json.loads((out / "datapackage.json").read_text())["created"] == "2026-12-01T00:00:00Z"
    with zipfile.ZipFile(f"{out}.zip") as zf:
        assert zf.infolist()[0].date_time == (2026, 12, 1, 0, 0, 0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    out = build(pkg.root, tmp_path / "b")
    assert json.loads((out / "datapackage.json").read_text())["created"] == "2026-01-01T00:00:00Z"
    for bad in ("yesterday", "99999999999999999999"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", bad)
        r = CliRunner().invoke(main, ["release", "build", "--root", str(pkg.root), "--out", str(tmp_path / "c")])
        assert r.exit_code == 2 and "SOURCE_DATE_EPOCH is" in r.output and "Traceback" not in r.output, r.output  # an input error
        assert isinstance(r.exception, SystemExit)  # a message, not a traceback


def test_row_counts_agree_across_csv_parquet_sqlite(built):
    pkg, out = built
    con = sqlite3.connect(out / "unsc-record.sqlite")
    for t in pkg.contract.tables.values():
        n = len(pkg.rows(t.name))
        assert pq.read_metadata(out / "parquet" / f"{t.name}.parquet").num_rows == n, t.name
        assert con.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0] == n, t.name


def test_sqlite_has_keys_indexes_and_types(built):
    pkg, out = built
    con = sqlite3.connect(out / "unsc-record.sqlite")
    fks = {(r[2], r[3]) for r in con.execute("PRAGMA foreign_key_list('votes')")}
    assert fks == {("drafts", "draft_id"), ("states", "state_id"), ("sources", "source_id")}
    assert [r[1] for r in con.execute("PRAGMA table_info('votes')") if r[5]] == ["draft_id", "state_id"]
    indexed = {r[2] for name in [r[1] for r in con.execute("PRAGMA index_list('votes')")] for r in con.execute(f"PRAGMA index_info('{name}')")}
    assert {"draft_id", "state_id", "source_id"} <= indexed
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("SELECT typeof(meeting_number), typeof(meeting_date) FROM meetings LIMIT 1").fetchone() == ("integer", "text")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("INSERT INTO votes VALUES ('S/2023/773', 'USA', 'maybe', 'recorded', 'SC/15462')")


def _as_text(value, type_: str) -> str:
    if value is None:
        return ""
    if type_ == "date":
        return value.isoformat()
    if type_ == "boolean":
        return "true" if value else "false"
    return str(value)


def test_csv_parquet_csv_round_trip(built):
    pkg, out = built
    for t in pkg.contract.tables.values():
        table = pq.read_table(out / "parquet" / f"{t.name}.parquet")
        assert table.schema.names == t.field_names
        types = {f.name: f.type for f in t.fields}
        for f in t.fields:
            want = "dictionary<values=string, indices=int32, ordered=0>" if f.enum else {"date": "date32[day]", "integer": "int64", "string": "string"}[f.type]
            assert str(table.schema.field(f.name).type) == want, (t.name, f.name)
        rows = [{k: _as_text(v, types[k]) for k, v in r.items()} for r in table.to_pylist()]
        assert canonical.render(t, rows) == pkg.path(t.name).read_text(encoding="utf-8"), t.name


def test_built_package_validates_with_frictionless(built):
    import frictionless

    pkg, out = built
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["version"] == "0.1.0" and desc["licenses"][0]["name"] == "CC-BY-4.0"
    for res in desc["resources"]:
        data = (out / res["path"]).read_bytes()
        assert res["bytes"] == len(data) and res["hash"].startswith("sha256:")
        assert (out / res["schema"]).is_file()
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


def test_codebook_lists_every_field_and_meaning(built):
    from unsc.publish.codebook import field_names_in

    pkg, out = built
    text = (out / "codebook.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    for t in pkg.contract.tables.values():
        section = next(s for s in sections if s.split("\n", 1)[0].strip().strip("`").startswith(t.name) or t.name in s.split("\n", 1)[0])
        assert field_names_in(section.replace("\n####", "\n###")) == t.field_names
    assert "Against (a permanent member" in text


def test_build_refuses_invalid_data_and_writes_nothing(pkg, tmp_path):
    pkg.update("votes", {"draft_id": "S/2023/773", "state_id": "USA"}, vote="maybe")
    r = CliRunner().invoke(main, ["release", "build", "--root", str(pkg.root), "--out", str(tmp_path / "dist")])
    assert r.exit_code == 1
    assert "refusing to build" in r.output
    assert not (tmp_path / "dist").exists()


# --------------------------------------------------------------------------- bump and versions


def test_bump_moves_unreleased_and_versions_agree(pkg):
    r = run("release", "bump", "minor", "--date", "2026-12-01", "--root", pkg.root)
    assert r.exit_code == 0, r.output
    assert versions(pkg.root) == ("0.2.0", "0.2.0", "0.2.0")
    log = (pkg.root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]\n\n## [0.2.0] - 2026-12-01\n\n- First public release of the fixture.\n" in log
    cff = yaml.safe_load((pkg.root / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == "0.2.0" and cff["date-released"] == "2026-12-01"
    # the rest of datapackage.json is untouched
    before = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    after = json.loads((pkg.root / "datapackage.json").read_text(encoding="utf-8"))
    assert {**before, "version": "0.2.0"} == after
    # nothing new under Unreleased: refuse, and change nothing
    snapshot = files(pkg.root)
    r = CliRunner().invoke(main, ["release", "bump", "patch", "--root", str(pkg.root)])
    assert r.exit_code == 1 and "nothing under" in r.output
    assert files(pkg.root) == snapshot
    (pkg.root / "CHANGELOG.md").write_text(log.replace("## [Unreleased]\n", "## [Unreleased]\n\n- Fixed a vote.\n"), encoding="utf-8")
    assert run("release", "bump", "patch", "--date", "2026-12-02", "--root", pkg.root).exit_code == 0
    assert versions(pkg.root) == ("0.2.1", "0.2.1", "0.2.1")
    assert run("release", "bump", "major", "--date", "2026-12-03", "--root", pkg.root).exit_code == 1  # empty again


def test_bump_changelog_keeps_compare_links():
    from datetime import date

    from unsc.publish.release import bump_changelog

    text = ("# Changelog\n\n## [Unreleased]\n\n### Fixed\n\n- A vote.\n\n## [0.1.0] - 2026-11-28\n\n- First.\n\n"
            "[Unreleased]: https://github.com/o/r/compare/v0.1.0...HEAD\n[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0\n")
    out = bump_changelog(text, "0.1.0", "0.1.1", date(2026, 12, 2))
    assert out == ("# Changelog\n\n## [Unreleased]\n\n## [0.1.1] - 2026-12-02\n\n### Fixed\n\n- A vote.\n\n## [0.1.0] - 2026-11-28\n\n- First.\n\n"
                   "[Unreleased]: https://github.com/o/r/compare/v0.1.1...HEAD\n[0.1.1]: https://github.com/o/r/compare/v0.1.0...v0.1.1\n"
                   "[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0\n")
    assert changelog_version(out) == "0.1.1"


def test_real_repository_versions_agree():
    dp, cff, log = versions(ROOT)
    assert dp == cff, f"datapackage.json says {dp}, CITATION.cff says {cff}"
    if not (ROOT / "CHANGELOG.md").exists():
        pytest.skip("CHANGELOG.md is absent at the repository root")
    assert log == dp, f"datapackage.json says {dp}, CHANGELOG.md's newest release heading is {log}"


@pytest.mark.parametrize("which", ["repo", "bumped"])
def test_citation_cff_validates_against_cff_schema(which, pkg):
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("cffconvert")
    from importlib.resources import files as resource_files

    schema = json.loads((resource_files("cffconvert") / "schemas/1.2.0/schema.json").read_text(encoding="utf-8"))
    if which == "bumped":
        assert run("release", "bump", "patch", "--date", "2026-12-01", "--root", pkg.root).exit_code == 0
    path = ROOT / "CITATION.cff" if which == "repo" else pkg.root / "CITATION.cff"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["type"] == "dataset" and data["license"] == "CC-BY-4.0"
    assert data["authors"] == [{"name": "UNSC Record contributors"}]


# --------------------------------------------------------------------------- diff


def _change(pkg, commit=None):
    """Known edits: sources +1; meetings 1 topic changed; drafts 1 row, 2 fields; votes 1 changed; sponsors +1 -1.

    In a git repository *commit* is called before the bump, which refuses uncommitted changes."""
    pkg.write("sources", pkg.rows("sources") + [{"source_id": "S/PV.9442", "source_kind": "meeting_record", "source_symbol": "S/PV.9442", "source_title": "Meeting record"}])
    pkg.update("meetings", {"meeting_id": "S/PV.9444"}, topic="Non-proliferation")
    pkg.update("drafts", {"draft_id": "S/2023/773"}, yes="13", abstain="1")
    pkg.update("votes", {"draft_id": "S/2023/773", "state_id": "GBR"}, vote="yes")
    pkg.write("sponsors", [{"draft_id": "S/2023/773", "state_id": "FRA", "role": "sponsor", "source_id": "SC/15462"}])
    log = (pkg.root / "CHANGELOG.md").read_text(encoding="utf-8")
    (pkg.root / "CHANGELOG.md").write_text(log.replace("## [Unreleased]\n", "## [Unreleased]\n\n- Corrected a vote.\n", 1), encoding="utf-8")
    if commit:
        commit()
    assert run("release", "bump", "patch", "--date", "2026-12-02", "--root", pkg.root).exit_code == 0


EXPECTED = {"sources": (1, 0, 0), "states": (0, 0, 0), "memberships": (0, 0, 0), "situations": (0, 0, 0), "meetings": (0, 0, 1), "drafts": (0, 0, 1),
            "votes": (0, 0, 1), "sponsors": (1, 1, 0), "positions": (0, 0, 0), "position_gaps": (0, 0, 0), "exceptions": (0, 0, 0)}


def _check(result):
    counts = {n: (t["counts"]["added"], t["counts"]["removed"], t["counts"]["changed"]) for n, t in result["tables"].items()}
    assert counts == EXPECTED
    assert (result["old"]["version"], result["new"]["version"]) == ("0.1.0", "0.1.1")
    vote = result["tables"]["votes"]["changed"][0]
    assert vote == {"key": {"draft_id": "S/2023/773", "state_id": "GBR"}, "changes": {"vote": {"old": "abstain", "new": "yes"}}}
    assert result["tables"]["drafts"]["changed"][0]["changes"] == {"yes": {"old": "12", "new": "13"}, "abstain": {"old": "2", "new": "1"}}
    assert result["tables"]["meetings"]["changed"][0]["changes"]["topic"] == {"old": "Other business", "new": "Non-proliferation"}
    assert result["tables"]["sponsors"]["removed"][0]["state_id"] == "BRA"
    assert result["tables"]["sponsors"]["added"][0]["state_id"] == "FRA"
    assert result["tables"]["votes"]["counts"]["unchanged"] == 29


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory):
    """Releases 0.1.0 and 0.1.1 of one mini package, with the known edits between them (the tests only read them)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        pkg = _release_ready_mini(tmp_path_factory)
        dist = tmp_path_factory.mktemp("dist")
        old = build(pkg.root, dist)
        _change(pkg)
        new = build(pkg.root, dist)
        return old, new


def test_diff_json_between_release_zips_and_folders(two_releases):
    old, new = two_releases
    for a, b in ((f"{old}.zip", f"{new}.zip"), (old, new), (old, f"{new}.zip")):
        r = run("diff", a, b, "--format", "json")
        assert r.exit_code == 0, r.output
        _check(json.loads(r.output))


def test_diff_markdown(two_releases):
    old, new = two_releases
    r = run("diff", f"{old}.zip", f"{new}.zip")
    assert r.exit_code == 0, r.output
    md = r.output
    assert md.startswith("### Data changes: 0.1.0 → 0.1.1\n")
    assert "| `votes` | 0 | 0 | 1 |" in md and "| `sponsors` | 1 | 1 | 0 |" in md
    assert "`states`" not in md  # unchanged tables are left out
    assert "- `S/2023/773` · `GBR`: vote `abstain` → `yes`" in md
    assert "Removed (1):\n\n- `S/2023/773` · `BRA`" in md


def test_diff_against_git_ref(pkg):
    git = ["git", "-C", str(pkg.root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "fixture"], check=True)

    def commit():
        subprocess.run(git + ["commit", "-qam", "edits"], check=True)

    _change(pkg, commit)
    r = run("diff", "HEAD~1", pkg.root, "--format", "json", "--root", pkg.root)
    assert r.exit_code == 0, r.output
    _check(json.loads(r.output))
    r = CliRunner().invoke(main, ["diff", "no-such-ref", str(pkg.root), "--root", str(pkg.root)])
    assert r.exit_code == 2 and "not a release folder" in r.output


def test_diff_of_identical_versions(pkg):
    r = run("diff", pkg.root, pkg.root)
    assert r.exit_code == 0 and "No change to the data." in r.output


# --------------------------------------------------------------------------- unsc.load()


def _check_dtypes(tables, contract):
    votes, meetings = tables["votes"], tables["meetings"]
    assert isinstance(votes["vote"].dtype, pd.CategoricalDtype)
    assert list(votes["vote"].cat.categories) == contract.tables["votes"].field("vote").enum
    assert str(meetings["meeting_number"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(meetings["meeting_date"])
    assert meetings["meeting_date"].min() == pd.Timestamp("2023-10-18")
    assert str(tables["states"]["state_name"].dtype) == "string"
    assert str(tables["states"]["cow_code"].dtype) == "Int64"


def test_load_mini_package(pkg, monkeypatch):
    tables = unsc.load(pkg.root)
    assert set(tables) == set(pkg.contract.tables) | {"drafts_overview", "votes_detail"}
    assert set(unsc.load(pkg.root, views=False)) == set(pkg.contract.tables)
    overview = tables["drafts_overview"].set_index("draft_id")
    assert overview.loc["S/2023/773", "p5_us"] == "no" and overview.loc["S/2023/773", "members_yes"] == 12
    # the links to the documents, by the rule the site's pages use
    from unsc.publish.links import LINK_COLUMNS, official_links

    vetoed = overview.loc["S/2023/773"]
    assert vetoed["draft_url"] == "https://undocs.org/en/S/2023/773" and pd.isna(vetoed["resolution_url"])
    assert vetoed["meeting_record_url"] == "https://undocs.org/en/S/PV.9442"
    adopted = overview[overview["resolution"].notna()].iloc[0]
    number = int(adopted["resolution"].split("/")[2].split(" ")[0])
    assert adopted["resolution_url"] == f"https://undocs.org/en/S/RES/{number}({adopted['decision_date'].year})"
    assert pd.isna(adopted["draft_url"])  # keyed by the resolution's symbol: no draft symbol, no draft link
    meetings = tables["meetings"].set_index("meeting_id")
    for did, row in overview.iterrows():
        m = meetings.loc[row["meeting_id"]] if row["meeting_id"] in meetings.index else None
        site = official_links(did, tables["drafts"].set_index("draft_id").loc[did, "resolution_number"], row["decision_date"].year,
                              None if m is None else m["meeting_number"], None if m is None else m["press_release"],
                              draft_symbol=row["draft_symbol"])
        assert [u for _, u in site] == list(dict.fromkeys(row[c] for c in LINK_COLUMNS if pd.notna(row[c]))), did
    _check_dtypes(tables, pkg.contract)
    assert len(tables["votes"]) == 30
    monkeypatch.chdir(pkg.root / "data")  # None: found from the current folder
    assert list(unsc.load(tables=["votes"])) == ["votes"]
    with pytest.raises(KeyError, match="no table nope"):
        unsc.load(pkg.root, tables=["nope"])


def test_views_are_left_out_with_a_warning_for_a_package_with_the_former_names(pkg):
    """An older release (columns under their names before 1.0.0) loads; the views it cannot feed are left out and
    said so, instead of a KeyError."""
    from unsc.publish.views import add_views

    tables = unsc.load(pkg.root, views=False)
    old = {n: df.rename(columns={v: k for k, v in pkg.contract.tables[n].former_names.items()}) for n, df in tables.items()}
    with pytest.warns(UserWarning) as caught:
        out = add_views(old)
    said = sorted(str(w.message) for w in caught)
    assert len(said) == 2 and said[0].startswith("view drafts_overview left out: this package has no drafts.decision_date")
    assert said[1].startswith("view votes_detail left out: this package has no drafts.decision_date, drafts.draft_kind")
    assert set(out) == set(tables)
    assert set(add_views(tables)) == set(tables) | {"drafts_overview", "votes_detail"}


def test_load_release_zip_and_version(pkg, tmp_path, monkeypatch):
    out = build(pkg.root, pkg.root / "dist")
    from_zip = unsc.load(f"{out}.zip")
    _check_dtypes(from_zip, pkg.contract)
    from_repo = unsc.load(pkg.root)
    for name in from_repo:
        pd.testing.assert_frame_equal(from_zip[name], from_repo[name])
    monkeypatch.chdir(pkg.root)
    assert len(unsc.load("0.1.0", tables="votes")["votes"]) == 30
    with pytest.raises(FileNotFoundError, match="release 9.9.9 not found"):
        unsc.load("9.9.9")


def test_load_outside_a_package_explains(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="Pass unsc.load"):
        unsc.load()



def test_release_opens_in_datasette_and_duckdb(built):
    """What the README promises readers: the SQLite file serves in datasette, the Parquet files query in DuckDB."""
    import asyncio

    import duckdb
    from datasette.app import Datasette

    pkg, out = built
    parquet = out / "parquet" / "votes.parquet"
    n = duckdb.connect().execute(f"select count(*) from read_parquet('{parquet}') where vote = 'no'").fetchall()[0][0]
    assert n == sum(1 for v in pkg.rows("votes") if v["vote"] == "no")

    async def query():
        ds = Datasette([str(out / "unsc-record.sqlite")])
        db = ds.get_database()
        tables = await db.table_names()
        rows = await db.execute("select count(*) from drafts")
        return tables, rows.first()[0]

    tables, drafts = asyncio.run(query())
    assert {"drafts", "votes", "states"} <= set(tables)
    assert drafts == len(pkg.rows("drafts"))


# --------------------------------------------------------------------------- the zip as strangers open it


def _clean_run(args, cwd):
    """Run a tool from this environment's bin/ in an empty folder, as a stranger who only has the zip would."""
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def test_zip_validates_and_loads_in_frictionless_as_given(built, tmp_path):
    import sys

    pkg, out = built
    zip_path = Path(f"{out}.zip")
    clean = tmp_path / "clean"
    clean.mkdir()
    bin_ = Path(sys.executable).parent
    r = _clean_run([str(bin_ / "frictionless"), "validate", "--json", str(zip_path)], clean)
    report = json.loads(r.stdout)
    assert r.returncode == 0 and report["valid"], r.stdout[-2000:] + r.stderr[-2000:]
    assert sorted(t["name"] for t in report["tasks"]) == sorted(pkg.contract.tables)
    code = ("import sys; from frictionless import Package; p = Package(sys.argv[1]); "
            "print(p.name, p.version, len(p.resources), len(p.get_resource('votes').read_rows()))")
    r = _clean_run([sys.executable, "-I", "-c", code, str(zip_path)], clean)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["unsc-record", "0.1.0", str(len(pkg.contract.tables)), str(len(pkg.rows("votes")))]
    assert list(clean.iterdir()) == []  # nothing written beside the user
    # the hashes are checked: a still-valid edit of the same size in one CSV makes the zip invalid
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(zip_path) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "data/drafts.csv":
                assert b"pauses in Gaza" in data
                data = data.replace(b"pauses in Gaza", b"pauses in GAZA")
            dst.writestr(info, data)
    r = _clean_run([str(bin_ / "frictionless"), "validate", "--json", str(bad)], clean)
    report = json.loads(r.stdout)
    assert r.returncode == 1 and not report["valid"]
    errors = {(t["name"], e["type"]) for t in report["tasks"] for e in t["errors"]}
    assert errors == {("drafts", "hash-count")}


def test_sha256sums_checks_the_zip(pkg, tmp_path):
    dist = tmp_path / "dist"
    out = build(pkg.root, dist)
    assert (dist / "SHA256SUMS").read_text() == f"{canonical_sha(Path(f'{out}.zip'))}  {out.name}.zip\n"
    assert (dist / "SHA256SUMS").stat().st_mode & 0o777 == 0o644
    r = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout == f"{out.name}.zip: OK\n"
    with open(f"{out}.zip", "ab") as fh:
        fh.write(b"\0")
    assert subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, capture_output=True).returncode == 1


def canonical_sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_file_in_the_release_is_described_with_bytes_and_hash(built):
    pkg, out = built
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"]: r for r in desc["resources"]} | {f["path"]: f for f in desc["files"]}
    on_disk = files(out)
    assert set(described) == set(on_disk) - {"datapackage.json"}
    for path, entry in described.items():
        assert entry["bytes"] == len(on_disk[path]) and entry["hash"] == "sha256:" + canonical_sha(out / path), path
    kinds = {f["path"]: f["mediatype"] for f in desc["files"]}
    assert kinds["unsc-record.sqlite"] == "application/vnd.sqlite3" and kinds["parquet/votes.parquet"] == "application/vnd.apache.parquet"
    assert desc["id"] == "https://github.com/unsc-record/unsc-record/releases/tag/v0.1.0"
    assert desc["build"] == {"commit": None, "dirty": False, "doi": None}  # not a git checkout


# --------------------------------------------------------------------------- typed Parquet, SQLite, DuckDB, datasette


def test_parquet_is_typed_and_carries_its_table_schema(built):
    import pyarrow as pa

    pkg, out = built
    for t in pkg.contract.tables.values():
        f = pq.ParquetFile(out / "parquet" / f"{t.name}.parquet")
        schema = f.schema_arrow
        meta = schema.metadata
        assert json.loads(meta[b"table_schema"]) == json.loads((pkg.root / t.schema_path).read_text(encoding="utf-8")), t.name
        res = json.loads(meta[b"resource"])
        assert (res["name"], res["description"], res["license"]["name"]) == (t.name, t.description, "CC-BY-4.0")
        for fld in t.fields:
            a = schema.field(fld.name)
            if fld.description:
                assert a.metadata[b"description"].decode() == fld.description
            assert a.nullable == (not fld.required)
            if fld.enum:
                assert pa.types.is_dictionary(a.type), (t.name, fld.name)
    votes = pd.read_parquet(out / "parquet" / "votes.parquet")
    assert list(votes["vote"].cat.categories) == pkg.contract.tables["votes"].field("vote").enum
    col = pq.ParquetFile(out / "parquet" / "votes.parquet").metadata.row_group(0).column(2)
    assert "RLE_DICTIONARY" in col.encodings or "PLAIN_DICTIONARY" in col.encodings
    cow = pq.read_table(out / "parquet" / "states.parquet").column("cow_code")
    assert cow.type == pa.int64() and cow.null_count == len(pkg.rows("states"))  # nullable integers stay nulls


def _offline_duckdb(tmp_path, connect=None):
    import duckdb

    con = (connect or duckdb.connect)(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False,
                                 "extension_directory": str(tmp_path / "no-extensions")})
    return con


def test_duckdb_reads_parquet_with_enums_and_sqlite_offline(built, tmp_path, monkeypatch):
    """The README's DuckDB lines, with extension downloads switched off: Parquet natively, the ENUM views from
    duckdb.sql, and the SQLite file through Python's sqlite3."""
    pkg, out = built
    monkeypatch.chdir(out)
    con = _offline_duckdb(tmp_path)
    n = con.execute("SELECT count(*) FROM 'parquet/votes.parquet' WHERE vote = 'no'").fetchone()[0]
    assert n == sum(1 for v in pkg.rows("votes") if v["vote"] == "no")
    con.execute((out / "duckdb.sql").read_text(encoding="utf-8"))
    types = {r[0]: r[1] for r in con.execute("DESCRIBE votes").fetchall()}
    assert types["vote"].startswith("ENUM('yes', 'no', 'abstain'") and types["state_id"] == "VARCHAR"
    meetings = {r[0]: r[1] for r in con.execute("DESCRIBE meetings").fetchall()}
    assert meetings["meeting_date"] == "DATE" and meetings["meeting_number"] == "BIGINT"
    assert con.execute("SELECT count(*) FROM votes").fetchone()[0] == len(pkg.rows("votes"))
    with pytest.raises(Exception):
        con.execute(f"ATTACH '{out / 'unsc-record.sqlite'}' AS s (TYPE sqlite)")  # the extension is not fetched
    from datetime import date

    sq = sqlite3.connect(out / "unsc-record.sqlite", detect_types=sqlite3.PARSE_DECLTYPES)
    drafts = pd.read_sql("SELECT * FROM drafts", sq)
    assert isinstance(drafts["decision_date"].iloc[0], date)
    got = dict(con.execute("SELECT outcome, count(*) FROM drafts GROUP BY outcome").fetchall())
    want = dict(drafts.groupby("outcome").size())
    assert got == want and sum(got.values()) == len(pkg.rows("drafts"))


def test_datasette_metadata_describes_every_table_and_column(built):
    import asyncio

    from datasette.app import Datasette

    pkg, out = built
    meta = json.loads((out / "datasette-metadata.json").read_text(encoding="utf-8"))
    assert meta["license"] == "CC-BY-4.0" and meta["license_url"].startswith("https://creativecommons.org/")
    assert meta["title"] == pkg.contract.descriptor["title"] and meta["source"] and meta["source_url"].startswith("https://")
    tables = meta["databases"]["unsc-record"]["tables"]
    from unsc.publish.views import VIEW_COLUMNS

    assert set(tables) == set(pkg.contract.tables) | set(VIEW_COLUMNS)
    assert list(tables["drafts_overview"]["columns"]) == [c for c, _ in VIEW_COLUMNS["drafts_overview"]]
    assert tables["drafts_overview"]["columns"]["decision_date"] == pkg.contract.tables["drafts"].field("decision_date").description
    for t in pkg.contract.tables.values():
        assert tables[t.name]["description"] == t.description
        assert tables[t.name]["columns"] == {f.name: f.description for f in t.fields if f.description}

    async def served():
        ds = Datasette([str(out / "unsc-record.sqlite")], metadata=meta)
        await ds.invoke_startup()
        page = await ds.client.get("/unsc-record/votes")
        return page.status_code, page.text

    status, html = asyncio.run(served())
    assert status == 200 and tables["votes"]["description"][:40] in html.replace("&#39;", "'")


# --------------------------------------------------------------------------- archive-ready: citation, DOI, commit


def _git(root: Path, *args):
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


def test_release_citation_and_doi(pkg, tmp_path, monkeypatch):
    from unsc.publish.release import DOI_ENV

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: the release's date, not the repository's
    out = build(pkg.root, tmp_path / "a")
    cff = yaml.safe_load((out / "CITATION.cff").read_text(encoding="utf-8"))
    assert (cff["version"], cff["date-released"]) == ("0.1.0", "2026-01-01") and "doi" not in cff
    assert yaml.safe_load((pkg.root / "CITATION.cff").read_text(encoding="utf-8"))["date-released"] != "2026-01-01"  # the repository's is untouched
    jsonschema = pytest.importorskip("jsonschema")
    from importlib.resources import files as resource_files

    schema = json.loads((resource_files("cffconvert") / "schemas/1.2.0/schema.json").read_text(encoding="utf-8"))
    monkeypatch.setenv(DOI_ENV, "https://doi.org/10.5281/zenodo.1234567")
    out = build(pkg.root, tmp_path / "b")
    cff = yaml.safe_load((out / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(cff, schema)
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert cff["doi"] == "10.5281/zenodo.1234567" and desc["id"] == "https://doi.org/10.5281/zenodo.1234567"
    assert desc["build"]["doi"] == "10.5281/zenodo.1234567" and "doi: 10.5281/zenodo.1234567" in (out / "BUILD-INFO").read_text()
    monkeypatch.setenv(DOI_ENV, "zenodo-1234567")
    r = CliRunner().invoke(main, ["release", "build", "--root", str(pkg.root), "--out", str(tmp_path / "c")])
    assert r.exit_code == 1 and "not a DOI" in r.output and not (tmp_path / "c" / "unsc-record-0.1.0.zip").exists()


def test_zenodo_metadata_agrees_with_the_package():
    z = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    dp = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert z["title"] == dp["title"] == cff["title"]
    assert z["upload_type"] == "dataset" and z["license"] == dp["licenses"][0]["name"].lower()
    assert z["keywords"] == dp["keywords"] == cff["keywords"]
    assert [c["name"] for c in z["creators"]] == [a["name"] for a in cff["authors"]]
    assert z["related_identifiers"][0]["identifier"] == dp["homepage"]


def test_release_records_its_commit_and_bump_refuses_a_dirty_tree(pkg, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("dist")  # outside the repository (pkg.root)
    _git(pkg.root, "init", "-q")
    _git(pkg.root, "add", "-A")
    _git(pkg.root, "commit", "-qm", "fixture")
    head = _git(pkg.root, "rev-parse", "HEAD")
    out = build(pkg.root, tmp_path / "a")
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["build"] == {"commit": head, "dirty": False, "doi": None}
    info = (out / "BUILD-INFO").read_text(encoding="utf-8")
    assert f"commit: {head}\n" in info and "uncommitted-changes: no\n" in info
    # an uncommitted edit: the build says so; the bump refuses and changes nothing
    pkg.update("drafts", {"draft_id": "S/2023/773"}, draft_title="Humanitarian pauses")
    out = build(pkg.root, tmp_path / "b")
    assert json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["build"]["dirty"] is True
    assert "uncommitted-changes: yes" in (out / "BUILD-INFO").read_text(encoding="utf-8")
    snapshot = files(pkg.root)
    r = CliRunner().invoke(main, ["release", "bump", "patch", "--root", str(pkg.root)])
    assert r.exit_code == 1 and "uncommitted changes" in r.output
    assert files(pkg.root) == snapshot
    _git(pkg.root, "commit", "-qam", "title")
    assert run("release", "bump", "patch", "--date", "2026-12-02", "--root", pkg.root).exit_code == 0
    assert versions(pkg.root) == ("0.1.1", "0.1.1", "0.1.1")


# --------------------------------------------------------------------------- unsc.load() on a released folder and zip


def test_load_reads_a_release_zip_and_folder_alone(pkg, tmp_path_factory):
    """A downloaded release, away from any repository: the zip as given and the folder it unpacks to."""
    tmp_path = tmp_path_factory.mktemp("away")  # outside pkg.root, which is deleted below
    out = build(pkg.root, tmp_path / "dist")
    elsewhere = tmp_path / "download"
    elsewhere.mkdir()
    zip_path = Path(shutil.copy(f"{out}.zip", elsewhere))
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(elsewhere / "unpacked")
    shutil.rmtree(pkg.root)  # no repository to fall back on
    from_zip, from_folder = unsc.load(zip_path), unsc.load(elsewhere / "unpacked")
    assert set(from_zip) == set(from_folder) == set(pkg.contract.tables) | {"drafts_overview", "votes_detail"}
    _check_dtypes(from_zip, pkg.contract)
    for name in from_zip:
        pd.testing.assert_frame_equal(from_zip[name], from_folder[name])
    assert len(from_zip["votes"]) == 30


# --------------------------------------------------------------------------- guard against coverage loss


def _declare(root: Path, *rows: str) -> None:
    path = root / "curation" / "declared_losses.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text("table,key,reason\n" + "".join(r + "\n" for r in rows), encoding="utf-8")


@pytest.fixture
def base_and_head(pkg, tmp_path_factory):
    """BASE: a copy of the mini package as it stands; HEAD: the package itself, to be changed by the test."""
    from unsc.validate.rules import completeness
    from unsc.contract.frames import read_tables

    frames = read_tables(pkg.contract)
    assert completeness(frames).tolist() == ["complete", "complete"]  # both drafts' votes are complete
    base = tmp_path_factory.mktemp("base") / "pkg"
    shutil.copytree(pkg.root, base)
    return base, pkg


def guard(base, head, *extra, env=None):
    return CliRunner().invoke(main, ["release", "guard", str(base), str(head), *extra], env=env or {"UNSC_PR_LABELS": ""})


def test_guard_fails_on_a_complete_vote_made_partial_unless_declared(base_and_head):
    base, pkg = base_and_head
    r = guard(base, pkg.root)
    assert r.exit_code == 0 and "None: no complete vote became partial" in r.output
    pkg.write("votes", [v for v in pkg.rows("votes") if (v["draft_id"], v["state_id"]) != ("S/2023/773", "GBR")])
    r = guard(base, pkg.root)
    assert r.exit_code == 1, r.output
    assert "| `votes` | `S/2023/773` | per-member votes were complete, now partial | **no** |" in r.output
    assert "| overall | 2 → **1** (-1) | 0 → **1** (+1) | 0 |" in r.output  # the coverage change
    assert "| votes | 30 | 30 → **29** (-1) |" in r.output
    # declared in this change: passes, with the reason shown
    _declare(pkg.root, "votes,S/2023/773,The United Kingdom's vote is disputed; see the meeting record.")
    r = guard(base, pkg.root)
    assert r.exit_code == 0, r.output
    assert "| `votes` | `S/2023/773` | per-member votes were complete, now partial | The United Kingdom's vote is disputed" in r.output
    # a declaration already in the base is an old one: it does not excuse a new loss
    _declare(base, "votes,S/2023/773,\"An earlier, settled change.\"")
    assert guard(base, pkg.root).exit_code == 1
    # the pull-request label declares every loss
    r = guard(base, pkg.root, env={"UNSC_PR_LABELS": "data,declared-loss"})
    assert r.exit_code == 0 and "labelled `declared-loss`" in r.output
    assert guard(base, pkg.root, "--labels", "data").exit_code == 1


def test_guard_fails_on_a_table_that_shrinks_sharply_unless_declared(base_and_head):
    base, pkg = base_and_head
    pkg.write("position_gaps", pkg.rows("position_gaps")[:2])  # 4 rows -> 2
    r = guard(base, pkg.root)
    assert r.exit_code == 1 and "| `position_gaps` | `*` | shrank from 4 to 2 rows (−50.0%, more than 5%) | **no** |" in r.output
    assert guard(base, pkg.root, "--max-shrink", "0.6").exit_code == 0
    _declare(pkg.root, "position_gaps,*,Two gaps were filled by positions found in the meeting record.")
    assert guard(base, pkg.root).exit_code == 0
    _declare(pkg.root, "position_gaps,*,")  # a declaration without a reason is refused, not accepted
    r = guard(base, pkg.root)
    assert r.exit_code == 2 and "declared_losses.csv:2" in r.output and "needs a table, a key (or *) and a reason" in r.output


def test_guard_against_a_git_ref(base_and_head):
    _, pkg = base_and_head
    _git(pkg.root, "init", "-q")
    _git(pkg.root, "add", "-A")
    _git(pkg.root, "commit", "-qm", "fixture")
    pkg.write("votes", [v for v in pkg.rows("votes") if v["draft_id"] != "S/RES/2700 (2023)"])
    r = CliRunner().invoke(main, ["release", "guard", "HEAD", str(pkg.root), "--root", str(pkg.root)], env={"UNSC_PR_LABELS": ""})
    assert r.exit_code == 1
    assert "`votes` | `*` | shrank from 30 to 15 rows" in r.output
    assert "`votes` | `S/RES/2700 (2023)` | per-member votes were complete, now none" in r.output
    r = CliRunner().invoke(main, ["release", "guard", "no-such-ref", str(pkg.root), "--root", str(pkg.root)])
    assert r.exit_code == 2 and "not a release folder" in r.output


def test_readme_duckdb_example_runs_offline(built, tmp_path, monkeypatch):
    """The README's DuckDB block, as written, in a release folder, with DuckDB unable to fetch an extension."""
    import duckdb

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, re.M | re.S)
    block = next(b for b in blocks if "duckdb.connect()" in b)
    pkg, out = built
    monkeypatch.chdir(out)
    connect = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: _offline_duckdb(tmp_path, connect))
    scope: dict = {}
    exec(compile(block, "README.md", "exec"), scope)
    con = scope["con"]
    assert con.execute("SELECT typeof(vote) FROM votes LIMIT 1").fetchone()[0].startswith("ENUM")


def test_wheel_carries_the_toolkit(pkg, tmp_path):
    """The wheel the release workflow attaches: every module, the templates, the `unsc` entry point; imported
    from the wheel alone, it reads a release zip."""
    import sys

    out = build(pkg.root, tmp_path / "dist")
    project = tmp_path / "project"  # a copy, so that the build leaves nothing in the checkout
    shutil.copytree(ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, project / name)
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "whl"), str(project)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    (wheel,) = (tmp_path / "whl").glob("unsc_record-*-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    modules = {p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src" / "unsc").rglob("*.py")}
    assert modules <= names
    assert any(n.startswith("unsc/contrib/templates/") for n in names)
    entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "unsc = unsc.cli:main" in (tmp_path / "site" / entry).read_text()
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import unsc; assert unsc.__file__.startswith(sys.argv[1]), unsc.__file__; "
            "print(len(unsc.load(sys.argv[2])['votes']))")
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "site"), f"{out}.zip"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "30", r.stderr[-2000:]


def test_guard_does_not_count_a_renamed_draft_as_lost(base_and_head):
    """A dated id given its meeting record (same date, same votes, new id) keeps its complete vote: no loss.
    The same rename with one vote changed is a loss."""
    base, pkg = base_and_head
    old, new = "S/RES/2700 (2023)", "S/2023/780"

    def rename(vote_for_usa="yes"):
        pkg.write("drafts", [{**d, "draft_id": new} if d["draft_id"] == old else d for d in pkg.rows("drafts")])
        pkg.write("votes", [{**v, "draft_id": new, "vote": vote_for_usa if v["state_id"] == "USA" else v["vote"]} if v["draft_id"] in (old, new) else v
                            for v in pkg.rows("votes")])

    rename()
    r = guard(base, pkg.root)
    assert r.exit_code == 0, r.output
    rename("abstain")
    r = guard(base, pkg.root)
    assert r.exit_code == 1 and f"| `votes` | `{old}` | per-member votes were complete, now the draft is gone | **no** |" in r.output


def test_views_give_the_declared_columns_and_the_codebook_documents_them(built):
    """`VIEW_COLUMNS` is the one declaration of the views' columns: the views give exactly those, in order, and the
    release's codebook has a row for each (a computed column with its meaning, a taken one linked to its field)."""
    from unsc.publish.views import VIEW_COLUMNS

    pkg, out = built
    tables = unsc.load(out)
    codebook = (out / "codebook.md").read_text(encoding="utf-8")
    for view, columns in VIEW_COLUMNS.items():
        assert list(tables[view].columns) == [c for c, _ in columns], view
        section = codebook.split(f"{view.replace('_', '&#95;')}</code> {{ #view-")[1].split("\n### ")[0]
        for col, where in columns:
            assert f"| <code>{col.replace('_', '&#95;')}</code> |" in section, (view, col)
            if where in pkg.contract.tables:
                assert f"(#{col})" in section or f"#{col})" in section, (view, col)
