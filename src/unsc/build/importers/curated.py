"""`unsc import curated DIR`: votes curated from UN press releases, in the curation interchange format.

Each CSV in DIR has one row per vote taken (see `curation/README.md`). A row becomes a meeting,
a draft, per-member votes and sponsors, all citing the row's source. Members not named as
against, abstaining or not participating are recorded as yes only when the named ones and the
sitting members add up to the announced tally; otherwise the vote stays partial and is listed.
"""
from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from unsc.domain import council, hosts, vocab

# where the text was read, when not at source_url, and the kind of that copy (schemas/sources.json `read_at`,
# `copy_kind`); optional in a file that predates them
COPY_COLUMNS = ["read_url", "copy_kind"]
# the columns of curation/votes/*.csv, in the order of curation/schemas/vote_rows.json (a test keeps them equal)
COLUMNS = ["meeting_id", "date", "topic", "draft_id", "draft_kind", "amends", "outcome", "resolution_number", "yes", "no", "abstain",
           "not_participating_count", "against", "abstaining", "not_participating", "in_favour_listed", "sponsors", "penholder",
           "source_symbol", "source_url", "source_kind", "source_title", "source_date", "note"] + COPY_COLUMNS
DOC_SYMBOL = re.compile(r"^S/(?:[0-9]{4}/)?[0-9]+(?:/(?:Rev|Add|Corr)\.[0-9]+)*$")
MEETING = re.compile(r"^S/PV\.[1-9][0-9]*$")


def read_rows(folder: str | Path) -> list[dict]:
    rows = []
    for path in sorted(Path(folder).glob("*.csv")):
        for i, r in curation_rows(path, COLUMNS + COPY_COLUMNS):
            r["_where"] = f"{path.name}:{i}"
            rows.append(r)
    return rows


def source_row(r: dict, symbols: re.Pattern) -> dict | None:
    """The `sources` row a curation row cites; *symbols* is the contract's pattern for `sources.source_symbol`.

    `source_url` is the canonical address; an optional `read_url` is where the text was actually read
    and `copy_kind` the kind of that copy (else derived from the kind and the host read)."""
    kind = r["source_kind"]
    if kind not in vocab.CURATED_SOURCE_KINDS or not (r["source_symbol"] or r["source_url"]):
        return None
    symbol = r["source_symbol"] if symbols.match(r["source_symbol"]) else ""
    if symbol and kind in vocab.FULL_RECORD:
        sid = symbol
    else:
        host = (urlparse(r["source_url"]).hostname or "web").removeprefix("www.")
        prefix = {"secondary": "secondary", "member_statement": "member"}.get(kind, "web")
        sid = f"{prefix}:{host}-{hashlib.sha1(r['source_url'].encode()).hexdigest()[:8]}"
    url = r["source_url"] if r["source_url"].startswith("http") else ""
    read_at = r.get("read_url", "")
    read_at = read_at if read_at.startswith("http") and read_at != url else ""
    note = "" if symbol or kind in ("secondary", "member_statement") else "A copy of a UN record read at this address; the official symbol was not visible."
    return {"source_id": sid, "source_kind": kind, "source_symbol": symbol, "source_url": url, "read_at": read_at,
            "copy_kind": hosts.copy_kind(kind, url, read_at, r.get("copy_kind", "")),
            "source_title": re.sub(r"\s+", " ", r["source_title"] or r["source_url"] or symbol)[:300].strip(),
            "source_date": r["source_date"] if re.match(r"^\d{4}-\d{2}-\d{2}$", r["source_date"]) else "",
            "publisher": "United Nations" if kind not in ("secondary", "member_statement") else (urlparse(r["source_url"]).hostname or "").removeprefix("www."),
            "source_note": note}


def load_outlets(path: Path) -> dict[str, dict]:
    """The reviewed list of non-UN outlets (`curation/outlets.csv`): host -> verdict, kind, reason."""
    return hosts.load_outlets(path)


def outlet_refusal(r: dict, outlets: dict[str, dict]) -> str | None:
    """Why a row's source is not taken, or None: secondary reports must come from an outlet reviewed as
    reputable, a member's statement from a government site, and a copy of a UN record read off a UN host
    (`read_url`, or a non-UN `source_url`) from an outlet reviewed as accepted."""
    read = r.get("read_url") or r["source_url"]
    if r["source_kind"] in hosts.UN_RECORD_KINDS:
        host = hosts.host_of(read)
        if not host or hosts.is_un_host(host):
            return None
        o = outlets.get(host)
        if o is None or o["verdict"] != "accepted":
            return (f"{host} is {'refused' if o else 'not reviewed'} in curation/outlets.csv, so its copy of a UN record is not taken; "
                    "re-source to the UN page")
        return None
    if r["source_kind"] not in ("secondary", "member_statement"):
        return None
    host = hosts.host_of(r["source_url"])
    o = outlets.get(host)
    if o is None:
        return f"{host or 'no address'} is not in curation/outlets.csv; review the outlet and list it"
    if o["verdict"] != "accepted":
        return f"{host} is refused in curation/outlets.csv ({o['reason']})"
    if r["source_kind"] == "member_statement" and o["kind"] != "government":
        return f"{host} is not a government site, so not a member's statement; cite it as secondary"
    return None


def codes(text: str) -> list[str]:
    return [c for c in text.split() if re.match(r"^[A-Z]{3}$", c)]


def _int(v: str):
    return int(v) if re.match(r"^\d+$", v or "") else None


def build(rows: list[dict], memberships: pd.DataFrame, existing_drafts: dict[str, dict], outlets: dict[str, dict], symbols: re.Pattern) -> tuple[dict[str, list[dict]], list[str]]:
    """Turn interchange rows into table rows; return them and the notes on what stayed partial."""
    out = {"sources": [], "meetings": [], "drafts": [], "votes": [], "sponsors": []}
    notes = []
    by_res = {d.get("resolution_number"): d for d in existing_drafts.values() if d.get("resolution_number")}
    by_tally: dict[tuple, list[dict]] = {}
    for d in existing_drafts.values():
        by_tally.setdefault((d["decision_date"], d["draft_kind"], d["outcome"], d.get("yes", ""), d.get("no", ""), d.get("abstain", "")), []).append(d)
    synthetic_count: dict[tuple, int] = {}
    sitting_on = council.sitting_ids(memberships)
    seen_votes: dict[tuple, str] = {}
    # rows that name their draft or meeting first, so a row naming neither finds the same vote already built
    for r in sorted(rows, key=lambda r: not (DOC_SYMBOL.match(r["draft_id"]) or MEETING.match(r["meeting_id"]) or r["resolution_number"])):
        src = source_row(r, symbols)
        where = r["_where"]
        if src is None:
            notes.append(f"{where}: no usable source; nothing taken ({r['note'][:120]})")
            continue
        if "WEAK SOURCE" in r["note"] or re.search(r"wiki", urlparse(r["source_url"]).hostname or "", re.I):
            notes.append(f"{where}: rests on an encyclopedia or its copy, not a reputable report; left partial ({r['resolution_number'] or r['draft_id']})")
            continue
        if (why := outlet_refusal(r, outlets or {})) is not None:
            notes.append(f"{where}: {why}; not taken ({r['resolution_number'] or r['draft_id'] or r['date']})")
            continue
        yes, no, abstain = _int(r["yes"]), _int(r["no"]), _int(r["abstain"])
        if None in (yes, no, abstain):
            yes = no = abstain = None  # a tally is stated whole or not at all
        npc = _int(r["not_participating_count"]) or 0
        resno = _int(r["resolution_number"])
        existing = None
        if resno and str(resno) in by_res:
            existing = by_res[str(resno)]
        elif r["draft_id"] in existing_drafts:
            existing = existing_drafts[r["draft_id"]]
        elif not resno and not r["draft_id"] and not MEETING.match(r["meeting_id"]) and len(by_tally.get(tally_key := (r["date"], r["draft_kind"] or "draft_resolution", r["outcome"], r["yes"], r["no"], r["abstain"]), [])) == 1:
            existing = by_tally[tally_key][0]  # the one text of that kind voted that day with that tally
        if existing is not None:
            draft_id, date = existing["draft_id"], existing["decision_date"]
            if yes is not None and existing.get("yes") not in ("", None) and (int(existing["yes"]), int(existing["no"]), int(existing["abstain"])) != (yes, no, abstain):
                notes.append(f"{where}: tally {yes}-{no}-{abstain} disagrees with the record's {existing['yes']}-{existing['no']}-{existing['abstain']} for {draft_id}; votes left partial")
                continue
            update = {}
            from_library = (existing.get("source_id") or "").startswith("dhl:")
            if yes is not None and (str(npc) != (existing.get("not_participating") or "0") or (from_library and npc)):
                update["not_participating"] = str(npc)
            if r["draft_kind"] == "procedural" and (existing.get("draft_kind") != "procedural" or from_library):
                update["draft_kind"] = "procedural"
            if update:
                # the corrected row now rests on the curated source, so re-running the library import leaves it alone
                out.setdefault("draft_updates", []).append({**existing, **update, "source_id": src["source_id"]})
                notes.append(f"{where}: {draft_id}: {', '.join(f'{k}={v}' for k, v in update.items())} per {src['source_id']} (the library table did not say)")
        else:
            date = r["date"]
            has_date = bool(re.match(r"^\d{4}-\d{2}-\d{2}$", date))
            what = f"resolution {resno}" if resno else (r["draft_id"] or r["outcome"])
            if not has_date:
                notes.append(f"{where}: no confirmed date; left out ({what})")
                continue
            if not MEETING.match(r["meeting_id"]):
                notes.append(f"{where}: meeting record number not confirmed; {what} recorded without its meeting")
            kind = r["draft_kind"] or "draft_resolution"
            if resno:
                draft_id, id_kind = f"S/RES/{resno} ({date[:4]})", "resolution_symbol"
                if DOC_SYMBOL.match(r["draft_id"]):
                    draft_id, id_kind = r["draft_id"], "document_symbol"
            elif DOC_SYMBOL.match(r["draft_id"]):
                draft_id, id_kind = r["draft_id"], "document_symbol"
            else:
                label = {"amendment": "amendment", "procedural": "procedural"}.get(kind, "draft")
                if r["outcome"] in vocab.ADOPTED and kind == "draft_resolution":
                    notes.append(f"{where}: an adopted text whose resolution number is not confirmed; left out")
                    continue
                anchor = r["meeting_id"] if MEETING.match(r["meeting_id"]) else f"vote:{date}"
                # the same vote reported in another curation file (rows of one file are distinct texts)
                fingerprint = (anchor, kind, r["outcome"], r["yes"], r["no"], r["abstain"])
                first = seen_votes.get(fingerprint)
                if first is not None and first.split(":")[0] != where.split(":")[0]:
                    notes.append(f"{where}: the same vote as {first}; not added twice")
                    continue
                n = synthetic_count.get((anchor, label), 0) + 1
                synthetic_count[(anchor, label)] = n
                draft_id = f"{anchor}-{label}-{n}"
                id_kind = "meeting_synthetic" if anchor.startswith("S/PV.") else "date_synthetic"
                seen_votes.setdefault(fingerprint, where)
                if id_kind == "date_synthetic":
                    notes.append(f"{where}: neither symbol nor meeting number known; recorded as {draft_id}")
            amends = r["amends"]
            if kind == "amendment" and not amends:
                same = [x for x in rows if MEETING.match(r["meeting_id"]) and x["meeting_id"] == r["meeting_id"] and x is not r and (x["draft_kind"] or "draft_resolution") == "draft_resolution"]
                if len(same) == 1:
                    o = same[0]
                    amends = o["draft_id"] if DOC_SYMBOL.match(o["draft_id"]) else (f"S/RES/{o['resolution_number']} ({o['date'][:4]})" if o["resolution_number"] else "")
            if kind == "amendment" and not amends:
                notes.append(f"{where}: amendment whose target draft is not known; left out")
                continue
            no_vote = r["outcome"] in vocab.NO_VOTE
            if not no_vote and yes is None:
                notes.append(f"{where}: no tally for {draft_id}; draft kept without tally")
            topic = re.sub(r"\s*\((?:agenda|assumed|title)[^)]*\)", "", r["topic"]).strip()
            if MEETING.match(r["meeting_id"]):
                out["meetings"].append({"meeting_id": r["meeting_id"], "meeting_number": r["meeting_id"].split(".")[1], "meeting_date": date, "meeting_kind": "meeting",
                                    "topic": topic or "Not recorded",
                                    "press_release": src["source_symbol"] if src["source_symbol"].startswith("SC/") else "", "source_id": src["source_id"]})
            has_meeting = bool(MEETING.match(r["meeting_id"]))
            new = {"draft_id": draft_id, "id_kind": id_kind, "meeting_id": r["meeting_id"] if has_meeting else "", "decision_date": date, "draft_kind": kind,
                                  "draft_title": "" if has_meeting else topic,
                                  "amends": amends if kind == "amendment" else "", "outcome": r["outcome"],
                                  "resolution": f"S/RES/{resno} ({date[:4]})" if resno else "", "resolution_number": resno or "",
                                  "yes": "" if no_vote or yes is None else yes, "no": "" if no_vote or yes is None else no,
                                  "abstain": "" if no_vote or yes is None else abstain, "not_participating": "" if no_vote or yes is None else npc,
                                  "tally_basis": "" if no_vote or yes is None else "announced", "source_id": src["source_id"]}
            out["drafts"].append(new)
            if new["yes"] != "" or new["outcome"] in vocab.FAILED:
                by_tally.setdefault((date, kind, new["outcome"], str(new["yes"]), str(new["no"]), str(new["abstain"])), []).append(new)
        out["sources"].append(src)
        # per-member votes
        if yes is None or r["outcome"] == "adopted_without_vote":
            continue
        tally = {"yes": yes, "no": no or 0, "abstain": abstain or 0, "not_participating": npc}
        named = {"yes": codes(r["in_favour_listed"]), "no": codes(r["against"]), "abstain": codes(r["abstaining"]), "not_participating": codes(r["not_participating"])}
        sitting = set(sitting_on(date))
        everyone = set(sum(named.values(), []))
        # the one category the source does not list is the rest of the members sitting that day
        unlisted = [v for v in tally if len(named[v]) != tally[v]]
        if len(unlisted) == 1 and not named[unlisted[0]]:
            named[unlisted[0]] = sorted(sitting - everyone)
        ok = all(len(named[v]) == tally[v] for v in tally) and set(sum(named.values(), [])) == sitting and len(everyone | set(named[unlisted[0]] if len(unlisted) == 1 else [])) == sum(tally.values())
        if not ok:
            counts = " / ".join(f"{len(named[v])} {v}" for v in tally)
            notes.append(f"{where}: {draft_id}: the source names {counts} for a tally of {yes}-{no}-{abstain}-{npc} and {len(sitting)} members sat on {date}; votes left partial")
            continue
        for vote, members in named.items():
            out["votes"] += [{"draft_id": draft_id, "state_id": s, "vote": vote, "basis": "recorded", "source_id": src["source_id"]} for s in members]
        for role, members in (("penholder", codes(r["penholder"])), ("sponsor", codes(r["sponsors"]))):
            for s in members:
                if role == "sponsor" and s in codes(r["penholder"]):
                    continue
                out["sponsors"].append({"draft_id": draft_id, "state_id": s, "role": role, "source_id": src["source_id"]})
    return out, notes


POSITION_COLUMNS = ["draft_id", "meeting_id", "date", "state_id", "timing", "summary", "themes",
                    "source_symbol", "source_url", "source_kind", "source_title", "source_date"] + COPY_COLUMNS
# `curation_log` (what was searched, pass by pass) stays in curation/: only `note` is published (as `gap_note`)
GAP_COLUMNS = ["draft_id", "state_id", "reason", "source_symbol", "source_url", "source_kind", "source_title", "source_date", "note"] + COPY_COLUMNS


def build_positions(folder: str | Path, drafts: dict[str, dict], symbols: re.Pattern) -> tuple[dict[str, list[dict]], list[str]]:
    """Explanations of vote (`positions.csv`) and the reasons some are missing (`gaps.csv`) in FOLDER.

    A position row naming no draft is linked only when exactly one draft was voted on that day.
    """
    folder = Path(folder)
    by_date: dict[str, list[dict]] = {}
    for d in drafts.values():
        if d.get("draft_kind") == "draft_resolution":
            by_date.setdefault(d["decision_date"], []).append(d)
    out, notes = {"sources": [], "positions": [], "position_gaps": []}, []
    outlets = load_outlets(folder.parent / "outlets.csv")
    for i, r in curation_rows(folder / "positions.csv", POSITION_COLUMNS):
        where = f"positions.csv:{i}"
        if (why := outlet_refusal(r, outlets)) is not None:
            notes.append(f"{where}: {r['state_id']} on {r['date']}: {why}; left out")
            continue
        draft = drafts.get(r["draft_id"]) or (by_date.get(r["date"], [None])[0] if len(by_date.get(r["date"], [])) == 1 else None)
        if draft is None:
            notes.append(f"{where}: {r['state_id']} on {r['date']}: the draft is not identified or not in the record; left out")
            continue
        if re.search(r"[\"“”]", r["summary"]):
            notes.append(f"{where}: summary contains quotation marks; summaries must be in our own words; left out")
            continue
        src = source_row({**r, "note": ""}, symbols)
        if src is None:
            notes.append(f"{where}: no usable source; left out")
            continue
        out["sources"].append(src)
        out["positions"].append({"draft_id": draft["draft_id"], "state_id": r["state_id"], "meeting_id": draft.get("meeting_id", ""),
                                 "timing": r["timing"], "summary": re.sub(r"\s+", " ", r["summary"]), "themes": " ".join(r["themes"].split()),
                                 "source_id": src["source_id"]})
    spoke = {(p["draft_id"], p["state_id"]) for p in out["positions"]}
    for i, r in curation_rows(folder / "gaps.csv", GAP_COLUMNS):
        where = f"gaps.csv:{i}"
        if r["draft_id"] not in drafts:
            notes.append(f"{where}: {r['draft_id']} is not in the record; left out")
            continue
        if (r["draft_id"], r["state_id"]) in spoke:
            notes.append(f"{where}: {r['draft_id']}/{r['state_id']} has a position row; the gap is left out")
            continue
        src = source_row({**r, "note": ""}, symbols) if (r["source_symbol"] or r["source_url"]) else None
        if src and (why := outlet_refusal(r, outlets)) is not None:
            notes.append(f"{where}: {why}; the gap is kept without a source")
            src = None
        if src:
            out["sources"].append(src)
        out["position_gaps"].append({"draft_id": r["draft_id"], "state_id": r["state_id"], "gap_reason": r["reason"],
                                     "source_id": src["source_id"] if src else "", "gap_note": re.sub(r"\s+", " ", r["note"])})
    return out, notes


def curation_rows(path: Path, columns: list[str]):
    """(line number, stripped row) for each row of a curation CSV; nothing if the file is absent.

    Read strictly (`canonical.read_rows`): a byte-order mark, bad bytes or a ragged row stop the build with
    the file and line, instead of shifting the first column's values into the wrong field."""
    if not path.exists():
        return
    from unsc.contract import canonical

    _, rows = canonical.read_rows(path)
    for i, r in enumerate(rows, start=2):
        yield i, {k: (r.get(k) or "").strip() for k in columns}
