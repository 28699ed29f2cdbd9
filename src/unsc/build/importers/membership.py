"""`unsc import membership PATH`: Council terms with real dates.

The DPPA list gives (year, member) only; consecutive years become one term, then the curated
overrides in `curation/membership_overrides.csv` fill what a yearly list loses: empty names,
China's seat in 1971, the USSR and the Russian Federation in 1991, Yemen in 1990, a seat
still unfilled on 1 January, and the terms after the list ends.
"""
from __future__ import annotations

import csv
from pathlib import Path

SOURCE_ID = "dataset:dppa-sc-membership"
SOURCES = [
    {"source_id": SOURCE_ID, "source_kind": "dataset", "source_url": "https://dppa.un.org/en/peace-and-security-data-hub",
     "source_title": "Security Council membership by year (DPPA-SCMEMBERSHIP)", "publisher": "UN Department of Political and Peacebuilding Affairs, Peace and Security Data Hub",
     "source_note": "Calendar-year granularity only; one empty member name per affected year; 'China' names both governments."},
]

# DPPA spellings that are not the UN short names in `states`.
ALIASES = {
    "USSR (Union of Soviet Socialist Republics)": "SUN",
    "German DR (German Democratic Republic)": "DDR",
    "German FR (German Federal Republic)": "DEU",
    "Ukrainian SSR (Ukrainian Soviet Socialist Republic)": "UKR",
    "United Arab Republic": "EGY",
    "Czechoslovakia": "CSK",
    "Yugoslavia": "YUG",
    "China": "CHN",
    "Yemen": "YEM",
}
PERMANENT = {"CHN", "TWN", "FRA", "SUN", "RUS", "GBR", "USA"}
EASTERN = {"ALB", "ARM", "AZE", "BLR", "BIH", "BGR", "HRV", "CZE", "CSK", "EST", "GEO", "HUN", "LVA", "LTU", "MNE", "POL", "MDA", "ROU", "RUS", "SUN", "SRB", "SVK", "SVN", "MKD", "UKR", "YUG", "DDR", "SCG"}
WEOG = {"AND", "AUS", "AUT", "BEL", "CAN", "DNK", "FIN", "FRA", "DEU", "GRC", "ISL", "IRL", "ISR", "ITA", "LIE", "LUX", "MLT", "MCO", "NLD", "NZL", "NOR", "PRT", "SMR", "ESP", "SWE", "CHE", "TUR", "GBR", "USA"}
REGION_GROUP = {"Africa": "African States", "Asia": "Asia-Pacific States", "Oceania": "Asia-Pacific States", "Americas": "Latin American and Caribbean States", "Europe": "Western European and other States"}


def regional_group(state_id: str, region: str) -> str:
    """UN regional group of an elected member (used from 1966, when seats were allotted by group)."""
    if state_id in EASTERN:
        return "Eastern European States"
    if state_id in WEOG:
        return "Western European and other States"
    if state_id == "CYP":
        return "Asia-Pacific States"
    return REGION_GROUP.get(region, "")


def name_index(states: list[dict]) -> dict[str, str]:
    idx = {s["state_name"]: s["state_id"] for s in states}
    idx.update(ALIASES)
    return idx


def year_rows(path: str | Path, names: dict[str, str]) -> tuple[dict[tuple[str, int], str], list[str]]:
    """{(state_id, year): seat} from the DPPA file, and the names that could not be mapped."""
    years, unknown = {}, []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            name, year = r["security_council_member"].strip(), int(r["year"])
            if not name:
                continue  # filled from the overrides
            sid = names.get(name)
            if sid is None:
                unknown.append(name)
                continue
            years[(sid, year)] = "permanent" if sid in PERMANENT else "elected"
    return years, unknown


def terms_from_years(years: dict[tuple[str, int], str]) -> list[dict]:
    """Merge consecutive years of a state into terms; elected terms stop at two years."""
    out = []
    by_state: dict[str, list[int]] = {}
    for (sid, year) in years:
        by_state.setdefault(sid, []).append(year)
    for sid, ys in by_state.items():
        ys.sort()
        run = [ys[0]]
        for y in ys[1:] + [None]:
            if y is not None and y == run[-1] + 1 and (years[(sid, y)] == "permanent" or len(run) < 2):
                run.append(y)
                continue
            out.append({"state_id": sid, "seat": years[(sid, run[0])], "start_date": f"{run[0]}-01-01", "end_date": f"{run[-1]}-12-31"})
            if y is not None:
                run = [y]
    return out


def _overlaps(a: dict, b: dict) -> bool:
    a_end, b_end = a["end_date"] or "9999-12-31", b["end_date"] or "9999-12-31"
    return a["state_id"] == b["state_id"] and a["start_date"] <= b_end and b["start_date"] <= a_end


def rows(path: str | Path, states: list[dict], overrides_path: str | Path, regions: dict[str, str] | None = None) -> tuple[list[dict], list[str]]:
    names = name_index(states)
    years, unknown = year_rows(path, names)
    with open(overrides_path, encoding="utf-8", newline="") as fh:
        overrides = list(csv.DictReader(fh))
    fills = {(o["state_id"], int(o["year"])): o for o in overrides if o["op"] == "name"}
    for (sid, year) in fills:
        years[(sid, year)] = "elected"
    last_year = max(y for _, y in years)
    terms = terms_from_years(years)
    for t in terms:
        t["source_id"] = SOURCE_ID
        t["membership_note"] = ""
        if t["start_date"].startswith("1946-"):
            t["start_date"] = "1946-01-17"
        if t["seat"] == "permanent" and t["end_date"].startswith(f"{last_year}-"):
            t["end_date"] = ""
        filled = [fills[(t["state_id"], int(t["start_date"][:4]))]] if (t["state_id"], int(t["start_date"][:4])) in fills else []
        if filled:
            t["membership_note"], t["source_id"] = filled[0]["note"], filled[0]["source_id"]
    # an override's columns are the record's, but for its `note` (published as membership_note)
    curated = [
        {"state_id": o["state_id"], "seat": o["seat"], "start_date": o["start_date"], "end_date": o["end_date"],
         "regional_group": o["regional_group"], "membership_note": o["note"], "source_id": o["source_id"]}
        for o in overrides if o["op"] == "term"
    ]
    terms = [t for t in terms if not any(_overlaps(t, c) for c in curated)] + curated
    regions = regions or {}
    for t in terms:
        if t["seat"] == "elected" and t["start_date"] >= "1966-01-01" and not t.get("regional_group"):
            t["regional_group"] = regional_group(t["state_id"], regions.get(t["state_id"], ""))
        t.setdefault("regional_group", "")
    return terms, sorted(set(unknown))
