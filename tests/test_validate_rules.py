"""Every validation rule: a fixture that breaks it, and a test that sees the rule id, file and row."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from unsc.cli import main
from unsc.validate.rules import RULES
from unsc.validate import validate


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
    assert json.loads(r.output)["valid"] is True
    mini.update("votes", {"draft_id": "S/2023/773", "state_id": "USA"}, vote="maybe")
    r = CliRunner().invoke(main, ["validate", str(mini.root)])
    assert r.exit_code == 1
    assert "data/votes.csv:" in r.output and "frictionless.constraint-error" in r.output
    r = CliRunner().invoke(main, ["validate", "--format", "xml", str(mini.root)])
    assert r.exit_code == 2


DRAFT = {"draft_id": "S/2023/773"}
RES = {"draft_id": "S/RES/2700 (2023)"}

CASES = [
    # (rule, table, match, changes)
    ("frictionless.type-error", "drafts", DRAFT, {"yes": "twelve"}),
    ("frictionless.constraint-error", "votes", {"draft_id": "S/2023/773", "state_id": "USA"}, {"vote": "maybe"}),
    ("frictionless.foreign-key", "sponsors", {"draft_id": "S/2023/773"}, {"state_id": "ZZZ"}),
    ("frictionless.constraint-error", "positions", {"state_id": "USA"}, {"themes": "self_defence vibes"}),
    ("composition.not-sitting", "votes", {"draft_id": "S/2023/773", "state_id": "ALB"}, {"state_id": "AUS"}),
    ("tally.mismatch", "drafts", DRAFT, {"yes": "11"}),
    ("tally.exceeds", "drafts", DRAFT, {"no": "5"}),
    ("outcome.adopted", "drafts", RES, {"yes": "8", "abstain": "7"}),
    ("outcome.vetoed", "drafts", DRAFT, {"yes": "7", "abstain": "7"}),
    ("outcome.not-adopted", "drafts", DRAFT, {"outcome": "not_adopted"}),
    ("outcome.tally", "drafts", DRAFT, {"abstain": ""}),
    ("draft.amends", "drafts", DRAFT, {"amends": "S/RES/2700 (2023)"}),
    ("resolution.consistency", "drafts", RES, {"resolution": "S/RES/2701 (2023)"}),
    ("date.meeting", "drafts", DRAFT, {"date": "2023-10-17"}),
    ("date.range", "meetings", {"meeting_id": "S/PV.9444"}, {"date": "2099-01-01"}),
    ("votes.derived", "votes", {"draft_id": "S/RES/2700 (2023)", "state_id": "ALB"}, {"vote": "abstain"}),
    ("position.meeting", "positions", {"state_id": "USA"}, {"meeting_id": "S/PV.9444"}),
    ("gap.has-position", "position_gaps", {"state_id": "CHN"}, {"state_id": "USA"}),
    ("gap.evidence", "position_gaps", {"state_id": "CHN"}, {"reason": "did_not_speak", "source_id": "dataset:test"}),
    ("text.whitespace", "drafts", DRAFT, {"title": " Humanitarian pauses"}),
    ("text.control", "drafts", DRAFT, {"title": "Humanitarian\tpauses"}),
    ("text.formula", "drafts", DRAFT, {"title": "=HYPERLINK(\"x\")"}),
    # provenance.* (more cases in tests/test_provenance.py)
    ("provenance.un-host", "sources", {"source_id": "SC/15462"}, {"url": "https://www.globalsecurity.org/military/library/news/2023/10/x.htm"}),
    ("provenance.outlet", "sources", {"source_id": "SC/15462"}, {"read_at": "https://nolga1125.blogspot.com/2023/10/x.html", "copy_kind": "reproduction"}),
    ("provenance.address", "sources", {"source_id": "SC/15462"}, {"url": "https://press.un.org/en/node?page=190"}),
    ("provenance.copy-kind", "sources", {"source_id": "SC/15462"}, {"read_at": "https://apnews.com/article/x", "copy_kind": "official"}),
]


@pytest.mark.parametrize("rule,table,match,changes", CASES, ids=[c[0] + ":" + c[1] for c in CASES])
def test_rule_is_enforced(mini, rule, table, match, changes):
    row = mini.update(table, match, **changes)
    issue = find(issues_for(mini), rule, file=f"data/{table}.csv")
    if rule not in ("council.overlap",):
        assert issue.row == row
    assert issue.message and (issue.hint or rule.startswith("frictionless"))


def test_gap_listed(mini):
    """An expected member (a permanent member, or one that voted against or abstained) with neither a position
    nor a listed gap is named; a member outside the scope's expectations is not."""
    mini.write("position_gaps", [r for r in mini.rows("position_gaps") if r["state_id"] != "GBR"])
    issue = find(issues_for(mini), "gap.listed", file="data/position_gaps.csv")
    assert issue.message.startswith("S/2023/773/GBR: a permanent member") and issue.hint
    assert len([i for i in issues_for(mini) if i.rule == "gap.listed"]) == 1
    mini.update("votes", {"draft_id": "S/2023/773", "state_id": "ALB"}, vote="abstain")
    mini.update("drafts", {"draft_id": "S/2023/773"}, yes="11", abstain="3")
    assert any(i.rule == "gap.listed" and i.message.startswith("S/2023/773/ALB: voted against or abstained") for i in issues_for(mini))


def test_council_overlap(mini):
    rows = mini.rows("memberships")
    mini.write("memberships", rows + [{"state_id": "ALB", "seat": "elected", "start": "1990-01-01", "end": "1991-12-31", "source_id": "dataset:test"}])
    issue = find(issues_for(mini), "council.overlap", file="data/memberships.csv")
    assert "ALB" in issue.message and issue.row is not None


def test_council_size(mini):
    rows = [r for r in mini.rows("memberships") if r["state_id"] != "MOZ"]
    mini.write("memberships", rows)
    issue = find(issues_for(mini), "council.size", file="data/memberships.csv")
    assert "9 elected members" in issue.message and "expected 10" in issue.message


def test_documented_exception_silences_a_rule(mini):
    rows = [r for r in mini.rows("memberships") if r["state_id"] != "MOZ"]
    mini.write("memberships", rows)
    subject = next(i for i in issues_for(mini) if i.rule == "council.size").message
    start, end = subject.split(" from ")[1].split("; ")[0].split(" to ")
    mini.write("exceptions", [{"rule_id": "council.size", "subject": f"elected:{start}/{end}", "reason": "A vacancy.", "source_id": "dataset:test"}])
    assert not [i for i in issues_for(mini) if i.rule == "council.size"]


def test_resolution_order(mini):
    drafts = mini.rows("drafts") + [{"draft_id": "S/RES/2699 (2023)", "id_kind": "resolution_symbol", "meeting_id": "S/PV.9444", "date": "2023-10-20",
                                      "kind": "draft_resolution", "outcome": "adopted_without_vote", "resolution": "S/RES/2699 (2023)", "resolution_number": "2699", "source_id": "SC/15462"}]
    mini.write("drafts", drafts)
    find(issues_for(mini), "resolution.order", file="data/drafts.csv")


def test_primary_key_duplicate(mini):
    rows = mini.rows("sponsors")
    mini.write("sponsors", rows + [dict(rows[0], role="sponsor")])
    find(issues_for(mini), "frictionless.primary-key", file="data/sponsors.csv", row=3)


def test_duplicate_keys_are_reported_not_crashed_on(mini):
    """Rules that look a draft, meeting or source up by its key still run when Frictionless finds the key duplicated."""
    for table in ("drafts", "meetings", "sources"):
        rows = mini.rows(table)
        mini.write(table, rows + [dict(rows[0])])
    issues = issues_for(mini)
    assert {i.file for i in issues if i.rule == "frictionless.primary-key"} >= {"data/drafts.csv", "data/meetings.csv", "data/sources.csv"}


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
    covered = {c[0] for c in CASES} | {"council.size", "council.overlap", "resolution.order", "gap.listed"}
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


def test_gap_rules_accept_what_they_should(mini):
    """A silence shown by a press release passes; so does a position left without meeting while its draft has none."""
    mini.update("position_gaps", {"state_id": "CHN"}, reason="did_not_speak", source_id="SC/15462")
    mini.update("drafts", DRAFT, meeting_id="")
    mini.update("positions", {"state_id": "USA"}, meeting_id="")
    assert issues_for(mini) == []
