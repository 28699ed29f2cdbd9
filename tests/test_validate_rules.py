"""Every validation rule: a fixture that breaks it, and a test that sees the rule id, file and row.

The rule cases run in memory: the fixture's rows become typed DataFrames and the rule (or the schema's
cell and key checks) is called directly, which takes milliseconds. A few tests run the whole pipeline
on a package written to disk (`mini`), as `unsc validate` does.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import ROOT, _rows

from unsc.cli import main
from unsc.contract import load_contract
from unsc.contract.frames import typed
from unsc.domain.queries import Tables
from unsc.validate import cells, rules_layer
from unsc.validate.rules import RULES, TEXT_RULES, text_findings
from unsc.validate import validate

CONTRACT = load_contract(ROOT)


def in_memory(table: str | None = None, match: dict | None = None, rows: dict | None = None, **changes) -> tuple[dict, Tables, int | None]:
    """The fixture (or *rows*) as (raw string frames, typed tables, index of the changed row)."""
    rows = rows or _rows()
    at = None
    if table:
        at = next(i for i, r in enumerate(rows[table]) if all(r.get(k) == v for k, v in match.items()))
        rows[table][at] = {**rows[table][at], **changes}
    raw, frames = {}, Tables()
    for name, t in CONTRACT.tables.items():
        unknown = {k for r in rows[name] for k in r} - set(t.field_names)
        assert not unknown, f"{name} has no column {sorted(unknown)}"  # the frame below would drop it silently
        df = pd.DataFrame([[r.get(f) or None for f in t.field_names] for r in rows[name]], columns=t.field_names, dtype=object)
        raw[name] = df
        frames[name] = typed(df, t)
    return raw, frames, at


def findings(rule: str, raw: dict, frames: Tables):
    """(table, row index, field) of every finding of *rule*: a domain rule, a text rule or a schema check."""
    if rule in RULES:
        return [(tb, idx, f) for tb, idx, f, _, _ in RULES[rule].check(frames)]
    if rule in TEXT_RULES:
        out = []
        for name, df in raw.items():
            cols = [f.name for f in CONTRACT.tables[name].fields if f.type == "string"]
            out += [(name, idx, f) for r, idx, f, _, _ in text_findings(name, df, cols) if r == rule]
        return out
    issues = cells.fk_issues(CONTRACT, raw)
    for name, df in raw.items():
        issues += cells.cell_issues(CONTRACT.tables[name], df)[0]
    by_path = {t.path: n for n, t in CONTRACT.tables.items()}
    return [(by_path[i.file], i.row - 2, i.field) for i in issues if i.rule == rule]


def issues_for(pkg):
    return validate(pkg.root)


def find(issues, rule, file=None, row=None):
    hits = [i for i in issues if i.rule == rule and (file is None or i.file == file) and (row is None or i.row == row)]
    assert hits, f"expected {rule} at {file}:{row}; got:\n" + "\n".join(i.line() for i in issues)
    return hits[0]


def test_fixture_is_valid(mini):
    assert issues_for(mini) == []


def test_cli_exit_codes_and_json(mini):
    r = CliRunner().invoke(main, ["validate", str(mini.root), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["valid"] is True
    mini.update("votes", {"draft_id": "S/2023/773", "state_id": "USA"}, vote="maybe")
    r = CliRunner().invoke(main, ["validate", str(mini.root)])
    assert r.exit_code == 1
    assert "data/votes.csv:" in r.output and "schema.enum" in r.stdout
    r = CliRunner().invoke(main, ["validate", "--format", "xml", str(mini.root)])
    assert r.exit_code == 2


DRAFT = {"draft_id": "S/2023/773"}
RES = {"draft_id": "S/RES/2700 (2023)"}

CASES = [
    # (rule, table, match, changes)
    ("schema.type", "drafts", DRAFT, {"yes": "twelve"}),
    ("schema.enum", "votes", {"draft_id": "S/2023/773", "state_id": "USA"}, {"vote": "maybe"}),
    ("schema.foreign-key", "sponsors", {"draft_id": "S/2023/773"}, {"state_id": "ZZZ"}),
    ("schema.pattern", "positions", {"state_id": "USA"}, {"themes": "self_defence vibes"}),
    ("composition.not-sitting", "votes", {"draft_id": "S/2023/773", "state_id": "ALB"}, {"state_id": "AUS"}),
    ("tally.mismatch", "drafts", DRAFT, {"yes": "11"}),
    ("tally.exceeds", "drafts", DRAFT, {"no": "5"}),
    ("outcome.adopted", "drafts", RES, {"yes": "8", "abstain": "7"}),
    ("outcome.vetoed", "drafts", DRAFT, {"yes": "7", "abstain": "7"}),
    ("outcome.not-adopted", "drafts", DRAFT, {"outcome": "not_adopted"}),
    ("outcome.tally", "drafts", DRAFT, {"abstain": ""}),
    ("draft.amends", "drafts", DRAFT, {"amends": "S/RES/2700 (2023)"}),
    ("resolution.consistency", "drafts", RES, {"resolution": "S/RES/2701 (2023)"}),
    ("date.meeting", "drafts", DRAFT, {"decision_date": "2023-10-17"}),
    ("date.range", "meetings", {"meeting_id": "S/PV.9444"}, {"meeting_date": "2099-01-01"}),
    ("votes.derived", "votes", {"draft_id": "S/RES/2700 (2023)", "state_id": "ALB"}, {"vote": "abstain"}),
    ("position.meeting", "positions", {"state_id": "USA"}, {"meeting_id": "S/PV.9444"}),
    ("gap.has-position", "position_gaps", {"state_id": "CHN"}, {"state_id": "USA"}),
    ("gap.evidence", "position_gaps", {"state_id": "CHN"}, {"gap_reason": "did_not_speak", "source_id": "dataset:test"}),
    ("text.whitespace", "drafts", DRAFT, {"draft_title": " Humanitarian pauses"}),
    ("text.control", "drafts", DRAFT, {"draft_title": "Humanitarian\tpauses"}),
    ("text.formula", "drafts", DRAFT, {"draft_title": "=HYPERLINK(\"x\")"}),
    # provenance.* (more cases in tests/test_provenance.py)
    ("provenance.un-host", "sources", {"source_id": "SC/15462"}, {"source_url": "https://www.globalsecurity.org/military/library/news/2023/10/x.htm"}),
    ("provenance.outlet", "sources", {"source_id": "SC/15462"}, {"read_at": "https://nolga1125.blogspot.com/2023/10/x.html", "copy_kind": "reproduction"}),
    ("provenance.address", "sources", {"source_id": "SC/15462"}, {"source_url": "https://press.un.org/en/node?page=190"}),
    ("provenance.copy-kind", "sources", {"source_id": "SC/15462"}, {"read_at": "https://apnews.com/article/x", "copy_kind": "official"}),
]


@pytest.mark.parametrize("rule,table,match,changes", CASES, ids=[c[0] + ":" + c[1] for c in CASES])
def test_rule_is_enforced(rule, table, match, changes):
    raw, frames, _ = in_memory()
    assert not findings(rule, raw, frames), f"{rule} fires on the valid fixture"
    raw, frames, at = in_memory(table, match, **changes)
    hits = findings(rule, raw, frames)
    assert any(tb == table and idx == at for tb, idx, _ in hits), f"{rule} missed {table} row {at}: {hits}"


def test_every_case_has_words(mini):
    """The whole pipeline on one case per layer: the issue names the file and row and says what to do."""
    row = mini.update("drafts", DRAFT, yes="twelve")
    issue = find(issues_for(mini), "schema.type", file="data/drafts.csv", row=row)
    assert "'twelve'" in issue.message and issue.hint
    row = mini.update("votes", {"draft_id": "S/RES/2700 (2023)", "state_id": "ALB"}, vote="abstain")
    issue = find(issues_for(mini), "votes.derived", file="data/votes.csv", row=row)
    assert issue.hint == RULES["votes.derived"].hint


def test_rules_layer_waives_documented_exceptions():
    raw, frames, _ = in_memory("drafts", DRAFT, yes="11")
    assert any(i.rule == "tally.mismatch" for i in rules_layer(CONTRACT, raw, frames))
    frames["exceptions"] = pd.concat([frames["exceptions"], pd.DataFrame(
        {"rule_id": ["tally.mismatch"], "subject": ["S/2023/773"], "exception_reason": ["A recorded discrepancy."], "source_id": ["SC/15462"]})],
        ignore_index=True).astype(frames["exceptions"].dtypes.to_dict())
    assert not any(i.rule == "tally.mismatch" for i in rules_layer(CONTRACT, raw, frames))


def _messages(rule, rows=None, **kw):
    raw, frames, _ = in_memory(rows=rows, **kw)
    return [m for _, _, _, m, _ in RULES[rule].check(frames)]


def test_gap_listed():
    """An expected member (a permanent member, or one that voted against or abstained) with neither a position
    nor a listed gap is named; a member outside the scope's expectations is not."""
    rows = _rows()
    rows["position_gaps"] = [r for r in rows["position_gaps"] if r["state_id"] != "GBR"]
    msgs = _messages("gap.listed", rows)
    assert len(msgs) == 1 and msgs[0].startswith("S/2023/773/GBR: a permanent member")
    for r in rows["votes"]:
        if r["draft_id"] == "S/2023/773" and r["state_id"] == "ALB":
            r["vote"] = "abstain"
    rows["drafts"][0].update(yes="11", abstain="3")
    assert any(m.startswith("S/2023/773/ALB: voted against or abstained") for m in _messages("gap.listed", rows))


def test_council_overlap():
    rows = _rows()
    rows["memberships"].append({"state_id": "ALB", "seat": "elected", "start_date": "1990-01-01", "end_date": "1991-12-31", "source_id": "dataset:test"})
    raw, frames, _ = in_memory(rows=rows)
    hits = list(RULES["council.overlap"].check(frames))
    assert hits and "ALB" in hits[0][3] and hits[0][1] is not None


def test_council_size():
    rows = _rows()
    rows["memberships"] = [r for r in rows["memberships"] if r["state_id"] != "MOZ"]
    msgs = _messages("council.size", rows)
    assert any("9 elected members" in m and "expected 10" in m for m in msgs)


def test_documented_exception_silences_a_rule(mini):
    """The whole pipeline: an exceptions.csv row written to disk waives the finding it names."""
    rows = [r for r in mini.rows("memberships") if r["state_id"] != "MOZ"]
    mini.write("memberships", rows)
    subject = next(i for i in issues_for(mini) if i.rule == "council.size").message
    start, end = subject.split(" from ")[1].split("; ")[0].split(" to ")
    mini.write("exceptions", [{"rule_id": "council.size", "subject": f"elected:{start}/{end}", "exception_reason": "A vacancy.", "source_id": "dataset:test"}])
    assert not [i for i in issues_for(mini) if i.rule == "council.size"]


def test_resolution_order():
    rows = _rows()
    rows["drafts"].append({"draft_id": "S/RES/2699 (2023)", "id_kind": "resolution_symbol", "meeting_id": "S/PV.9444", "decision_date": "2023-10-20",
                           "draft_kind": "draft_resolution", "outcome": "adopted_without_vote", "resolution": "S/RES/2699 (2023)", "resolution_number": "2699",
                           "source_id": "SC/15462"})
    assert _messages("resolution.order", rows)


def test_meeting_order():
    """A meeting dated out of line with the meetings numbered next to it is named (too early or too late), not its
    neighbours; a resumption or a later part may fall later."""
    rows = _rows()
    assert _messages("meeting.order", rows) == []
    rows["meetings"][1]["meeting_date"] = "2023-10-17"  # S/PV.9443 before S/PV.9442
    msgs = _messages("meeting.order", rows)
    assert len(msgs) == 1 and msgs[0].startswith("S/PV.9443 is dated 2023-10-17")
    rows = _rows()
    rows["meetings"][1]["meeting_date"] = "2023-10-25"  # S/PV.9443 after S/PV.9444
    msgs = _messages("meeting.order", rows)
    assert len(msgs) == 1 and msgs[0].startswith("S/PV.9443 is dated 2023-10-25")
    rows = _rows()
    rows["meetings"].append(dict(rows["meetings"][0], meeting_id="S/PV.9442 (Resumption 1)", meeting_date="2023-10-27"))
    assert _messages("meeting.order", rows) == []


def test_primary_key_duplicate():
    rows = _rows()
    rows["sponsors"].append(dict(rows["sponsors"][0], role="sponsor"))
    raw, _, _ = in_memory(rows=rows)
    issues = cells.cell_issues(CONTRACT.tables["sponsors"], raw["sponsors"])[0]
    assert [(i.rule, i.row) for i in issues] == [("schema.primary-key", 3)] and "row 2" in issues[0].message


def test_duplicate_keys_are_reported_not_crashed_on(mini):
    """Rules that look a draft, meeting or source up by its key still run when Frictionless finds the key duplicated."""
    for table in ("drafts", "meetings", "sources"):
        rows = mini.rows(table)
        mini.write(table, rows + [dict(rows[0])])
    issues = issues_for(mini)
    assert {i.file for i in issues if i.rule == "schema.primary-key"} >= {"data/drafts.csv", "data/meetings.csv", "data/sources.csv"}


def test_canonical_form(mini):
    text = mini.path("sponsors").read_text()
    mini.path("sponsors").write_bytes(text.replace("\n", "\r\n").encode())
    find(issues_for(mini), "csv.newline", file="data/sponsors.csv")
    rows = mini.rows("votes")
    mini.write("votes", list(reversed(rows)), canonical_form=False)
    issue = find(issues_for(mini), "csv.order", file="data/votes.csv")
    assert "unsc fmt" in issue.hint
    r = CliRunner().invoke(main, ["fmt", str(mini.root)])
    assert r.exit_code == 0 and "formatted data/votes.csv" in r.output
    assert issues_for(mini) == []


def test_header_problem_is_named(mini):
    p = mini.path("sponsors")
    p.write_text(p.read_text().replace("draft_id,state_id,role", "draft_id,role,state_id", 1))
    find(issues_for(mini), "csv.header", file="data/sponsors.csv", row=1)


def test_every_draft_rule_has_a_case():
    covered = {c[0] for c in CASES} | {"council.size", "council.overlap", "resolution.order", "meeting.order", "gap.listed",
                                       "situation.coded"}  # its case: tests/test_situations.py
    assert set(RULES) <= covered, set(RULES) - covered


def test_pandera_model_is_derived_from_schema(mini):
    import pandas as pd
    import pandera.pandas as pa

    from unsc.contract import load_contract
    from unsc.contract.frames import read_tables
    from unsc.validate.models import models

    contract = load_contract(mini.root)
    frames = read_tables(contract)
    model = models(contract)["votes"]
    assert list(model.columns) == contract.tables["votes"].field_names
    model.validate(frames["votes"])
    bad = frames["votes"].copy()
    bad.loc[0, "vote"] = "maybe"
    with pytest.raises(pa.errors.SchemaErrors) as exc:
        model.validate(bad, lazy=True)
    assert "isin" in exc.value.failure_cases["check"].astype(str).str.cat()
    assert isinstance(frames["drafts"]["yes"].dtype, pd.Int64Dtype)


def test_gap_rules_accept_what_they_should():
    """A silence shown by a press release passes; so does a position left without meeting while its draft has none."""
    rows = _rows()
    rows["position_gaps"] = [dict(r, gap_reason="did_not_speak", source_id="SC/15462") if r["state_id"] == "CHN" else r for r in rows["position_gaps"]]
    rows["drafts"][0]["meeting_id"] = ""
    rows["positions"][0]["meeting_id"] = ""
    raw, frames, _ = in_memory(rows=rows)
    assert rules_layer(CONTRACT, raw, frames) == []


# ---------------------------------------------------------------- messages a person can act on
def test_wrong_date_is_one_root_cause_with_its_consequences():
    """A draft dated before the enlargement: the drafts row is the root; the votes of members that did not sit
    then follow from it, grouped under it in the text report."""
    from unsc.validate.report import as_text, dedupe

    raw, frames, at = in_memory("drafts", DRAFT, decision_date="1965-10-18")
    issues = dedupe(rules_layer(CONTRACT, raw, frames))
    roots = [i for i in issues if not i.cause]
    followers = [i for i in issues if i.cause]
    assert roots and all(i.file == "data/drafts.csv" for i in roots), [i.line() for i in roots]
    assert followers and all(i.file == "data/votes.csv" and i.rule == "composition.not-sitting" for i in followers)
    text = as_text(issues, ["data/drafts.csv"])
    assert f"and {len(followers)} problems that follow from it: data/votes.csv rows" in text  # noqa: E501
    assert text.count("composition.not-sitting") == 1  # named once, in the group line


def test_dedupe_does_not_depend_on_layer_order():
    import random

    from unsc.validate.report import Issue, dedupe

    issues = [Issue("data/votes.csv", 2, "vote", "frictionless.constraint-error", "enum", "", "frictionless"),
              Issue("data/votes.csv", 2, "vote", "schema.enum", "'maybe' is not an allowed value", "use one of", "schema"),
              Issue("data/votes.csv", 2, "vote", "csv.missing-cell", "no cell", "", "structure"),
              Issue("data/votes.csv", 2, "vote", "tally.mismatch", "a rule", "", "rules"),
              Issue("data/votes.csv", 3, "vote", "schema.enum", "'x' is not an allowed value", "use one of", "schema")]
    want = dedupe(issues)
    assert [i.rule for i in want] == ["csv.missing-cell", "tally.mismatch", "schema.enum"]
    for seed in range(5):
        shuffled = issues[:]
        random.Random(seed).shuffle(shuffled)
        assert dedupe(shuffled) == want


def test_bad_value_is_shown_once_per_cell(mini):
    mini.update("votes", {"draft_id": "S/2023/773", "state_id": "USA"}, vote="maybe", state_id="usa")
    issues = [i for i in issues_for(mini) if i.file == "data/votes.csv" and i.layer == "schema"]
    cells_ = [(i.row, i.field) for i in issues]
    assert len(cells_) == len(set(cells_))
    assert any("'maybe'" in i.message for i in issues) and any("'usa'" in i.message for i in issues)


def test_fmt_hint_only_where_fmt_works(mini):
    """CRLF alone: 'run unsc fmt'. CRLF plus a ragged row elsewhere, which fmt refuses: fix that first."""
    p = mini.path("sponsors")
    p.write_bytes(p.read_text().replace("\n", "\r\n").encode())
    assert "unsc fmt" in find(issues_for(mini), "csv.newline").hint
    mini.path("meetings").write_text(mini.path("meetings").read_text().replace("S/PV.9444,9444", "S/PV.9444,9444,extra"))
    hint = find(issues_for(mini), "csv.newline").hint
    assert "first" in hint and "data/meetings.csv" in hint
    assert CliRunner().invoke(main, ["fmt", str(mini.root)]).exit_code != 0  # fmt does refuse it


def test_validate_changed_checks_the_changed_tables_and_their_references(mini):
    import shutil
    import subprocess

    from unsc.validate import referenced_closure
    from unsc.validate.cli import changed_paths, changed_tables

    if not shutil.which("git"):
        pytest.skip("git is not installed")
    git = ["git", "-C", str(mini.root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "fixture"], check=True)
    assert changed_tables(mini.contract, changed_paths(mini.root)) == set()
    mini.update("sponsors", {"draft_id": "S/2023/773"}, state_id="ZZZ")
    changed = changed_tables(mini.contract, changed_paths(mini.root))
    assert changed == {"sponsors"}
    assert referenced_closure(mini.contract, changed) == {"sponsors", "drafts", "states", "sources", "meetings", "situations"}
    r = CliRunner().invoke(main, ["validate", "--changed", str(mini.root), "--format", "json"])
    out = json.loads(r.stdout)
    assert r.exit_code == 1 and "data/votes.csv" not in out["checked"] and "data/sponsors.csv" in out["checked"]
    assert [i["rule"] for i in out["issues"]] == ["schema.foreign-key"]


# ---------------------------------------------------------------- the structure pass, on bytes
SPONSORS = CONTRACT.tables["sponsors"]
HEAD = "draft_id,state_id,role,source_id\n"


@pytest.mark.parametrize("body,rules", [
    ("S/2023/773,BRA,penholder,SC/1\n", []),
    ('S/2023/773,BRA,"penholder",SC/1\n', ["csv.quoting"]),  # quoted without need
    ('S/2023/773,BRA,penholder,"SC/1, annex"\n', []),  # quoted because it must be
    ("S/2023/773,BRA,penholder,SC/1", ["csv.newline"]),
    ("S/2023/773,BRA,penholder,SC/1\n\nS/2023/774,BRA,sponsor,SC/1\n", ["csv.blank-row"]),
    ("S/2023/773,BRA,penholder\n", ["csv.missing-cell"]),
    ("S/2023/773,BRA,penholder,SC/1,x\n", ["csv.extra-cell"]),
    ('S/2023/773,BRA,penholder,"SC/1\n', ["csv.syntax"]),  # a quote never closed
    ('S/2023/773,BRA,penholder,"SC/1"x\n', ["csv.syntax"]),  # text after a closing quote
])
def test_structure_pass(body, rules):
    from unsc.validate.structure import scan

    for text in (HEAD + body, (HEAD + body).replace("\n", "\r\n")):
        got = [i.rule for i in scan(SPONSORS, text.encode()).issues if i.rule != "csv.newline" or "\r" not in text]
        assert sorted(set(got) - {"csv.newline"}) == sorted(set(rules) - {"csv.newline"}), (text, got)


def test_structure_pass_names_a_bad_byte_and_a_bom():
    from unsc.validate.structure import scan

    s = scan(SPONSORS, (HEAD + "S/2023/773,BRA,penh\xf6lder,SC/1\n").encode("latin-1"))
    assert [(i.rule, i.row) for i in s.issues] == [("csv.encoding", 2)] and not s.readable
    s = scan(SPONSORS, ("\ufeff" + HEAD).encode())
    assert [i.rule for i in s.issues] == ["csv.encoding"] and s.readable and s.fmt_fixable


def test_order_is_natural():
    from unsc.validate.structure import scan

    rows = "S/PV.99-a,BRA,sponsor,SC/1\nS/PV.100-a,BRA,sponsor,SC/1\n"
    raw = pd.read_csv(__import__("io").StringIO(HEAD + rows), dtype=str)
    assert cells.order_issue(SPONSORS, raw, scan(SPONSORS, (HEAD + rows).encode())) is None
    raw = raw.iloc[::-1].reset_index(drop=True)
    issue = cells.order_issue(SPONSORS, raw)
    assert issue.rule == "csv.order" and issue.row == 3


def test_plain_validate_runs_lean_in_its_own_process(mini):
    """`unsc validate` as users run it (a fresh process, where pyarrow is kept out): valid, then a bad cell."""
    import subprocess
    import sys
    from pathlib import Path

    unsc = Path(sys.executable).parent / "unsc"
    r = subprocess.run([str(unsc), "validate", "--quiet", str(mini.root)], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("valid"), r.stdout + r.stderr
    mini.update("votes", {"draft_id": "S/2023/773", "state_id": "USA"}, vote="maybe")
    r = subprocess.run([str(unsc), "validate", str(mini.root)], capture_output=True, text=True)
    assert r.returncode == 1 and "schema.enum vote 'maybe' is not an allowed value" in r.stdout, r.stdout + r.stderr
    assert "phases:" in r.stderr and "phases:" not in r.stdout
