"""`unsc import states PATH`: UN member and observer states from the datasets/country-codes file,
plus the states that no longer exist, with Correlates of War codes."""
from __future__ import annotations

import csv
import json
import re
from importlib import resources
from pathlib import Path

SOURCE_ID = "dataset:country-codes"
HISTORY_SOURCE = "un:growth-in-membership"
COW_SOURCE = "dataset:cow-state-system"

SOURCES = [
    {"source_id": SOURCE_ID, "source_kind": "dataset", "source_url": "https://github.com/datasets/country-codes",
     "source_title": "Comprehensive country codes: ISO 3166, ITU, ISO 4217 currency codes and many more (UNTERM names, M49)",
     "publisher": "datasets/country-codes (Open Knowledge), from UN Statistics Division and UNTERM", "source_note": "ODC-PDDL-1.0. Current states only."},
    {"source_id": HISTORY_SOURCE, "source_kind": "un_document", "source_url": "https://www.un.org/en/about-us/growth-in-un-membership",
     "source_title": "Growth in United Nations membership", "publisher": "United Nations",
     "source_note": "Lists the states that no longer exist and the successions (USSR, Yugoslavia, Czechoslovakia, the two Germanys and Yemens) and the 1971 change of China's representation (GA resolution 2758 (XXVI))."},
    {"source_id": COW_SOURCE, "source_kind": "dataset", "source_url": "https://correlatesofwar.org/data-sets/state-system-membership/",
     "source_title": "Correlates of War Project: State System Membership List, v2016", "publisher": "Correlates of War Project",
     "source_note": "Source of the cow_code column (ccode)."},
]

# States that no longer exist or are not in the current ISO list as UN members, with their former codes.
HISTORICAL = [
    {"state_id": "SUN", "state_name": "Union of Soviet Socialist Republics", "iso_alpha2": "SU", "un_member_from": "1945-10-24", "un_member_to": "1991-12-23"},
    {"state_id": "YUG", "state_name": "Yugoslavia", "iso_alpha2": "YU", "un_member_from": "1945-10-24", "un_member_to": "1992-09-22"},
    {"state_id": "SCG", "state_name": "Serbia and Montenegro", "iso_alpha2": "CS", "un_member_from": "2000-11-01", "un_member_to": "2006-06-02"},
    {"state_id": "CSK", "state_name": "Czechoslovakia", "iso_alpha2": "CS", "un_member_from": "1945-10-24", "un_member_to": "1992-12-31"},
    {"state_id": "DDR", "state_name": "German Democratic Republic", "iso_alpha2": "DD", "un_member_from": "1973-09-18", "un_member_to": "1990-10-02"},
    {"state_id": "YMD", "state_name": "Democratic Yemen", "iso_alpha2": "YD", "un_member_from": "1967-12-14", "un_member_to": "1990-05-21"},
    {"state_id": "TWN", "state_name": "China (Republic of China)", "iso_alpha2": "TW", "un_member_from": "1945-10-24", "un_member_to": "1971-10-24"},
]
OBSERVERS = {"VAT", "PSE"}
# Members whose UNTERM names are empty in the country-codes file (a known quirk of that file).
MISSING_UNTERM = {"CIV": ("Côte d'Ivoire", "Republic of Côte d'Ivoire"), "TUR": ("Türkiye", "Republic of Türkiye")}


def short_name(unterm: str) -> str:
    return re.sub(r"\s*\(the\)|\s*\*+$", "", unterm).strip()


def cow_codes() -> dict[str, int]:
    return json.loads(resources.files("unsc.build.importers.data").joinpath("cow_codes.json").read_text())["codes"]


def rows(path: str | Path) -> list[dict]:
    cow = cow_codes()
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            iso3, unterm = r["ISO3166-1-Alpha-3"], r["UNTERM English Short"]
            if iso3 in MISSING_UNTERM and not unterm:
                unterm, r["UNTERM English Formal"] = MISSING_UNTERM[iso3]
            if not unterm or (unterm.endswith("*") and iso3 not in OBSERVERS) or unterm.endswith("**"):
                continue
            formal = r["UNTERM English Formal"].strip().rstrip("* ")
            formal = formal[4:] if formal.startswith("the ") else formal
            out.append({"state_id": iso3, "state_name": short_name(unterm), "formal_name": formal,
                        "iso_alpha2": r["ISO3166-1-Alpha-2"], "m49": f"{int(r['M49']):03d}" if r["M49"] else "",
                        "cow_code": cow.get(iso3, ""), "source_id": SOURCE_ID})
    for h in HISTORICAL:
        out.append({**h, "cow_code": cow.get(h["state_id"], ""), "source_id": HISTORY_SOURCE})
    return out
