"""scripts/harvest_accuracy.py: its core, run on a small fixed set of stored releases whose judgement is known."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRESS = ROOT / "sources" / "harvest" / "press"


@pytest.fixture(scope="module")
def accuracy():
    spec = importlib.util.spec_from_file_location("harvest_accuracy", ROOT / "scripts" / "harvest_accuracy.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up while it loads
    spec.loader.exec_module(mod)
    return mod


# a veto with members named, a failure stated without a tally, a procedural vote (added to the record from it), a tally without
# "against", an admission "unanimously adopted" that the record has without a vote, a release naming another meeting
# than the record's, and a list of names run together
SUBSET = ["SC-12791.txt", "SC-14246.txt", "SC-15649.txt", "SC-7157.txt", "SC-7411.txt", "SC-14830.txt", "SC-14908.txt"]


def test_the_measure_on_a_fixed_subset(accuracy):
    groups = accuracy.measure([PRESS / f for f in SUBSET])
    m = groups["all"]
    assert (m.releases, m.read, m.correct, m.unconfirmed, m.expected, m.found) == (7, 5, 5, 0, 7, 5)
    assert (m.m_emitted, m.m_correct, m.m_expected) == (13, 13, 15)  # S/2020/667's two against are not read
    assert (m.precision, m.recall) == (1.0, 5 / 7)
    assert sorted(m.lines) == [
        "SC-14246.txt: S/2020/667 (vetoed 13-2-0) not read",
        "SC-14830.txt: names S/PV.8995, at which the record has no vote",
        "SC-7411.txt: S/RES/1414 (2002) (adopted_without_vote --) not read",
    ]
    # the split: the releases the rules were first written against, and those added since
    assert (groups["first"].releases, groups["added"].releases) == (3, 4)
    assert (groups["added"].read, groups["added"].correct, groups["added"].expected, groups["added"].found) == (3, 3, 4, 3)


def test_summary_lines(accuracy):
    m = accuracy.Measure(releases=2, read=3, correct=2, unconfirmed=1, expected=4, found=2, m_emitted=1, m_correct=1, m_expected=2)
    s = m.summary()
    assert s[2].startswith("precision (votes the record can confirm): 100.0 % (2/2)")
    assert s[3] == "recall (votes): 50.0 % (2 of 4 record votes the releases cover)"
    assert accuracy.Measure().precision is None and accuracy.Measure().summary()[3].startswith("recall (votes): n/a")
