"""Code every draft and meeting with its situation.

Pure functions over rows (dicts of strings), so the build, the tests and the site can share them:

* the vocabulary is `curation/situations.csv` (one row per situation);
* `curation/situation_agenda.csv` maps every agenda string in `meetings.topic` to a situation;
* `curation/situation_drafts.csv` overrides that mapping for single drafts (agenda items covering
  several situations, drafts with no meeting).

A draft takes its override if it has one, else the situation of its meeting's topic. Nothing is
guessed here: a topic or draft the curation does not cover is reported as a problem, not coded.
"""
from __future__ import annotations

from collections.abc import Iterable

SITUATION_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

UNMAPPED_TOPIC = "situation.unmapped-topic"
UNKNOWN_SITUATION = "situation.unknown-id"
DRAFT_UNCODED = "situation.draft-uncoded"
DUPLICATE = "situation.duplicate"
UNKNOWN_DRAFT = "situation.unknown-draft"


def _known(situations: Iterable[dict] | None) -> set[str] | None:
    return None if situations is None else {s["situation_id"] for s in situations}


def _situation_map(rows: list[dict], key: str, file: str, known: set[str] | None, problems: list[str]) -> dict[str, str]:
    """*key* value -> situation_id from the rows of a curation *file*; a key given twice or an unknown id is a problem."""
    out: dict[str, str] = {}
    for i, row in enumerate(rows, start=2):
        value, sid = row[key], row["situation_id"]
        if value in out:
            problems.append(f"curation/{file} row {i}: field {key}: rule {DUPLICATE}: {value!r} has two rows; keep one")
        if known is not None and sid not in known:
            problems.append(
                f"curation/{file} row {i}: field situation_id: rule {UNKNOWN_SITUATION}: {sid!r} "
                "is not in curation/situations.csv; add it there or use an existing id"
            )
        out[value] = sid
    return out


def _agenda_map(agenda: list[dict], known: set[str] | None, problems: list[str]) -> dict[str, str]:
    return _situation_map(agenda, "topic", "situation_agenda.csv", known, problems)


def _override_map(overrides: list[dict], known: set[str] | None, problems: list[str]) -> dict[str, str]:
    return _situation_map(overrides, "draft_id", "situation_drafts.csv", known, problems)


def meeting_situations(
    meetings: list[dict], agenda: list[dict], situations: list[dict] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Return meeting_id -> situation_id from the agenda mapping, and the problems found.

    A meeting whose topic the mapping lacks is left out and reported (rule situation.unmapped-topic).
    Pass `situations` (the vocabulary rows) to also check that every id used exists.
    """
    problems: list[str] = []
    amap = _agenda_map(agenda, _known(situations), problems)
    coded: dict[str, str] = {}
    unmapped: dict[str, int] = {}
    for i, m in enumerate(meetings, start=2):
        topic = m.get("topic", "")
        if topic in amap:
            coded[m["meeting_id"]] = amap[topic]
        elif topic not in unmapped:
            unmapped[topic] = i
    for topic, i in unmapped.items():
        problems.append(
            f"data/meetings.csv row {i}: field topic: rule {UNMAPPED_TOPIC}: {topic!r} has no row in "
            "curation/situation_agenda.csv; add one (topic,situation_id,note)"
        )
    return coded, problems


def code_situations(
    meetings: list[dict],
    drafts: list[dict],
    agenda: list[dict],
    overrides: list[dict],
    situations: list[dict] | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Return draft_id -> situation_id and the problems found.

    A draft's override wins; otherwise it takes its meeting's situation. Problems name the file,
    row, field, rule, bad value and fix: unmapped topics, unknown situation ids (when `situations`
    is given), duplicate curation rows, and drafts left uncoded.
    """
    problems: list[str] = []
    known = _known(situations)
    by_meeting, mproblems = meeting_situations(meetings, agenda, situations)
    problems += mproblems
    omap = _override_map(overrides, known, problems)
    draft_ids = {d["draft_id"] for d in drafts}
    for i, row in enumerate(overrides, start=2):
        if row["draft_id"] not in draft_ids:
            problems.append(
                f"curation/situation_drafts.csv row {i}: field draft_id: rule {UNKNOWN_DRAFT}: {row['draft_id']!r} "
                "is not a draft in data/drafts.csv; fix the id or drop the row"
            )
    coded: dict[str, str] = {}
    for i, d in enumerate(drafts, start=2):
        did = d["draft_id"]
        if did in omap:
            coded[did] = omap[did]
        elif d.get("meeting_id") and d["meeting_id"] in by_meeting:
            coded[did] = by_meeting[d["meeting_id"]]
        else:
            why = "has no meeting" if not d.get("meeting_id") else f"meeting {d['meeting_id']!r} has no situation"
            problems.append(
                f"data/drafts.csv row {i}: field draft_id: rule {DRAFT_UNCODED}: {did!r} {why}; add a row to "
                "curation/situation_drafts.csv (draft_id,situation_id,note) or map its meeting topic"
            )
    return coded, problems
