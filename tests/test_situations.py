"""Situation coding: the committed curation covers every agenda string and every draft, and the
coding function reports what it cannot code instead of guessing."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from unsc.build.situations import DRAFT_UNCODED
from unsc.build.situations import DUPLICATE
from unsc.build.situations import UNKNOWN_DRAFT
from unsc.build.situations import UNKNOWN_SITUATION
from unsc.build.situations import UNMAPPED_TOPIC
from unsc.build.situations import code_situations
from unsc.build.situations import meeting_situations

ROOT = Path(__file__).resolve().parent.parent


def _rows(rel: str) -> list[dict]:
    with (ROOT / rel).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def real():
    return {
        "meetings": _rows("data/meetings.csv"),
        "drafts": _rows("data/drafts.csv"),
        "agenda": _rows("curation/situation_agenda.csv"),
        "overrides": _rows("curation/situation_drafts.csv"),
        "situations": _rows("curation/situations.csv"),
        "states": {r["state_id"] for r in _rows("data/states.csv")},
    }


def _schema(rel: str) -> dict:
    return json.loads((ROOT / rel).read_text(encoding="utf-8"))


# --- the committed curation -------------------------------------------------------------------

def test_every_agenda_string_maps(real):
    topics = {m["topic"] for m in real["meetings"]}
    mapped = {a["topic"] for a in real["agenda"]}
    assert topics - mapped == set()
    coded, problems = meeting_situations(real["meetings"], real["agenda"], real["situations"])
    assert problems == []
    assert len(coded) == len(real["meetings"])


def test_every_draft_is_coded(real):
    coded, problems = code_situations(real["meetings"], real["drafts"], real["agenda"], real["overrides"], real["situations"])
    assert problems == []
    assert set(coded) == {d["draft_id"] for d in real["drafts"]}


def test_every_meetingless_draft_has_an_override(real):
    overridden = {o["draft_id"] for o in real["overrides"]}
    missing = [d["draft_id"] for d in real["drafts"] if not d["meeting_id"] and d["draft_id"] not in overridden]
    assert missing == []


def test_every_situation_id_used_exists(real):
    known = {s["situation_id"] for s in real["situations"]}
    used = {a["situation_id"] for a in real["agenda"]} | {o["situation_id"] for o in real["overrides"]}
    assert used - known == set()


def test_vocabulary_rows_are_complete_and_valid(real):
    schema = _schema("schemas/situations.json")
    fields = {f["name"]: f for f in schema["fields"]}
    regions = fields["region"]["constraints"]["enum"]
    slug = re.compile(fields["situation_id"]["constraints"]["pattern"])
    assert {c["value"] for c in fields["region"]["categories"]} == set(regions)
    ids = [s["situation_id"] for s in real["situations"]]
    assert len(ids) == len(set(ids))
    for s in real["situations"]:
        assert slug.match(s["situation_id"]), s
        assert s["region"] in regions, s
        assert len(s["definition"]) >= 20 and s["definition"].endswith("."), s
        assert s["situation_name"], s
        countries = [c for c in s["countries"].split(";") if c]
        assert set(countries) <= real["states"], s
        if s["region"] == "Thematic":
            assert countries == [], s


def test_overrides_name_their_evidence_and_real_drafts(real):
    draft_ids = {d["draft_id"] for d in real["drafts"]}
    for o in real["overrides"]:
        assert o["draft_id"] in draft_ids, o
        assert o["note"].strip(), o


def test_curation_files_follow_their_schemas(real):
    for rel, sch in [
        ("curation/situations.csv", "schemas/situations.json"),
        ("curation/situation_agenda.csv", "curation/schemas/situation_agenda.json"),
        ("curation/situation_drafts.csv", "curation/schemas/situation_drafts.json"),
    ]:
        schema = _schema(sch)
        rows = _rows(rel)
        assert list(rows[0]) == [f["name"] for f in schema["fields"]], rel
        for f in schema["fields"]:
            c = f.get("constraints", {})
            rx = re.compile(c["pattern"]) if "pattern" in c else None
            for i, r in enumerate(rows, start=2):
                v = r[f["name"]]
                if c.get("required"):
                    assert v != "", (rel, i, f["name"])
                if rx and v:
                    assert rx.match(v), (rel, i, f["name"], v)


def test_broad_middle_east_item_is_split_where_evidence_decides(real):
    """The Syria vetoes filed under 'The situation in the Middle East' must not stay in the broad bucket."""
    coded, _ = code_situations(real["meetings"], real["drafts"], real["agenda"], real["overrides"], real["situations"])
    assert coded["S/2011/612"] == "syria"
    assert coded["S/2016/1026"] == "syria"
    assert coded["S/RES/2216 (2015)"] == "yemen"
    assert coded["S/RES/2811 (2025)"] == "golan"


# --- the coding function on small fixtures --------------------------------------------------------

VOCAB = [{"situation_id": "syria"}, {"situation_id": "middle-east-general"}]
MEETINGS = [
    {"meeting_id": "S/PV.1", "topic": "The situation in the Middle East"},
    {"meeting_id": "S/PV.2", "topic": "An item nobody mapped"},
]
AGENDA = [{"topic": "The situation in the Middle East", "situation_id": "middle-east-general", "note": ""}]


def test_override_wins_and_topic_is_the_default():
    drafts = [{"draft_id": "S/1", "meeting_id": "S/PV.1"}, {"draft_id": "S/2", "meeting_id": "S/PV.1"}]
    overrides = [{"draft_id": "S/2", "situation_id": "syria", "note": "title says Syria"}]
    coded, problems = code_situations(MEETINGS[:1], drafts, AGENDA, overrides, VOCAB)
    assert problems == []
    assert coded == {"S/1": "middle-east-general", "S/2": "syria"}


def test_unmapped_topic_is_a_named_problem():
    drafts = [{"draft_id": "S/9", "meeting_id": "S/PV.2"}]
    coded, problems = code_situations(MEETINGS, drafts, AGENDA, [], VOCAB)
    assert "S/9" not in coded
    assert any(UNMAPPED_TOPIC in p and "An item nobody mapped" in p and "data/meetings.csv row 3" in p for p in problems)
    assert any(DRAFT_UNCODED in p and "'S/9'" in p and "curation/situation_drafts.csv" in p for p in problems)


def test_unknown_situation_id_is_a_named_problem():
    agenda = [{"topic": "The situation in the Middle East", "situation_id": "middle-east-genral", "note": ""}]
    overrides = [{"draft_id": "S/1", "situation_id": "atlantis", "note": "x"}]
    drafts = [{"draft_id": "S/1", "meeting_id": "S/PV.1"}]
    _, problems = code_situations(MEETINGS[:1], drafts, agenda, overrides, VOCAB)
    assert any(UNKNOWN_SITUATION in p and "'middle-east-genral'" in p and "situation_agenda.csv row 2" in p for p in problems)
    assert any(UNKNOWN_SITUATION in p and "'atlantis'" in p and "situation_drafts.csv row 2" in p for p in problems)


def test_meetingless_draft_without_override_is_uncoded():
    drafts = [{"draft_id": "S/2024/1", "meeting_id": ""}]
    coded, problems = code_situations(MEETINGS[:1], drafts, AGENDA, [], VOCAB)
    assert coded == {}
    assert problems == [p for p in problems if DRAFT_UNCODED in p] and "has no meeting" in problems[0]


def test_duplicates_and_stray_overrides_are_reported():
    agenda = AGENDA + AGENDA
    overrides = [
        {"draft_id": "S/1", "situation_id": "syria", "note": "a"},
        {"draft_id": "S/1", "situation_id": "syria", "note": "b"},
        {"draft_id": "S/404", "situation_id": "syria", "note": "c"},
    ]
    drafts = [{"draft_id": "S/1", "meeting_id": "S/PV.1"}]
    _, problems = code_situations(MEETINGS[:1], drafts, agenda, overrides, VOCAB)
    assert sum(DUPLICATE in p for p in problems) == 2
    assert any(UNKNOWN_DRAFT in p and "'S/404'" in p for p in problems)


# --- co-sponsors found in the sources at hand -------------------------------------------------------

def test_sponsors_extra_rows_are_well_formed(real):
    rows = _rows("curation/sponsors_extra.csv")
    assert list(rows[0]) == ["draft_id", "state_id", "role", "source_symbol", "source_url", "source_kind",
                             "source_title", "source_date", "note"]
    draft_ids = {d["draft_id"] for d in real["drafts"]}
    seen = set()
    for r in rows:
        assert r["draft_id"] in draft_ids, r
        assert r["state_id"] in real["states"], r
        assert r["role"] in {"penholder", "sponsor"}, r
        assert r["source_kind"] in {"press_release", "meeting_record", "un_document", "member_statement", "secondary"}, r
        if r["source_kind"] == "press_release":
            assert r["source_url"].startswith("https://press.un.org/"), r
        assert r["source_url"].startswith(("https://", "http://")) and r["note"], r
        assert (r["draft_id"], r["state_id"]) not in seen, r
        seen.add((r["draft_id"], r["state_id"]))


def test_a_draft_without_a_situation_is_reported(mini):
    from unsc.validate import validate

    line = mini.update("drafts", {"draft_id": "S/2023/773"}, situation_id="")
    found = [(i.file, i.row, i.field) for i in validate(mini.root) if i.rule == "situation.coded"]
    assert found == [("data/drafts.csv", line, "situation_id")]


def test_the_build_codes_every_draft_of_the_record():
    import csv

    from conftest import ROOT

    drafts = list(csv.DictReader(open(ROOT / "data" / "drafts.csv", encoding="utf-8")))
    meetings = list(csv.DictReader(open(ROOT / "data" / "meetings.csv", encoding="utf-8")))
    assert all(d["situation_id"] for d in drafts) and all(m["situation_id"] for m in meetings)
