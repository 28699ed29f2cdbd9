"""One vote as a harvested text states it, and its CSV form (`unsc harvest parse`)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

HEADER = ["source", "date", "draft", "resolution", "outcome", "yes", "no", "abstain", "against", "abstaining"]


@dataclass
class VoteRow:
    source: str
    date: str = ""
    draft: str = ""
    resolution: str = ""  # S/RES/n (yyyy)
    outcome: str = ""
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    against: list[str] = field(default_factory=list)
    abstaining: list[str] = field(default_factory=list)
    # beyond the printed columns
    kind: str = "draft_resolution"
    meeting: str = ""  # S/PV.n
    title: str = ""
    url: str = ""
    in_favour: list[str] = field(default_factory=list)
    not_participating: list[str] = field(default_factory=list)
    not_participating_count: int | None = None
    agenda: str = ""
    subjects: list[str] = field(default_factory=list)
    unknown_names: list[str] = field(default_factory=list)

    @property
    def resolution_number(self) -> str:
        import re

        m = re.match(r"^S/RES/(\d+) \(\d{4}\)$", self.resolution)
        return m.group(1) if m else ""

    def csv_values(self) -> list[str]:
        n = lambda v: "" if v is None else str(v)  # noqa: E731
        return [self.source, self.date, self.draft, self.resolution, self.outcome, n(self.yes), n(self.no), n(self.abstain),
                ";".join(self.against), ";".join(self.abstaining)]


def to_csv(rows: list[VoteRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    for r in rows:
        w.writerow(r.csv_values())
    return buf.getvalue()
