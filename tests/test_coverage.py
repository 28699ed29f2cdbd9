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
