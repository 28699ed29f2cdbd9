"""A small, valid package built fresh for each test, and helpers to break it one rule at a time."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from unsc.contract import canonical
from unsc.contract import load_contract

ROOT = Path(__file__).resolve().parent.parent

P5 = ["USA", "GBR", "FRA"]
E10 = ["ALB", "BRA", "ECU", "GAB", "GHA", "JPN", "MLT", "MOZ", "CHE", "ARE"]
E6 = ["AUS", "BEL", "CAN", "DNK", "EGY", "FIN"]
SITTING_2023 = P5 + ["RUS", "CHN"] + E10


def _rows() -> dict[str, list[dict]]:
    src = "SC/15462"
    states = [{"state_id": s, "state_name": f"State {s}", "source_id": "dataset:test"} for s in sorted(set(P5 + E10 + E6 + ["RUS", "CHN", "TWN", "SUN"]))]
    memberships = [{"state_id": s, "seat": "permanent", "start_date": "1946-01-17", "end_date": "", "source_id": "dataset:test"} for s in P5]
    memberships += [
        {"state_id": "TWN", "seat": "permanent", "start_date": "1946-01-17", "end_date": "1971-10-24", "source_id": "dataset:test"},
        {"state_id": "CHN", "seat": "permanent", "start_date": "1971-10-25", "end_date": "", "source_id": "dataset:test"},
        {"state_id": "SUN", "seat": "permanent", "start_date": "1946-01-17", "end_date": "1991-12-23", "source_id": "dataset:test"},
        {"state_id": "RUS", "seat": "permanent", "start_date": "1991-12-24", "end_date": "", "source_id": "dataset:test"},
    ]
    memberships += [{"state_id": s, "seat": "elected", "start_date": "1946-01-17", "end_date": "1965-12-31", "source_id": "dataset:test"} for s in E6]
    memberships += [{"state_id": s, "seat": "elected", "start_date": "1966-01-01", "end_date": "", "regional_group": "African States", "source_id": "dataset:test"} for s in E10]
    meetings = [
        {"meeting_id": "S/PV.9442", "meeting_number": "9442", "meeting_date": "2023-10-18", "meeting_kind": "meeting", "topic": "The situation in the Middle East", "situation_id": "israel-palestine", "press_release": "SC/15462", "source_id": src},
        {"meeting_id": "S/PV.9443", "meeting_number": "9443", "meeting_date": "2023-10-19", "meeting_kind": "meeting", "topic": "Reports of the Secretary-General", "situation_id": "thematic-other", "source_id": src},
        {"meeting_id": "S/PV.9444", "meeting_number": "9444", "meeting_date": "2023-10-20", "meeting_kind": "meeting", "topic": "Other business", "situation_id": "thematic-other", "source_id": src},
    ]
    drafts = [
        {"draft_id": "S/2023/773", "id_kind": "document_symbol", "meeting_id": "S/PV.9442", "decision_date": "2023-10-18", "draft_title": "Humanitarian pauses in Gaza", "situation_id": "israel-palestine",
         "draft_kind": "draft_resolution", "outcome": "vetoed", "yes": "12", "no": "1", "abstain": "2", "not_participating": "0", "tally_basis": "announced", "source_id": src},
        {"draft_id": "S/RES/2700 (2023)", "id_kind": "resolution_symbol", "meeting_id": "S/PV.9443", "decision_date": "2023-10-19", "draft_title": "A unanimous resolution", "situation_id": "thematic-other",
         "draft_kind": "draft_resolution", "outcome": "adopted", "resolution": "S/RES/2700 (2023)", "resolution_number": "2700",
         "yes": "15", "no": "0", "abstain": "0", "not_participating": "0", "tally_basis": "announced", "source_id": src},
    ]
    special = {"USA": "no", "RUS": "abstain", "GBR": "abstain"}
    votes = [{"draft_id": "S/2023/773", "state_id": s, "vote": special.get(s, "yes"), "basis": "recorded", "source_id": src} for s in SITTING_2023]
    votes += [{"draft_id": "S/RES/2700 (2023)", "state_id": s, "vote": "yes", "basis": "derived", "source_id": src} for s in SITTING_2023]
    return {
        "sources": [{"source_id": src, "source_kind": "press_release", "source_symbol": "SC/15462", "source_url": "https://press.un.org/en/2023/sc15462.doc.htm", "source_title": "A press release", "source_date": "2023-10-18"},
                    {"source_id": "dataset:test", "source_kind": "dataset", "source_title": "Test fixture"}],
        "situations": [{"situation_id": "israel-palestine", "situation_name": "Israel and Palestine", "region": "Middle East", "countries": "ISR;PSE",
                        "definition": "The Israeli-Palestinian conflict."},
                       {"situation_id": "thematic-other", "situation_name": "Other items", "region": "Thematic", "countries": "",
                        "definition": "Items of no country situation."}],
        "states": states, "memberships": memberships, "meetings": meetings, "drafts": drafts, "votes": votes,
        "sponsors": [{"draft_id": "S/2023/773", "state_id": "BRA", "role": "penholder", "source_id": src}],
        "positions": [{"draft_id": "S/2023/773", "state_id": "USA", "meeting_id": "S/PV.9442", "timing": "after_vote",
                       "summary": "Voted against because the text left out a state's right to defend itself.", "themes": "self_defence balance_of_text", "source_id": src}],
        "position_gaps": [{"draft_id": "S/2023/773", "state_id": s, "gap_reason": "record_not_found", "gap_note": "Not in the press release excerpt."}
                          for s in ("CHN", "FRA", "GBR", "RUS")],
        "exceptions": [],
    }


class MiniPackage:
    def __init__(self, root: Path):
        self.root = root
        self.contract = load_contract(root)

    def path(self, table: str) -> Path:
        return self.root / self.contract.tables[table].path

    def rows(self, table: str) -> list[dict]:
        return canonical.read_rows(self.path(table))[1]

    def write(self, table: str, rows: list[dict], canonical_form: bool = True) -> None:
        t = self.contract.tables[table]
        unknown = sorted({k for r in rows for k in r} - set(t.field_names))
        assert not unknown, f"{table} has no column {unknown} (a name from before the 1.0.0 renames?)"  # render would drop them silently
        if canonical_form:
            text = canonical.render(t, rows)
        else:
            out = io.StringIO()
            w = csv.DictWriter(out, t.field_names, lineterminator="\n", restval="")
            w.writeheader()
            w.writerows(rows)
            text = out.getvalue()
        self.path(table).write_text(text, encoding="utf-8")

    def update(self, table: str, match: dict, **changes) -> int:
        """Change the row matching *match*; return its CSV line number (header = 1)."""
        unknown = sorted((set(match) | set(changes)) - set(self.contract.tables[table].field_names))
        assert not unknown, f"{table} has no column {unknown}"
        rows = self.rows(table)
        target = next(r for r in rows if all(r.get(k) == v for k, v in match.items()))
        target.update(changes)
        self.write(table, rows)
        return self.rows(table).index(target) + 2


def make_mini(root: Path) -> MiniPackage:
    """The small valid package in folder *root*."""
    shutil.copy(ROOT / "datapackage.json", root / "datapackage.json")
    shutil.copytree(ROOT / "schemas", root / "schemas")
    (root / "data").mkdir()
    (root / "curation" / "tables").mkdir(parents=True)
    pkg = MiniPackage(root)
    for table, rows in _rows().items():
        pkg.write(table, rows)
        # a package with no raw sources is built from its curation alone: its rows are contributions
        t = pkg.contract.tables[table]
        (root / "curation" / "tables" / f"{table}.csv").write_text(canonical.render(t, rows), encoding="utf-8")
    return pkg


@pytest.fixture
def mini(tmp_path) -> MiniPackage:
    return make_mini(tmp_path)


def pytest_collection_modifyitems(items):
    """The long tests first (the browser test; the ones marked slow), so two workers finish together."""
    items.sort(key=lambda item: 0 if item.get_closest_marker("browser") or item.get_closest_marker("slow") else 1)
