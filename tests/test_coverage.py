"""`unsc coverage` counts complete, partial and missing per-member votes, vetoes and explanations of vote."""
from __future__ import annotations

import json

from click.testing import CliRunner

from unsc.cli import main


def coverage(pkg):
    r = CliRunner().invoke(main, ["coverage", str(pkg.root), "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_counts_on_the_fixture(mini):
    c = coverage(mini)
    assert c["overall"] == {"drafts": 2, "complete": 2, "partial": 0, "none": 0, "complete_share": 1.0}
    assert c["vetoes_by_permanent_member"] == {"USA": 1}
    assert c["votes_by_basis"] == {"derived": 15, "recorded": 15}
    assert c["positions"]["in_scope"] == 1 and c["positions"]["drafts"][0]["permanent_missing"] == ["CHN", "FRA", "GBR", "RUS"]


def test_partial_when_a_vote_is_removed(mini):
    rows = [v for v in mini.rows("votes") if not (v["draft_id"] == "S/2023/773" and v["state_id"] == "ALB")]
    mini.write("votes", rows)
    c = coverage(mini)
    assert c["overall"]["partial"] == 1 and c["overall"]["complete"] == 1
    text = CliRunner().invoke(main, ["coverage", str(mini.root)]).output
    assert "overall" in text and "50.0%" in text


def test_positions_scope_and_reasons(mini):
    """A silence shown by a record counts as done; an abstaining elected member is expected; a vote on the
    Palestinian question enters scope through the draft's title while its meeting is unconfirmed."""
    mini.update("votes", {"draft_id": "S/2023/773", "state_id": "ALB"}, vote="abstain")
    mini.update("drafts", {"draft_id": "S/2023/773"}, yes="11", abstain="3")
    mini.update("position_gaps", {"state_id": "CHN"}, gap_reason="did_not_speak", source_id="SC/15462")
    c = coverage(mini)["positions"]
    row = c["drafts"][0]
    assert row["permanent_missing"] == ["FRA", "GBR", "RUS"] and row["did_not_speak"] == ["CHN"]
    assert row["dissenters_missing"] == ["ALB"] and c["every_expected_member"] == 0
    assert c["positions_by_source_kind"] == {"un_record": 1, "member_statement": 0, "secondary": 0}
    assert c["in_scope"] == 1
    mini.update("drafts", {"draft_id": "S/RES/2700 (2023)"}, meeting_id="", draft_title="The situation in the Middle East, including the Palestinian question")
    assert coverage(mini)["positions"]["in_scope"] == 2


def test_sponsor_coverage_counts_listed_penholders_and_gaps(mini):
    c = coverage(mini)["sponsors"]
    drafts = {d["draft_id"]: d for d in mini.rows("drafts")}
    recent = sorted(k for k, d in drafts.items() if d["decision_date"] >= "2022-01-01")
    assert c["since_2022"]["drafts"] == len(recent) and c["since_2022"]["with_sponsor"] == 1
    assert c["since_2022"]["with_penholder"] == 1 and c["since_2022"]["without_sponsor"] == [k for k in recent if k != "S/2023/773"]
    assert (c["failed_since_1994"]["drafts"], c["failed_since_1994"]["with_sponsor"]) == (1, 1)  # the vetoed S/2023/773
    mini.update("sponsors", {"draft_id": "S/2023/773", "state_id": "BRA"}, role="sponsor")
    mini.write("sponsors", mini.rows("sponsors") + [{"draft_id": "S/2023/773", "state_id": "FRA", "role": "sponsor", "source_id": "SC/15462"}])
    c = coverage(mini)["sponsors"]
    assert c["failed_since_1994"]["with_sponsor"] == 1 and c["failed_since_1994"]["with_penholder"] == 0
    mini.write("sponsors", [])
    c = coverage(mini)["sponsors"]
    assert c["failed_since_1994"]["without_sponsor"] == ["S/2023/773"]
    text = CliRunner().invoke(main, ["coverage", str(mini.root)]).output
    assert "every vetoed or failed draft since 1 January 1994: 0 of 1 (0 with the penholder marked)" in text
