"""Member names as UN texts write them -> the record's state ids.

The names come from `data/states.csv` (`state_name`, `formal_name`) and from the small table of
historical and short names in `aliases.csv` beside this module (a row may hold only for a
period: "China" is the Republic of China, TWN, until 25 October 1971).
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

ALIASES = "aliases.csv"


def fold(name: str) -> str:
    """Case, accents, punctuation and a leading "the" do not matter."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[’'`]", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return re.sub(r"^the ", "", s)


@dataclass(frozen=True)
class Alias:
    state_id: str
    start: str
    end: str

    def holds_on(self, date: str) -> bool:
        return not date or ((not self.start or date >= self.start) and (not self.end or date <= self.end))


class Names:
    """Resolve a member's name (as a UN text writes it) to a state id."""

    def __init__(self, states_csv: Path, aliases: list[dict] | None = None):
        self.table: dict[str, list[Alias]] = {}
        self.ids: set[str] = set()
        with open(states_csv, encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                self.ids.add(r["state_id"])
                for n in (r["state_name"], r.get("formal_name") or ""):
                    if n:
                        self._add(n, Alias(r["state_id"], "", ""))
                        # "Bolivia (Plurinational State of)" is also written "Plurinational State of Bolivia" and "Bolivia"
                        m = re.match(r"^(.*?) \((.*)\)$", n)
                        if m:
                            self._add(f"{m.group(2)} {m.group(1)}", Alias(r["state_id"], "", ""))
        for r in aliases if aliases is not None else read_aliases():
            key = fold(r["name"])
            # an alias replaces what states.csv says of the same name (a dated alias decides by date)
            if not any(a.start or a.end for a in self.table.get(key, [])) and (r["from"] or r["to"]):
                self.table[key] = []
            self._add(r["name"], Alias(r["state_id"], r["from"], r["to"]), first=True)

    def _add(self, name: str, alias: Alias, first: bool = False) -> None:
        lst = self.table.setdefault(fold(name), [])
        if alias not in lst:
            lst.insert(0, alias) if first else lst.append(alias)

    def known(self, state_id: str) -> bool:
        return state_id in self.ids

    def resolve(self, name: str, date: str = "") -> str | None:
        """The state id a name stands for on *date* (ISO), or None when the name is unknown."""
        for a in self.table.get(fold(name), []):
            if a.holds_on(date):
                return a.state_id
        return None


def read_aliases() -> list[dict]:
    with resources.files("unsc.harvest").joinpath(ALIASES).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def split_names(text: str) -> list[str]:
    """ "China, Russian Federation and Venezuela" -> three names; a name's own parenthesis is kept."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch in ",;" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    out = []
    for p in parts:
        p = p.strip()
        # a final "and X" (or a list written "A and B")
        bits = re.split(r"\s+and\s+(?![^()]*\))", p) if not re.match(r"^(?:Antigua and Barbuda|Bosnia and Herzegovina|Trinidad and Tobago|Saint Vincent and the Grenadines|Saint Kitts and Nevis|Sao Tome and Principe|São Tomé and Príncipe|Heard Island and McDonald Islands|United Kingdom of Great Britain and Northern Ireland)$", re.sub(r"^and\s+", "", p)) else [re.sub(r"^and\s+", "", p)]
        out += [re.sub(r"^(?:and|the)\s+", "", b.strip()).strip(" .") for b in bits if b.strip()]
    return [o for o in out if o]
