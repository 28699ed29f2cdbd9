"""`unsc import undl PATH`: the UN Digital Library "Security Council voting data" export.

Not run on the shipped record (the export is not here, and its terms are non-commercial): it lets
a user who has the file fill per-member votes of adopted resolutions on their own machine. A vote
that agrees with a derived one upgrades it to recorded; one that disagrees is reported, never
written over the record.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

VOTE = {"Y": "yes", "N": "no", "A": "abstain"}
RES = re.compile(r"^S/RES/(\d+)\s*\((\d{4})\)$")


def rows(path: str | Path, drafts_by_resolution: dict[str, str]) -> tuple[list[dict], list[dict], list[str]]:
    """(votes, sources, notes) from the export at *path*; *drafts_by_resolution* maps resolution numbers to draft_id."""
    votes, sources, notes, seen = [], {}, [], set()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for i, r in enumerate(csv.DictReader(fh), start=2):
            m = RES.match((r.get("resolution") or "").strip())
            if not m:
                notes.append(f"line {i}: resolution {r.get('resolution')!r} not understood; skipped")
                continue
            if (r.get("modality") or "Vote") != "Vote":
                key = ("modality", m.group(1))
                if key not in seen:
                    seen.add(key)
                    notes.append(f"resolution {m.group(1)}: adopted by {r['modality']}; the export's all-Y rows are not votes, skipped")
                continue
            draft_id = drafts_by_resolution.get(m.group(1))
            if draft_id is None:
                if ("missing", m.group(1)) not in seen:
                    seen.add(("missing", m.group(1)))
                    notes.append(f"resolution {m.group(1)} ({m.group(2)}) is not in the record; its votes were skipped")
                continue
            vote = VOTE.get((r.get("ms_vote") or "").strip())
            if vote is None:
                notes.append(f"line {i}: {r.get('ms_code')} on resolution {m.group(1)} is {r.get('ms_vote')!r} (non-voting: absent or not participating cannot be told apart); left out")
                continue
            sid = f"undl:{r['undl_id']}"
            sources[sid] = {"source_id": sid, "source_kind": "dataset", "source_url": r.get("undl_link", ""),
                            "source_title": r.get("description") or f"UN Digital Library voting record {r['undl_id']}",
                            "publisher": "UN Digital Library", "source_date": r.get("date", ""),
                            "source_note": "Security Council voting data export; non-commercial use with attribution."}
            votes.append({"draft_id": draft_id, "state_id": r["ms_code"].strip(), "vote": vote, "basis": "recorded", "source_id": sid})
    return votes, list(sources.values()), notes
