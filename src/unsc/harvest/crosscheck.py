"""`unsc crosscheck undl FILE`: the record against a user's copy of the library's voting export.

The export ("Security Council voting data", adopted resolutions only, one row per member and
resolution: undl_id, ms_code, ms_name, ms_vote, date, resolution, ..., total_yes, total_no,
total_abstentions, total_non_voting, modality, undl_link) is published for non-commercial use,
so it is never copied into the record; this command only compares. Every disagreement is printed
with both values: a resolution the record lacks, another date, another tally, another member vote.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

RES = re.compile(r"^S/RES/(\d+)\s*\((\d{4})\)$")
VOTE = {"Y": "yes", "N": "no", "A": "abstain"}
REQUIRED = ("ms_code", "ms_vote", "date", "resolution", "total_yes", "total_no", "total_abstentions")


class ExportError(Exception):
    pass


@dataclass
class Disagreement:
    resolution: str
    what: str
    export: str
    record: str

    def line(self) -> str:
        return f"{self.resolution}: {self.what}: export {self.export!r}, record {self.record!r}"


def _int(v: str):
    v = (v or "").strip()
    return int(float(v)) if re.match(r"^\d+(?:\.0+)?$", v) else None


def read_export(path: Path) -> dict[str, dict]:
    """resolution number -> {date, tally, votes{state: vote}, line}"""
    try:
        fh = open(path, encoding="utf-8-sig", newline="")
    except OSError as e:
        raise ExportError(f"{path}: cannot be read ({e.strerror}); give the path of the CSV you downloaded from the Digital Library") from None
    with fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ExportError(f"{path}: not the library's voting export: column(s) {', '.join(missing)} missing "
                              f"(header is {','.join(reader.fieldnames or [])!r}); download the 'Security Council voting data' CSV")
        out: dict[str, dict] = {}
        for i, r in enumerate(reader, start=2):
            m = RES.match((r["resolution"] or "").strip())
            if not m:
                raise ExportError(f"{path}: line {i}: resolution {r['resolution']!r} is not of the form S/RES/n(yyyy); correct or remove that line")
            e = out.setdefault(m.group(1), {"symbol": f"S/RES/{m.group(1)} ({m.group(2)})", "date": r["date"].strip()[:10], "line": i,
                                            "tally": (_int(r["total_yes"]), _int(r["total_no"]), _int(r["total_abstentions"])),
                                            "modality": (r.get("modality") or "Vote").strip(), "votes": {}})
            vote = VOTE.get((r["ms_vote"] or "").strip().upper())
            e["votes"][r["ms_code"].strip()] = vote or "non_voting"
    return out


def compare(root: Path, export: dict[str, dict]) -> list[Disagreement]:
    def read(t):
        with open(root / "data" / f"{t}.csv", encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    drafts = {d["resolution_number"]: d for d in read("drafts") if d["resolution_number"]}
    votes: dict[str, dict[str, str]] = {}
    for v in read("votes"):
        votes.setdefault(v["draft_id"], {})[v["state_id"]] = v["vote"]
    out = []
    for n in sorted(export, key=int):
        e = export[n]
        sym = e["symbol"]
        d = drafts.get(n)
        if d is None:
            out.append(Disagreement(sym, "missing resolution", f"{e['date']} {'-'.join(str(x) for x in e['tally'])}", "not in the record"))
            continue
        if e["date"] and e["date"] != d["decision_date"]:
            out.append(Disagreement(sym, "date", e["date"], d["decision_date"]))
        if e["modality"] != "Vote":
            continue  # adopted without a vote: the export's rows are not votes
        rec_tally = tuple(_int(d[k]) for k in ("yes", "no", "abstain"))
        if None not in e["tally"] and e["tally"] != rec_tally:
            out.append(Disagreement(sym, "tally", "-".join(map(str, e["tally"])), "-".join("" if x is None else str(x) for x in rec_tally)))
        rv = votes.get(d["draft_id"], {})
        for state in sorted(set(e["votes"]) | set(rv)):
            ev, vv = e["votes"].get(state), rv.get(state)
            if ev == "non_voting" and vv in (None, "not_participating", "absent"):
                continue
            if ev is None or vv is None:
                if rv and e["votes"]:
                    out.append(Disagreement(sym, f"vote of {state}", ev or "no row", vv or "no row"))
                continue
            if ev != vv:
                out.append(Disagreement(sym, f"vote of {state}", ev, vv))
    return out
