"""`unsc validate --report`: great-expectations suites derived from the schemas, and a self-contained Data Docs site.

GX takes a few seconds to import and run, so the checks share one report per module where they can, and it is
imported by the tests that run it, not at collection (every xdist worker collects every module).
They are not marked slow: `make test` runs them.
"""
from __future__ import annotations

import re
from pathlib import Path

from unsc.contract.frames import read_tables
from unsc.validate.gx_report import build_suites, write_report  # imports great_expectations only when run
from unsc.validate import validate

# anything the browser would fetch: src=, <link href=>, CSS url() and @import; plain <a href> links are not loads
REMOTE_LOAD = re.compile(
    r"""<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|@import\s+(?:url\()?\s*["']?(?:https?:)?//""",
    re.I,
)


def test_mini_report_is_valid_and_self_contained(mini, tmp_path):
    """One GX run (seconds): the report is valid, loads nothing remote, and reuses a folder GX wrote before
    (its stale pages go, files that are not GX's stay)."""
    out = tmp_path / "report"
    (out / "validations" / "stale").mkdir(parents=True)
    (out / "keep.txt").write_text("not ours")
    issues = validate(mini.root, report_dir=out)
    assert issues == []
    assert not (out / "validations" / "stale").exists()
    assert (out / "keep.txt").exists()
    index = out / "index.html"
    assert index.is_file()
    assert "all expectations met" in index.read_text(encoding="utf-8")
    pages = list(out.rglob("*.html")) + list(out.rglob("*.css"))
    assert len(pages) > 10  # index, one validation and one suite page per table
    for page in pages:
        text = page.read_text(encoding="utf-8")
        hit = REMOTE_LOAD.search(text)
        assert hit is None, f"{page.relative_to(out)} loads {text[hit.start():hit.start() + 120]!r}"
        assert "great-expectations-web-assets" not in text, page
    # every local link of the index resolves
    for href in re.findall(r'href="([^"#]+)"', index.read_text(encoding="utf-8")):
        assert (out / href).exists(), href


def test_suites_come_from_the_schemas(mini):
    frames = read_tables(mini.contract)
    suites = {s.name: s for s in build_suites(mini.contract, frames)}
    assert set(mini.contract.tables) <= set(suites)
    for name, t in mini.contract.tables.items():
        kinds = {(sp.cls, sp.field) for sp in suites[name].specs}
        assert ("ExpectTableColumnsToMatchOrderedList", None) in kinds
        for f in t.fields:
            assert (("ExpectColumnValuesToNotBeNull", f.name) in kinds) == f.required, (name, f.name)
            assert (("ExpectColumnValuesToMatchRegex", f.name) in kinds) == bool(f.pattern), (name, f.name)
            if f.enum:
                assert ("ExpectColumnValuesToBeInSet", f.name) in kinds


def test_broken_frames_give_gx_issues(mini, tmp_path):
    frames = read_tables(mini.contract)
    votes = frames["votes"].copy()
    votes.loc[votes.index[0], "state_id"] = "usa"  # pattern ^[A-Z]{3}$
    votes.loc[votes.index[1], "vote"] = "maybe"  # enum
    frames["votes"] = votes
    drafts = frames["drafts"].copy()
    drafts.loc[drafts.index[0], "yes"] = 14  # 14 + 1 + 2 + 0 > 15, and above no schema bound
    frames["drafts"] = drafts
    positions = frames["positions"].copy()
    positions.loc[positions.index[0], "themes"] = ""  # present but empty
    frames["positions"] = positions
    issues = write_report(mini.contract, frames, tmp_path / "report")
    assert issues, "expected gx issues"
    assert all(i.layer == "gx" and i.rule.startswith("gx.") and i.row is None for i in issues)
    found = {(i.file, i.field, i.rule) for i in issues}
    assert ("data/votes.csv", "state_id", "gx.expect_column_values_to_match_regex") in found
    assert ("data/votes.csv", "vote", "gx.expect_column_values_to_be_in_set") in found
    assert ("data/drafts.csv", None, "gx.expect_column_values_to_be_between") in found  # the tally total
    assert ("data/positions.csv", "themes", "gx.expect_column_value_lengths_to_be_between") in found
    regex = next(i for i in issues if i.field == "state_id")
    assert "'usa'" in regex.message
    index = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "failed" in index and "data/votes.csv" in index


def test_non_string_columns_are_checked_as_text(mini):
    """A pattern on a date or integer column is checked against its CSV text, not skipped or crashed on."""
    import dataclasses

    import pandas as pd

    from unsc.validate.gx_report import schema_specs

    t = mini.contract.tables["drafts"]
    date = t.field("decision_date")
    patterned = dataclasses.replace(date, constraints={**date.constraints, "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})
    t2 = dataclasses.replace(t, fields=tuple(patterned if f.name == "decision_date" else f for f in t.fields))
    frame = read_tables(mini.contract, ["drafts"])["drafts"]
    out, specs = schema_specs(t2, frame)
    assert ("ExpectColumnValuesToMatchRegex", "decision_date") in {(s.cls, s.field) for s in specs}
    assert pd.api.types.is_string_dtype(out["decision_date"])
    assert sorted(out["decision_date"]) == ["2023-10-18", "2023-10-19"]
    assert pd.api.types.is_datetime64_any_dtype(frame["decision_date"])  # the caller's frame is untouched
