"""Run an importer against the workspace: rows in, validation, atomic write, a report out."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from unsc.contract import canonical
from unsc.domain import council
from unsc.build.importers import dhl, membership, states
from unsc.build.workspace import MergeResult, Workspace


def _owned(prefixes):
    return lambda row: any((row.get("source_id") or "").startswith(p) for p in prefixes)


def import_states(ws: Workspace, path) -> tuple[MergeResult, list[str]]:
    res = MergeResult()
    ws.merge("sources", states.SOURCES, _owned(["dataset:", "un:"]), res)
    ws.merge("states", states.rows(path), _owned([states.SOURCE_ID, states.HISTORY_SOURCE]), res)
    return res, []


def import_membership(ws: Workspace, path, overrides: Path) -> tuple[MergeResult, list[str]]:
    res = MergeResult()
    state_rows = list(ws.rows["states"].values())
    regions = {}
    cc = Path(path).parent.parent / "country-codes" / "country-codes.csv"
    if cc.exists():
        with open(cc, encoding="utf-8") as fh:
            regions = {r["ISO3166-1-Alpha-3"]: r["Region Name"] for r in csv.DictReader(fh)}
    rows, unknown = membership.rows(path, state_rows, overrides, regions)
    ws.merge("sources", membership.SOURCES, lambda r: r["source_id"] in {s["source_id"] for s in membership.SOURCES}, res)
    # the sources the overrides cite are curation (`curation/tables/sources.csv`); their rows are this importer's too
    imported = {s["source_id"] for s in membership.SOURCES} | {"un:growth-in-membership"} | {r["source_id"] for r in rows}
    # the importer owns every membership row it made: drop those it no longer makes
    keep = {k: r for k, r in ws.rows["memberships"].items() if r["source_id"] not in imported}
    ws.rows["memberships"] = keep
    ws.merge("memberships", rows, lambda r: r["source_id"] in imported, res)
    return res, [f"unknown member name: {u!r}" for u in unknown]


def _memberships_frame(ws: Workspace) -> pd.DataFrame:
    m = pd.DataFrame(list(ws.rows["memberships"].values()))
    if m.empty:
        return pd.DataFrame(columns=["state_id", "seat", "start_date", "end_date"])
    m["start_date"] = pd.to_datetime(m["start_date"])
    m["end_date"] = pd.to_datetime(m["end_date"].replace("", None))
    return m


def derived_votes(ws: Workspace, drafts: list[dict], veto_sources: dict[str, str]) -> list[dict]:
    """Votes the record can honestly state: unanimous texts (derived yes) and vetoing members (recorded no)."""
    # ISO dates compare as strings: one pass over the terms per draft, in the record's order of terms
    terms = [(r["state_id"], r["start_date"], r["end_date"] or "9999-12-31") for r in ws.rows["memberships"].values() if r.get("start_date")]
    out = []
    for d in drafts:
        day = d["decision_date"]
        sitting = [s for s, start, end in terms if start <= day <= end]
        size = council.size_on(day)
        if d.get("outcome") == "adopted" and d.get("yes") == size and d.get("no") == 0 and d.get("abstain") == 0 and len(sitting) == size:
            out += [{"draft_id": d["draft_id"], "state_id": s, "vote": "yes", "basis": "derived", "source_id": d["source_id"]} for s in sitting]
        for s in d.get("_vetoers", []):
            if s == "CHN" and day < "1971-10-25":
                s = "TWN"
            out.append({"draft_id": d["draft_id"], "state_id": s, "vote": "no", "basis": "recorded", "source_id": veto_sources.get(d["draft_id"], d["source_id"])})
    return out


def import_dhl(ws: Workspace, folder, overrides: Path | None = None, wpd: Path | None = None) -> tuple[MergeResult, list[str]]:
    parsed = dhl.parse_folder(folder)
    reviewed = _reviewed(Path(overrides).parent / "dhl_reviewed.csv") if overrides else {}
    notes = [f"reviewed, not recorded as a draft: {f} {mid}: {reviewed[(mid, txt)]}" if (mid, txt) in reviewed else f"unparsed: {f} {mid}: {txt}"
             for f, mid, txt in parsed.unparsed]
    res = MergeResult()
    ws.merge("sources", parsed.sources, _owned(["dhl:"]), res)  # the sources the overrides cite: curation/tables/sources.csv
    meetings, seen = [], set()
    for mt in parsed.meetings:
        if mt["meeting_id"] in seen or not mt.get("meeting_date"):
            continue
        seen.add(mt["meeting_id"])
        meetings.append(mt)
    ws.merge("meetings", meetings, _owned(["dhl:"]), res)
    if overrides:
        added, sources, more = _missing_meetings(Path(overrides).parent / "dhl_meetings.csv", seen, _symbols(ws))
        notes += more + _number_unnumbered(parsed.unnumbered, added)
        ws.merge("sources", sources, lambda r: False, res)
        ws.merge("meetings", added, lambda r: False, res)
    if overrides and Path(overrides).exists():
        notes += apply_overrides(parsed.drafts, overrides, parsed.vetoes, ws.contract.tables["drafts"])
    drafts, more = dhl.resolve_duplicates(parsed.drafts, parsed.vetoes)
    notes += more
    # the veto list: every vetoed draft present, and its vetoing members
    by_symbol = {d["draft_id"]: d for d in drafts}
    veto_sources = {}
    meeting_ids = {m["meeting_id"] for m in meetings} | {k[0] for k in ws.rows["meetings"]}
    by_meeting: dict[str, list[dict]] = {}
    for d in drafts:
        if d["outcome"] == "vetoed":
            by_meeting.setdefault(d["meeting_id"], []).append(d)
    used: set[str] = set()
    extra_meetings, extra_drafts = [], []
    for v in parsed.vetoes:
        symbol = dhl.veto_symbol(v["draft"])
        d = by_symbol.get(symbol)
        if d is None and symbol.startswith("S/PV."):  # early drafts known by their meeting: take the next unmatched one
            d = next((c for c in by_meeting.get(v["meeting"], []) + by_meeting.get(symbol, []) if c["draft_id"] not in used), None)
        if d is None:
            # in the veto list but not in the yearly tables as parsed: the veto list is the record
            n = sum(1 for x in extra_drafts if x["meeting_id"] == v["meeting"]) + 1
            did = symbol if not symbol.startswith("S/PV.") else f"{v['meeting']}-vetoed" + (f"-{n}" if n > 1 else "")
            d = {"draft_id": did, "id_kind": "meeting_synthetic" if did.startswith("S/PV.") else "document_symbol", "meeting_id": v["meeting"],
                 "decision_date": v["date"], "draft_kind": "draft_resolution", "outcome": "vetoed", "source_id": "dhl:scact_veto", "_vetoers": v["vetoers"]}
            if v["meeting"] not in meeting_ids:
                extra_meetings.append({"meeting_id": v["meeting"], "meeting_number": v["meeting"].split(".")[1], "meeting_date": v["date"], "meeting_kind": "meeting",
                                       "topic": v["agenda"] or "Not recorded", "source_id": "dhl:scact_veto"})
                meeting_ids.add(v["meeting"])
            extra_drafts.append(d)
            notes.append(f"veto list: {v['date']} {v['draft']} ({v['meeting']}) is not in the yearly tables as parsed; added from the veto list as {did}")
        used.add(d["draft_id"])
        if d["outcome"] != "vetoed":
            notes.append(f"veto list: {v['draft']} is {d['outcome']} in the yearly table")
        elif sorted(d["_vetoers"]) != sorted(v["vetoers"]):
            notes.append(f"veto list: {v['draft']} vetoed by {v['vetoers']} per the veto list, {d['_vetoers']} per the yearly table")
        else:
            veto_sources[d["draft_id"]] = "dhl:scact_veto"
    drafts += [d for d in extra_drafts if d["draft_id"] not in by_symbol]
    ws.merge("meetings", extra_meetings, _owned(["dhl:"]), res)
    if wpd and Path(wpd).exists():
        notes += cross_check_wpd(wpd, by_symbol)
    votes = derived_votes(ws, drafts, veto_sources)
    for d in drafts:
        d.pop("_vetoers", None)
    ws.merge("drafts", drafts, _owned(["dhl:"]), res)
    ws.merge("votes", votes, lambda r: r["basis"] == "derived" or (r.get("source_id") or "").startswith("dhl:"), res)
    return res, notes




def _missing_meetings(path: Path, in_tables: set[str], symbols: re.Pattern) -> tuple[list[dict], list[dict], list[str]]:
    """Meetings the library tables lack (`curation/dhl_meetings.csv`), each from a UN record a person has read.

    A row for a meeting the tables already have is reported, not applied: the tables stay the record.
    """
    from unsc.build.importers import curated

    if not path.exists():
        return [], [], []
    meetings, sources, notes = [], [], []
    outlets = curated.load_outlets(path.parent / "outlets.csv")
    for i, r in curated.curation_rows(path, MISSING_MEETING_COLUMNS):
        where = f"{path.name}:{i}"
        number = re.match(r"^S/PV\.([1-9][0-9]*)$", r["meeting_id"])
        src = curated.source_row(r, symbols)
        if number is None or not re.match(r"^\d{4}-\d{2}-\d{2}$", r["date"]) or not r["topic"].strip():
            notes.append(f"{where}: needs a meeting_id S/PV.n, a date YYYY-MM-DD and a topic; not taken")
        elif src is None or (why := curated.outlet_refusal(r, outlets)) is not None:
            notes.append(f"{where}: {'no usable source' if src is None else why}; not taken ({r['meeting_id']})")
        elif r["meeting_id"] in in_tables:
            notes.append(f"{where}: {r['meeting_id']} is already in the library tables; the tables are kept")
        else:
            meetings.append({"meeting_id": r["meeting_id"], "meeting_number": number.group(1), "meeting_date": r["date"], "meeting_kind": "meeting",
                             "topic": r["topic"].strip(), "press_release": r["source_symbol"] if r["source_symbol"].startswith("SC/") else "",
                             "source_id": src["source_id"]})
            sources.append(src)
    return meetings, _unique(sources, "source_id"), notes


def _number_unnumbered(unnumbered: list[dict], curated: list[dict]) -> list[str]:
    """Give the drafts of a meeting the tables list without a number (a private meeting) the number a person
    read in a UN record: the curated meeting of the same date whose topic the table's topic contains, or the
    only one that day. An unmatched meeting is reported and its drafts keep no meeting."""
    notes = []
    for u in unnumbered:
        same_day = [m for m in curated if m["meeting_date"] == u["meeting_date"]]
        named = [m for m in same_day if _words(m["topic"]) <= _words(u["topic"])]
        match = named if len(named) == 1 else same_day if len(same_day) == 1 and sum(x["meeting_date"] == u["meeting_date"] for x in unnumbered) == 1 else []
        if match:
            for d in u.get("drafts", []):
                d["meeting_id"] = match[0]["meeting_id"]
        else:
            notes.append(f"the library table lists a meeting on {u['meeting_date']} ({u['topic'][:80]}) without its number"
                         + (f", with {', '.join(d['draft_id'] for d in u['drafts'])}" if u.get("drafts") else "")
                         + "; add it to curation/dhl_meetings.csv from a UN record")
    return notes


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


MISSING_MEETING_COLUMNS = ["meeting_id", "date", "topic", "source_symbol", "source_url", "source_kind", "source_title", "source_date", "note", "read_url", "copy_kind"]


def _symbols(ws: Workspace) -> re.Pattern:
    """The contract's pattern for an official symbol (`sources.source_symbol`): the curated importers keep a cited
    symbol only if it matches, so the importers and the schema never disagree on what a symbol is."""
    return ws.contract.tables["sources"].field("source_symbol").regex


def _reviewed(path: Path) -> dict[tuple[str, str], str]:
    """Library-table items a person has read and decided not to record as drafts (`curation/dhl_reviewed.csv`)."""
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        return {(r["meeting_id"], r["text"]): r["reason"] for r in csv.DictReader(fh)}


def apply_overrides(drafts: list[dict], path, vetoes: list[dict], table=None) -> list[str]:
    """Apply the reviewed corrections in `curation/dhl_overrides.csv` to parsed drafts. With the drafts *table*
    of the contract, an override naming no field of it (a name from before the 1.0.0 renames) is not applied."""
    notes = []
    fields = set(table.field_names) if table is not None else None
    index = {(d["meeting_id"], d["draft_id"]): d for d in drafts}
    veto_by_draft = {v["draft"]: v for v in vetoes}
    with open(path, encoding="utf-8", newline="") as fh:
        for o in csv.DictReader(fh):
            d = index.get((o["meeting_id"], o["draft_id"]))
            if d is None:
                notes.append(f"override not applied (no such draft at that meeting): {o['meeting_id']} {o['draft_id']}")
                continue
            if fields is not None and o["field"] not in fields:
                renamed = table.former_names.get(o["field"])
                notes.append(f"override not applied: drafts has no field {o['field']!r}"
                             + (f" (renamed {renamed!r} in 1.0.0: write that in curation/dhl_overrides.csv)" if renamed else "")
                             + f": {o['meeting_id']} {o['draft_id']}")
                continue
            if o["field"] == "resolution_number":
                n = int(o["value"])
                symbol = f"S/RES/{n} ({d['decision_date'][:4]})"
                d.update(resolution_number=n, resolution=symbol, draft_id=symbol)
            elif o["field"] in ("yes", "no", "abstain", "not_participating"):
                d[o["field"]] = int(o["value"])
            else:
                d[o["field"]] = o["value"]
            if o["field"] == "outcome" and o["value"] == "vetoed" and d["draft_id"] in veto_by_draft:
                d["_vetoers"] = veto_by_draft[d["draft_id"]]["vetoers"]
            d["source_id"] = o["source_id"]
    return notes


def cross_check_wpd(path, by_symbol) -> list[str]:
    """Disagreements between the World Politics Data Lab veto file and the library tables."""
    names = {"USSR": "SUN", "USA": "USA", "UK": "GBR", "France": "FRA", "China": "CHN", "Russia": "RUS"}
    notes = []
    with open(path, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            named = sorted({names.get(r[c].strip(), r[c].strip()) for c in ("member_veto1", "member_veto2", "member_veto3") if r[c].strip()})
            d = by_symbol.get(r["draft"].strip())
            if d is None:
                notes.append(f"WPD veto file: {r['draft']} ({r['date']}) has no draft of that symbol in the library tables")
            elif d["outcome"] == "vetoed" and sorted(d["_vetoers"]) != named:
                notes.append(f"WPD veto file: {r['draft']} vetoed by {named}; library tables say {d['_vetoers']}")
    return notes


def import_curated(ws: Workspace, folder) -> tuple[MergeResult, list[str]]:
    """Votes curated from UN records in the interchange format (see curation/README.md)."""
    from unsc.build.importers import curated

    res = MergeResult()
    rows = curated.read_rows(folder)
    outlets = curated.load_outlets(Path(folder).parent / "outlets.csv")
    tables, notes = curated.build(rows, _memberships_frame(ws), {r["draft_id"]: r for r in ws.rows["drafts"].values()}, outlets, _symbols(ws))
    known = {k[0] for k in ws.rows["drafts"]} | {d["draft_id"] for d in tables["drafts"]}
    orphans = {d["draft_id"] for d in tables["drafts"] if d["amends"] and d["amends"] not in known}
    for o in sorted(orphans):
        notes.append(f"{o}: amends a text not (yet) in the record; left out with its votes")
    tables["drafts"] = [d for d in tables["drafts"] if d["draft_id"] not in orphans]
    tables["votes"] = [v for v in tables["votes"] if v["draft_id"] not in orphans]
    tables["sponsors"] = [v for v in tables["sponsors"] if v["draft_id"] not in orphans]
    ws.merge("sources", _unique(tables["sources"], "source_id"), lambda r: False, res)
    new_meetings = [m for m in _unique(tables["meetings"], "meeting_id") if (m["meeting_id"],) not in ws.rows["meetings"]]
    ws.merge("meetings", new_meetings, lambda r: False, res)
    ws.merge("drafts", _unique(tables["drafts"], "draft_id"), lambda r: False, res)
    # a press release corrects what the library table left out (not participating, procedural)
    ws.merge("drafts", tables.get("draft_updates", []), lambda old: (old.get("source_id") or "").startswith("dhl:"), res)
    # a recorded vote replaces a vote the historical import derived
    ws.merge("votes", tables["votes"], lambda old: old.get("basis") == "derived", res)
    ws.merge("sponsors", tables["sponsors"], lambda r: False, res)
    return res, notes


def _unique(rows: list[dict], key: str) -> list[dict]:
    seen, out = set(), []
    for r in rows:
        if r[key] not in seen:
            seen.add(r[key])
            out.append(r)
    return out


def import_undl(ws: Workspace, path) -> tuple[MergeResult, list[str]]:
    from unsc.build.importers import undl

    res = MergeResult()
    by_res = {r["resolution_number"]: r["draft_id"] for r in ws.rows["drafts"].values() if r.get("resolution_number")}
    votes, sources, notes = undl.rows(path, by_res)
    existing = ws.rows["votes"]
    agree = []
    for v in votes:
        old = existing.get((v["draft_id"], v["state_id"]))
        if old is not None and old["vote"] != v["vote"]:
            notes.append(f"disagreement: {v['draft_id']} {v['state_id']} is {old['vote']} in the record ({old['source_id']}), {v['vote']} in the export; record kept")
            continue
        if old is None or old["basis"] == "derived":
            agree.append(v)
    ws.merge("sources", sources, lambda r: (r.get("source_id") or "").startswith("undl:"), res)
    ws.merge("votes", agree, lambda old: old.get("basis") == "derived" or (old.get("source_id") or "").startswith("undl:"), res)
    return res, notes


def import_positions(ws: Workspace, path) -> tuple[MergeResult, list[str]]:
    from unsc.build.importers import curated

    res = MergeResult()
    tables, notes = curated.build_positions(path, {r["draft_id"]: r for r in ws.rows["drafts"].values()}, _symbols(ws))
    ws.merge("sources", _unique(tables["sources"], "source_id"), lambda r: False, res)
    ws.merge("positions", tables["positions"], lambda r: False, res)
    ws.merge("position_gaps", tables["position_gaps"], lambda r: True, res)
    return res, notes


CONTRIBUTED_TABLES = ["sources", "states", "memberships", "situations", "meetings", "drafts", "votes", "sponsors", "positions", "position_gaps", "exceptions"]


def import_tables(ws: Workspace, folder) -> tuple[MergeResult, list[str]]:
    """Rows contributed by `unsc add`, kept in `curation/tables/<table>.csv` in the record's own columns.

    A contributed row is added; a recorded vote replaces a vote derived from a unanimous tally; any
    other difference from a row the sources already give is a problem the contributor must settle
    (with `unsc new fix`), never a silent overwrite either way.
    """
    res = MergeResult()
    folder = Path(folder)
    for name in CONTRIBUTED_TABLES:
        path = folder / f"{name}.csv"
        if not path.exists():
            continue
        header, rows = canonical.read_rows(path)
        table = ws.contract.tables[name]
        if header != table.field_names:
            old = {o: n for o, n in table.former_names.items() if o in header}
            res.problems.append(f"{path}:1: header is {','.join(header)}; expected {','.join(table.field_names)} (schemas/{name}.json)"
                                + ("; columns renamed in 1.0.0: " + ", ".join(f"{o} -> {n}" for o, n in old.items()) if old else ""))
            continue
        current = ws.rows[name]
        for line, row in enumerate(rows, start=2):
            key = ws.key(name, row)
            old = current.get(key)
            if old is None or (name == "votes" and old.get("basis") == "derived"):
                current[key] = {n: row.get(n) or "" for n in table.field_names}
                res.added[name] = res.added.get(name, 0) + 1
            elif any((old.get(n) or "") != (row.get(n) or "") for n in table.field_names):
                diffs = "; ".join(f"{n}: sources {old.get(n) or ''!r}, curation {row.get(n) or ''!r}"
                                  for n in table.field_names if (old.get(n) or "") != (row.get(n) or ""))
                res.problems.append(f"{path}:{line}: {name} {'/'.join(key)} differs from the row the sources give ({diffs}); "
                                    "correct the record with `unsc new fix`, or delete this row")
    return res, []


ERRATA_COLUMNS = ["date", "table", "key", "field", "old", "new", "reason", "source_id"]


def apply_errata(ws: Workspace, path) -> tuple[MergeResult, list[str]]:
    """Corrections made with `unsc new fix` (`curation/errata.csv`), applied on top of every other step.

    An erratum names the row by its key, the field, the value it corrects and the new one. If the
    record no longer holds the old value the erratum is a problem to review, not applied blindly.
    """
    res, notes = MergeResult(), []
    path = Path(path)
    if not path.exists():
        return res, notes
    header, rows = canonical.read_rows(path)
    if header != ERRATA_COLUMNS:
        res.problems.append(f"{path}:1: header is {','.join(header)}; expected {','.join(ERRATA_COLUMNS)}")
        return res, notes
    for line, e in enumerate(rows, start=2):
        where = f"{path}:{line}"
        table = ws.contract.tables.get(e["table"])
        if table is None:
            res.problems.append(f"{where}: table {e['table']!r} is not in datapackage.json")
            continue
        if e["field"] not in table.field_names:
            renamed = table.former_names.get(e["field"])
            res.problems.append(f"{where}: {e['table']} has no field {e['field']!r}"
                                + (f"; it was renamed {renamed!r} in 1.0.0: write that in the erratum's field" if renamed else ""))
            continue
        key = tuple(e["key"].split("|"))
        row = ws.rows[e["table"]].get(key)
        if row is None:
            res.problems.append(f"{where}: {e['table']} has no row {e['key']!r}; the row was renamed or removed: update or delete the erratum")
            continue
        if (row.get(e["field"]) or "") == e["new"]:
            notes.append(f"{where}: {e['table']} {e['key']} {e['field']} already reads {e['new']!r} in the sources; the erratum can go")
            continue
        if (row.get(e["field"]) or "") != e["old"]:
            res.problems.append(f"{where}: {e['table']} {e['key']} {e['field']} is {row.get(e['field'])!r}, the erratum corrects {e['old']!r}; review it")
            continue
        new = {**row, e["field"]: e["new"]}
        if e["field"] in table.primary_key:
            del ws.rows[e["table"]][key]
        ws.rows[e["table"]][ws.key(e["table"], new)] = new
        res.updated[e["table"]] = res.updated.get(e["table"], 0) + 1
    return res, notes


def fill_draft_symbols(ws: Workspace) -> tuple[MergeResult, list[str]]:
    """`drafts.draft_symbol`: the draft's own document symbol wherever the record has it, so the record joins
    with datasets keyed by `S/yyyy/nnn`. A draft keyed by its document symbol carries it; a resolution keyed by
    its resolution symbol keeps it empty until a source gives it (never inferred from the resolution)."""
    res = MergeResult()
    for row in ws.rows["drafts"].values():
        if with_draft_symbol(row) is not row:
            row["draft_symbol"] = row["draft_id"]
            res.updated["drafts"] = res.updated.get("drafts", 0) + 1
    return res, []


def with_draft_symbol(row: dict) -> dict:
    """The drafts row with `draft_symbol` filled where its key is the document symbol (a new dict), else the row."""
    if row.get("id_kind") == "document_symbol" and not row.get("draft_symbol"):
        return {**row, "draft_symbol": row["draft_id"]}
    return row


def code_situations(ws: Workspace, curation: Path) -> tuple[MergeResult, list[str]]:
    """`situations` from `curation/situations.csv`, and `situation_id` on every meeting and draft from the reviewed
    agenda mapping and per-draft decisions (`unsc.build.situations`). A topic or draft left uncoded stops the build."""
    from unsc.build import situations as coding

    res = MergeResult()
    vocabulary = _curated_rows(curation / "situations.csv")
    agenda = _curated_rows(curation / "situation_agenda.csv")
    overrides = _curated_rows(curation / "situation_drafts.csv")
    if not vocabulary:  # a package without the vocabulary (a test package) keeps the situations its rows carry
        return res, []
    ws.merge("situations", vocabulary, lambda r: True, res)
    meetings = list(ws.rows["meetings"].values())
    drafts = list(ws.rows["drafts"].values())
    # a situation given on a contributed row (`unsc add`) is a decision for that row; the rest are coded
    preset = {m["meeting_id"]: m["situation_id"] for m in meetings if m.get("situation_id")}
    overridden = {o["draft_id"] for o in overrides}
    for d in drafts:
        if not d.get("situation_id") and d.get("meeting_id") in preset and d["draft_id"] not in overridden:
            d["situation_id"] = preset[d["meeting_id"]]
    to_code = [m for m in meetings if not m.get("situation_id")]
    by_meeting, problems = coding.meeting_situations(to_code, agenda, vocabulary)
    by_draft, more = coding.code_situations(meetings, [d for d in drafts if not d.get("situation_id")], agenda, overrides, vocabulary)
    res.problems += problems + [p for p in more if p not in problems]
    for m in to_code:
        m["situation_id"] = by_meeting.get(m["meeting_id"], "")
    for d in drafts:
        d["situation_id"] = d.get("situation_id") or by_draft.get(d["draft_id"], "")
    return res, []


def import_extra_sponsors(ws: Workspace, path: Path) -> tuple[MergeResult, list[str]]:
    """Sponsors read in a record beyond those the curated votes name (`curation/sponsors_extra.csv`), each with
    its source; the outlet policy applies as to every curated row."""
    from unsc.build.importers import curated

    res, notes = MergeResult(), []
    outlets = curated.load_outlets(path.parent / "outlets.csv")
    sponsors, sources = [], []
    for line, r in enumerate(_curated_rows(path), start=2):
        if (r["draft_id"],) not in ws.rows["drafts"]:
            res.problems.append(f"{path}:{line}: draft {r['draft_id']!r} is not in the record; fix the id or remove the row")
            continue
        src = curated.source_row({**r, "note": ""}, _symbols(ws))
        if src is None or (why := curated.outlet_refusal(r, outlets)) is not None:
            res.problems.append(f"{path}:{line}: {'no usable source' if src is None else why}; re-source the row")
            continue
        sources.append(src)
        sponsors.append({"draft_id": r["draft_id"], "state_id": r["state_id"], "role": r["role"], "source_id": src["source_id"]})
    ws.merge("sources", _unique(sources, "source_id"), lambda r: False, res)
    ws.merge("sponsors", sponsors, lambda r: False, res)
    notes += [f"{path.name}: {c.line()}" for c in res.conflicts]
    return res, notes


def _curated_rows(path: Path) -> list[dict]:
    """Rows of a curation CSV (strict: a BOM or a ragged row is an error, as everywhere), [] if absent."""
    return canonical.read_rows(path)[1] if Path(path).exists() else []
