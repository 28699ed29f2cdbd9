"""Layer 2b: the domain rules a Table Schema cannot say, each with a stable id.

A rule reads the typed tables and yields (table, row index or None, field, message).
Documented exceptions (`data/exceptions.csv`) silence a rule for one subject.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pandas as pd

from unsc.domain import council, vocab
from unsc.domain.queries import (  # noqa: F401 - re-exported for callers of the old home
    POSITIONS_SCOPE_TOPICS, by_key, completeness, expected_members, majorities, permanent_no, positions_scope, vote_counts, votes_with_dates)

Finding = tuple[str, "int | None", "str | None", str, str]  # table, index, field, message, subject


@dataclass(frozen=True)
class Rule:
    id: str
    table: str
    summary: str
    hint: str
    check: Callable[[dict[str, pd.DataFrame]], Iterator[Finding]]
    blocks_import: bool = True  # False: `validate` and `unsc add` report it, but `unsc import` does not wait on it


RULES: dict[str, Rule] = {}


def rule(id: str, table: str, summary: str, hint: str, blocks_import: bool = True):
    def register(fn):
        RULES[id] = Rule(id, table, summary, hint, fn, blocks_import)
        return fn

    return register


# ---------------------------------------------------------------- composition
@rule("composition.not-sitting", "votes", "Only states sitting on the Council that day vote.",
      "check the state code and the draft's date against memberships; a non-member that spoke belongs in positions, not votes")
def not_sitting(t):
    v = votes_with_dates(t).dropna(subset=["decision_date"])
    ok = council.sitting_pairs(t["memberships"], v)
    for idx in v.index[~ok]:
        r = v.loc[idx]
        yield "votes", idx, "state_id", f"{r.state_id} did not sit on the Council on {r.decision_date.date()} (draft {r.draft_id})", r.draft_id


# ---------------------------------------------------------------- council
@rule("council.size", "memberships", "On every day since 1946-01-17: 5 permanent and 6 (before 1966) or 10 elected members.",
      "a term is missing, duplicated or has wrong dates; a real vacancy is listed in exceptions.csv as elected:START/END")
def council_size(t):
    counts = council.council_counts(t["memberships"])
    if counts.empty:
        return
    # split intervals at the enlargement so each has one expected size
    parts = []
    for r in counts.itertuples():
        if r.start < council.ENLARGEMENT <= r.end:
            parts.append((r.start, council.ENLARGEMENT - pd.Timedelta(days=1), r.permanent, r.elected))
            parts.append((council.ENLARGEMENT, r.end, r.permanent, r.elected))
        else:
            parts.append((r.start, r.end, r.permanent, r.elected))
    for kind, col in (("permanent", 2), ("elected", 3)):
        merged: list[list] = []  # [start, end, count, expected], adjacent runs with the same count joined
        for part in parts:
            want = 5 if kind == "permanent" else council.elected_seats_on(part[0])
            if merged and merged[-1][2] == part[col] and merged[-1][3] == want:
                merged[-1][1] = part[1]
            else:
                merged.append([part[0], part[1], part[col], want])
        for start, end, count, want in merged:
            if count != want:
                yield "memberships", None, "seat", f"{count} {kind} members sitting from {start.date()} to {end.date()}; expected {want}", f"{kind}:{start.date()}/{end.date()}"


@rule("council.overlap", "memberships", "A state's terms never overlap.", "merge the two terms or correct their dates")
def council_overlap(t):
    m = t["memberships"].dropna(subset=["start_date"]).sort_values(["state_id", "start_date"])
    m = m.assign(_end=m["end_date"].fillna(pd.Timestamp("2262-01-01")))
    prev_end = m.groupby("state_id")["_end"].shift()
    bad = m[prev_end.notna() & (m["start_date"] <= prev_end)]
    for idx, r in bad.iterrows():
        yield "memberships", idx, "start_date", f"term of {r.state_id} starting {r.start_date.date()} overlaps its previous term", f"{r.state_id}:{r.start_date.date()}"


# ---------------------------------------------------------------- tallies
@rule("tally.mismatch", "drafts", "Announced counts equal the per-member votes where those are complete.",
      "correct the tally or the votes so that they agree; a real discrepancy in the record goes into exceptions.csv")
def tally_mismatch(t):
    d = t["drafts"]
    status = completeness(t)
    counts = vote_counts(t)
    complete = d[status == "complete"]
    per = counts.reindex(complete["draft_id"]).set_axis(complete.index)
    for col in vocab.TALLY:
        bad = complete[complete[col].notna() & (complete[col].fillna(-1) != per[col].fillna(0))]
        for idx, r in bad.iterrows():
            yield "drafts", idx, col, f"{r.draft_id}: announced {col}={int(r[col])} but the per-member votes give {int(per.at[idx, col])}", r.draft_id


@rule("tally.exceeds", "drafts", "Counts never exceed the Council's size, nor the announced tally when votes are partial.",
      "a tally cannot exceed 11 (before 1966) or 15 members; remove the extra vote rows or correct the tally")
def tally_exceeds(t):
    d = t["drafts"]
    counts = vote_counts(t)
    total = d[list(vocab.TALLY)].fillna(0).sum(axis=1)
    size = council.sizes(d["decision_date"])
    for idx in d.index[total > size]:
        r = d.loc[idx]
        yield "drafts", idx, "yes", f"{r.draft_id}: counts add up to {int(total[idx])}, more than the Council's {size[idx]} members", r.draft_id
    per = counts.reindex(d["draft_id"]).set_axis(d.index).fillna(0)
    for col in vocab.TALLY:
        bad = d[d[col].notna() & (per[col] > d[col].fillna(0))]
        for idx, r in bad.iterrows():
            yield "drafts", idx, col, f"{r.draft_id}: {int(per.at[idx, col])} member(s) recorded as {col} but the announced {col} is {int(r[col])}", r.draft_id


# ---------------------------------------------------------------- outcome logic
@rule("outcome.adopted", "drafts", "Adopted needs the required majority (7 of 11 before 1966, 9 of 15 after) and no permanent member voting no.",
      "check the outcome and the tally; an adoption over a permanent member's no on a procedural question is draft_kind=procedural or listed in exceptions.csv")
def outcome_adopted(t):
    d = t["drafts"]
    pno = permanent_no(t)
    adopted = d[d["outcome"] == "adopted"]
    need = council.sizes(adopted["decision_date"]).map({11: 7, 15: 9})
    for idx, r in adopted[adopted["yes"].notna() & (adopted["yes"] < need)].iterrows():
        yield "drafts", idx, "yes", f"{r.draft_id} is adopted with {int(r.yes)} votes in favour; {council.majority_on(r.decision_date)} needed", r.draft_id
    for idx, r in adopted[(adopted["draft_kind"] != "procedural") & adopted["draft_id"].isin(pno.index)].iterrows():
        yield "drafts", idx, "outcome", f"{r.draft_id} is adopted although permanent member(s) {pno[r.draft_id]} voted no", r.draft_id


@rule("outcome.vetoed", "drafts", "Vetoed needs the required majority and at least one permanent member voting no.",
      "a draft short of the majority is not_adopted; a veto needs a permanent member's no vote")
def outcome_vetoed(t):
    d = t["drafts"]
    pno = permanent_no(t)
    status = completeness(t)
    v = d[d["outcome"] == vocab.VETOED]
    need = majorities(v["decision_date"])
    short = v["yes"].notna() & v["decision_date"].notna() & (v["yes"] < need)
    no_against = v["no"].notna() & (v["no"] < 1)
    no_p5 = ~no_against & (status.reindex(v.index) == "complete") & ~v["draft_id"].isin(pno.index)
    for idx in v.index[short.to_numpy(dtype=bool, na_value=False)]:
        yield "drafts", idx, "outcome", f"{v.at[idx, 'draft_id']} is marked vetoed but had only {int(v.at[idx, 'yes'])} votes in favour; that is not_adopted", v.at[idx, "draft_id"]
    for idx in v.index[no_against.to_numpy(dtype=bool, na_value=False)]:
        yield "drafts", idx, "no", f"{v.at[idx, 'draft_id']} is marked vetoed but no member voted against", v.at[idx, "draft_id"]
    for idx in v.index[no_p5.to_numpy(dtype=bool, na_value=False)]:
        yield "drafts", idx, "outcome", f"{v.at[idx, 'draft_id']} is marked vetoed but no permanent member voted no", v.at[idx, "draft_id"]


@rule("outcome.not-adopted", "drafts", "Not adopted means the draft lacked the required majority.",
      "a draft with the majority that failed on a permanent member's no is vetoed")
def outcome_not_adopted(t):
    d = t["drafts"]
    n = d[d["outcome"] == "not_adopted"]
    had = n["yes"].notna() & n["decision_date"].notna() & (n["yes"] >= majorities(n["decision_date"])) & (n["draft_kind"] != "procedural")
    for idx in n.index[had.to_numpy(dtype=bool, na_value=False)]:
        r = n.loc[idx]
        if pd.notna(r.no) and r.no > 0:
            yield "drafts", idx, "outcome", f"{r.draft_id} had {int(r.yes)} votes in favour, the majority: if a permanent member voted no it is vetoed", r.draft_id
        else:
            yield "drafts", idx, "outcome", f"{r.draft_id} had {int(r.yes)} votes in favour and none against, yet is not_adopted", r.draft_id


@rule("outcome.tally", "drafts", "A text put to the vote has a tally or none at all; one adopted without a vote, not put to the vote or withdrawn has none.",
      "fill yes, no, abstain and not_participating together, or leave all four empty")
def outcome_tally(t):
    d = t["drafts"]
    cols = list(vocab.TALLY)
    known = d[cols].notna().sum(axis=1)
    for idx in d.index[(known > 0) & (known < 4)]:
        yield "drafts", idx, "yes", f"{d.at[idx, 'draft_id']}: the tally is partly filled", d.at[idx, "draft_id"]
    novote = d["outcome"].isin(vocab.NO_VOTE)
    for idx in d.index[novote & (known > 0)]:
        yield "drafts", idx, "outcome", f"{d.at[idx, 'draft_id']} is {d.at[idx, 'outcome']} yet has a tally", d.at[idx, "draft_id"]


@rule("draft.amends", "drafts", "An amendment names the draft it amends; other texts do not.",
      "set draft_kind=amendment with amends=<draft_id>, or clear amends")
def draft_amends(t):
    d = t["drafts"]
    for idx in d.index[(d["draft_kind"] == "amendment") != d["amends"].notna()]:
        yield "drafts", idx, "amends", f"{d.at[idx, 'draft_id']}: draft_kind is {d.at[idx, 'draft_kind']} but amends is {'set' if pd.notna(d.at[idx, 'amends']) else 'empty'}", d.at[idx, "draft_id"]


# ---------------------------------------------------------------- resolutions
@rule("resolution.consistency", "drafts", "Adopted texts carry their resolution symbol and number, which agree with each other and the date's year.",
      "write resolution as S/RES/<number> (<year>), with the same number in resolution_number")
def resolution_consistency(t):
    d = t["drafts"]
    adopted = d["outcome"].isin(vocab.ADOPTED)
    has = d["resolution_number"].notna() | d["resolution"].notna()
    both = d["resolution_number"].notna() & d["resolution"].notna()
    for idx, r in d[adopted & (d["draft_kind"] == "draft_resolution") & ~both].iterrows():
        yield "drafts", idx, "resolution", f"{r.draft_id} is adopted but has no resolution symbol and number", r.draft_id
    for idx, r in d[~adopted & has].iterrows():
        yield "drafts", idx, "resolution", f"{r.draft_id} is {r.outcome} but has a resolution", r.draft_id
    cand = d[both & d["decision_date"].notna()]
    want = "S/RES/" + cand["resolution_number"].astype(str) + " (" + cand["decision_date"].dt.year.astype(str) + ")"
    for idx in cand.index[cand["resolution"] != want]:
        yield "drafts", idx, "resolution", f"{d.at[idx, 'draft_id']}: resolution is {d.at[idx, 'resolution']!r}; number and date say {want[idx]!r}", d.at[idx, "draft_id"]
    mism = d[(d["id_kind"] == "resolution_symbol") & d["resolution"].notna() & (d["draft_id"] != d["resolution"])]
    for idx, r in mism.iterrows():
        yield "drafts", idx, "draft_id", f"{r.draft_id}: id_kind is resolution_symbol but draft_id differs from {r.resolution}", r.draft_id


@rule("resolution.order", "drafts", "Resolution numbers run in date order.",
      "check the number and date; a real out-of-order number goes into exceptions.csv")
def resolution_order(t):
    d = t["drafts"].dropna(subset=["resolution_number", "decision_date"]).sort_values("resolution_number")
    later_max = d["decision_date"][::-1].cummin()[::-1]  # earliest date among this and all higher numbers
    prev_max = d["decision_date"].cummax().shift()
    for idx in d.index[(d["decision_date"] > later_max.shift(-1)) | (d["decision_date"] < prev_max)]:
        r = d.loc[idx]
        yield "drafts", idx, "resolution_number", f"resolution {int(r.resolution_number)} is dated {r.decision_date.date()}, out of order with its neighbours", r.draft_id


@rule("meeting.order", "meetings", "Meeting numbers run in date order (a resumption or a later part of a meeting may fall later).",
      "check the date against the meeting record; a date the record really gives goes into exceptions with its reason")
def meeting_order(t):
    m = t["meetings"]
    later_part = m["meeting_id"].str.contains(r" \((?:Resumption \d+|Part II|Part III)\)$", regex=True, na=False)
    base = m[m["meeting_number"].notna() & m["meeting_date"].notna() & ~later_part].sort_values(["meeting_number", "meeting_date"])
    date, before, after = base["meeting_date"], base["meeting_date"].shift(), base["meeting_date"].shift(-1)
    # the meeting out of line with both neighbours, not the neighbours themselves: too early, or too late (the first
    # and the last have one neighbour, so which of a pair is wrong cannot be told there)
    early = (date < before) & (after >= before)
    late = (date > after) & (before <= after)
    for idx in base.index[early | late]:
        r = m.loc[idx]
        yield ("meetings", idx, "meeting_date",
               f"{r.meeting_id} is dated {r.meeting_date.date()}, out of order with the meetings numbered next to it", r.meeting_id)


# ---------------------------------------------------------------- dates
@rule("date.range", "*", "No date before 1946-01-17 (the Council's first meeting) or after today.", "correct the date")
def date_range(t):
    today = council.today()
    for table, col in (("meetings", "meeting_date"), ("drafts", "decision_date"), ("memberships", "start_date")):
        df = t[table]
        bad = df[(df[col] < council.FIRST_MEETING) | (df[col] > today)]
        for idx in bad.index:
            yield table, idx, col, f"{df.at[idx, col].date()} is before 1946-01-17 or after today", str(idx)


@rule("date.meeting", "drafts", "A draft's date equals its meeting's date.", "use the meeting's date, or correct meeting_id")
def date_meeting(t):
    d = t["drafts"]
    m = t["meetings"][["meeting_id", "meeting_date"]].drop_duplicates("meeting_id")
    mdate = d[["meeting_id"]].reset_index().merge(m, on="meeting_id", how="left").set_index("index")["meeting_date"]
    for idx in d.index[mdate.notna() & d["decision_date"].notna() & (mdate != d["decision_date"])]:
        yield "drafts", idx, "decision_date", f"{d.at[idx, 'draft_id']} is dated {d.at[idx, 'decision_date'].date()} but {d.at[idx, 'meeting_id']} met on {mdate[idx].date()}", d.at[idx, "draft_id"]


# ---------------------------------------------------------------- votes
@rule("votes.derived", "votes", "A derived vote is a yes on a text adopted unanimously (no votes against, no abstentions).",
      "derived votes only fill unanimous decisions; anything else must be recorded from a source")
def votes_derived(t):
    v = t["votes"]
    d = by_key(t["drafts"], "draft_id")
    der = v[v["basis"] == "derived"]
    no = der["draft_id"].map(d["no"]).fillna(0) + der["draft_id"].map(d["abstain"]).fillna(0)
    for idx in der.index[(der["vote"] != "yes") | (no > 0)]:
        yield "votes", idx, "basis", f"{der.at[idx, 'draft_id']}/{der.at[idx, 'state_id']}: derived {der.at[idx, 'vote']} vote on a text that was not unanimous", der.at[idx, "draft_id"]


# ---------------------------------------------------------------- positions
@rule("position.meeting", "positions", "A position's meeting is its draft's meeting; empty only while the draft's meeting is unknown.",
      "copy meeting_id from the draft's row in drafts.csv")
def position_meeting(t):
    p = t["positions"]
    dm = p["draft_id"].map(by_key(t["drafts"], "draft_id")["meeting_id"])
    bad = p["draft_id"].isin(t["drafts"]["draft_id"]) & (p["meeting_id"].fillna("") != dm.fillna(""))
    for idx in p.index[bad]:
        yield "positions", idx, "meeting_id", f"{p.at[idx, 'draft_id']}/{p.at[idx, 'state_id']}: meeting {p.at[idx, 'meeting_id'] or '(empty)'} but the draft's is {dm[idx] or '(empty)'}", p.at[idx, "draft_id"]


@rule("gap.has-position", "position_gaps", "A member listed as a gap has no position row on that draft.",
      "delete the position_gaps row: the member's explanation is in positions.csv")
def gap_has_position(t):
    g, p = t["position_gaps"], t["positions"]
    have = set(zip(p["draft_id"], p["state_id"]))
    for idx in g.index[[k in have for k in zip(g["draft_id"], g["state_id"])]]:
        yield "position_gaps", idx, "state_id", f"{g.at[idx, 'draft_id']}/{g.at[idx, 'state_id']} is listed as a gap but has a position row", g.at[idx, "draft_id"]


@rule("gap.evidence", "position_gaps", "'did_not_speak' rests on a record of the whole meeting: a press release or meeting record.",
      "cite the press release (SC/nnnnn) or meeting record (S/PV.nnnn) that lists every speaker, or use gap_reason record_not_found")
def gap_evidence(t):
    g = t["position_gaps"]
    kind = g["source_id"].map(by_key(t["sources"], "source_id")["source_kind"])
    for idx in g.index[(g["gap_reason"] == "did_not_speak") & ~kind.isin(vocab.FULL_RECORD)]:
        yield "position_gaps", idx, "source_id", f"{g.at[idx, 'draft_id']}/{g.at[idx, 'state_id']}: did_not_speak cites {g.at[idx, 'source_id'] or 'no source'}", g.at[idx, "draft_id"]


@rule("gap.listed", "position_gaps", "Every member expected to explain a vote in the positions scope (each permanent member; each member "
      "voting against or abstaining) has a position row or a position_gaps row.",
      "add its explanation to positions.csv, or a position_gaps row: record_not_found with what was searched, or did_not_speak citing the meeting's full record",
      blocks_import=False)  # a vote import adds drafts to the scope before the positions import lists their gaps
def gap_listed(t):
    scope = positions_scope(t).dropna(subset=["decision_date"])
    listed = pd.concat([t["positions"][["draft_id", "state_id"]], t["position_gaps"][["draft_id", "state_id"]]])
    listed = listed.groupby("draft_id")["state_id"].apply(set)
    for r, (p5, dissent) in zip(scope.itertuples(), expected_members(t, scope)):
        for s in sorted((p5 | dissent) - listed.get(r.draft_id, set())):
            why = "a permanent member" if s in p5 else "voted against or abstained"
            yield "position_gaps", None, "state_id", f"{r.draft_id}/{s}: {why}, but has neither a position row nor a position_gaps row", f"{r.draft_id}/{s}"


# ---------------------------------------------------------------- free text
FORMULA_START = ("=", "+", "-", "@")


_SUSPECT = r"^\s|\s$|[\x00-\x1f\x7f]|^[=+\-@]"


def text_findings(table: str, df: pd.DataFrame, string_cols: list[str]) -> Iterator[tuple[str, int, str, str, str]]:
    """(rule, index, field, message, value) for every free-text problem in *df*. One regex pass per column
    finds the few suspect cells; only those are looked at again."""
    import re

    ws, ctrl = re.compile(r"^\s|\s$"), re.compile(r"[\x00-\x1f\x7f]")
    for col in string_cols:
        s = df[col].dropna()
        if s.empty:
            continue
        uniq = pd.Series(s.unique(), dtype=object)  # ids repeat: each distinct value is searched once
        hits = uniq[uniq.str.contains(_SUSPECT, regex=True).astype(bool)]
        if hits.empty:
            continue
        suspect = s[s.isin(hits)]
        for idx, v in suspect.items():
            if ws.search(v) and v.strip() != v:
                yield "text.whitespace", idx, col, f"{v!r} has leading or trailing spaces", v
            if ctrl.search(v):
                yield "text.control", idx, col, f"{v[:40]!r} contains a control character (tab, newline, ...)", v
            if v.startswith(FORMULA_START):
                yield "text.formula", idx, col, f"{v[:40]!r} starts with {v[0]!r}, which spreadsheets run as a formula", v


TEXT_RULES = {
    "text.whitespace": "remove the spaces at either end",
    "text.control": "replace tabs and line breaks with a space",
    "text.formula": "reword so the cell does not begin with = + - @",
}
from unsc.validate import provenance as _provenance  # noqa: E402,F401  (registers the provenance.* rules)
from unsc.validate import coding_rules  # noqa: E402,F401  (registers its rules)
