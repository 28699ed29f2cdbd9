#!/usr/bin/env python3
"""Precision and recall of the press-release parser on the releases kept in sources/harvest/press/,
measured against the record's own votes (data/drafts.csv, data/votes.csv).

A vote the parser reads is *correct* when it matches a draft of the record (by resolution number,
draft symbol, or meeting and tally) and every value it states (outcome, yes, no, abstain, the
members named against and abstaining) equals the record's. Precision = correct / read votes the record has (a read
vote the record does not show cannot be judged and is counted apart). Recall =
record votes found correctly / record votes the release covers (the drafts whose symbol it names,
and the drafts voted at the meeting it names, or else on its date, or else the newest resolution
it names; a meeting at which the record has no vote is reported and the date or resolution decides).
Members: precision and recall of the against/abstaining names over the record's recorded votes.

The figures are given for all releases and, apart, for the 21 the parser's rules were first written
against (FIRST_SET) and for the releases added since (issue #18; they were read before the parser
was changed for them, so they were a held-out set then).

Usage: scripts/harvest_accuracy.py [FOLDER]   (default sources/harvest/press)
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from unsc.harvest import press  # noqa: E402
from unsc.harvest.names import Names  # noqa: E402
from unsc.harvest.run import Record  # noqa: E402

# the releases stored before issue #18, on which the parser's rules were first written
FIRST_SET = frozenset(f"SC-{n}.txt" for n in (
    6918, 8159, 9946, 10277, 11808, 11859, 12791, 13221, 13256, 13561, 13861,
    14150, 14244, 14246, 14247, 14465, 14519, 14682, 14698, 14702, 15649))

RESOLUTION_NAMED = re.compile(r"(?:resolution\s+|S/RES/)(\d{1,4})\s*\((\d{4})\)", re.I)


@dataclass
class Measure:
    releases: int = 0
    read: int = 0
    correct: int = 0
    unconfirmed: int = 0
    expected: int = 0
    found: int = 0
    m_emitted: int = 0
    m_correct: int = 0
    m_expected: int = 0
    lines: list[str] = field(default_factory=list)

    def add(self, other: "Measure") -> None:
        for f in ("releases", "read", "correct", "unconfirmed", "expected", "found", "m_emitted", "m_correct", "m_expected"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        self.lines += other.lines

    @property
    def precision(self) -> float | None:
        judged = self.read - self.unconfirmed
        return self.correct / judged if judged else None

    @property
    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None

    def summary(self) -> list[str]:
        pct = lambda a, b: f"{100 * a / b:.1f} %" if b else "n/a"  # noqa: E731
        judged = self.read - self.unconfirmed
        return [
            f"releases: {self.releases}",
            f"votes read: {self.read}; correct: {self.correct}; not in the record: {self.unconfirmed}",
            f"precision (votes the record can confirm): {pct(self.correct, judged)} ({self.correct}/{judged}); "
            f"{self.unconfirmed} vote(s) read that the record does not show cannot be judged",
            f"recall (votes): {pct(self.found, self.expected)} ({self.found} of {self.expected} record votes the releases cover)",
            f"members named against/abstaining: precision {pct(self.m_correct, self.m_emitted)} ({self.m_correct}/{self.m_emitted}), "
            f"recall {pct(self.m_correct, self.m_expected)} ({self.m_correct}/{self.m_expected})",
        ]


def covered(record: Record, text: str, ctx, notes: list[str] | None = None) -> list[dict]:
    named = [record.by_id[s] for s in dict.fromkeys(re.findall(r"S/(?:19|20)\d\d/\d+", text)) if s in record.by_id]
    return _dedupe(named + _covered(record, text, ctx, notes))


def _dedupe(drafts: list[dict]) -> list[dict]:
    return list({d["draft_id"]: d for d in drafts}.values())


def _covered(record: Record, text: str, ctx, notes: list[str] | None = None) -> list[dict]:
    if ctx.meeting:
        at = [d for d in record.drafts if d["meeting_id"].split(" ")[0] == ctx.meeting]
        if at:
            return at
        if notes is not None:
            notes.append(f"names {ctx.meeting}, at which the record has no vote")
    if ctx.date:
        same_day = [d for d in record.drafts if d["decision_date"] == ctx.date]
        named = [d for d in same_day if d["resolution_number"] and re.search(rf"(?:resolution\s+|S/RES/){d['resolution_number']}\b", text, re.I)]
        return named or same_day  # several meetings a day: the resolutions the release names
    mentioned = [(int(y), int(n)) for n, y in RESOLUTION_NAMED.findall(text)]
    if not mentioned:
        return []
    y, n = max(mentioned)
    d = record.by_res.get(str(n))
    return [d] if d and d["decision_date"][:4] == str(y) else []


def measure_file(p: Path, record: Record, names: Names) -> Measure:
    """The parser's reads of one stored release, judged against the record."""
    out = Measure(releases=1)
    text = p.read_text(encoding="utf-8")
    src = p.stem.replace("SC-", "SC/")
    rows = press.parse(text, names, source=src)
    ctx = press.header(press.html_to_text(text) if p.suffix == ".html" else text, src)
    notes: list[str] = []
    exp = covered(record, text, ctx, notes)
    out.lines += [f"{p.name}: {n}" for n in notes]
    out.expected += len(exp)
    ok_ids = set()
    for r in rows:
        out.read += 1
        d = record.match(r)
        if d is None:
            out.unconfirmed += 1
            out.lines.append(f"{p.name}: read {r.outcome} {r.yes}-{r.no}-{r.abstain} {r.resolution}: not in the record (unconfirmed)")
            continue
        diffs = record.differences(r, d)
        if diffs:
            out.lines.append(f"{p.name}: {d['draft_id']}: " + "; ".join(diffs))
        else:
            out.correct += 1
            ok_ids.add(d["draft_id"])
        votes = record.votes.get(d["draft_id"], {})
        for ids, v in ((r.against, "no"), (r.abstaining, "abstain")):
            out.m_emitted += len(ids)
            out.m_correct += sum(1 for s in ids if votes.get(s) == v)
    for d in exp:
        votes = record.votes.get(d["draft_id"], {})
        out.m_expected += sum(1 for v in votes.values() if v in ("no", "abstain"))
        if d["draft_id"] in ok_ids:
            out.found += 1
        else:
            out.lines.append(f"{p.name}: {d['draft_id']} ({d['outcome']} {d['yes']}-{d['no']}-{d['abstain']}) not read")
    return out


def measure(files: list[Path], root: Path = ROOT) -> dict[str, Measure]:
    """Figures for all *files* ("all"), for those in FIRST_SET ("first") and for the rest ("added")."""
    record = Record(root)
    names = Names(root / "data" / "states.csv")
    groups = {"all": Measure(), "first": Measure(), "added": Measure()}
    for p in sorted(files):
        m = measure_file(p, record, names)
        groups["all"].add(m)
        groups["first" if p.name in FIRST_SET else "added"].add(m)
    return groups


def main(folder: Path) -> int:
    files = [p for p in folder.iterdir() if p.suffix in (".txt", ".html")]
    groups = measure(files)
    for line in groups["all"].lines:
        print(line)
    print("\n".join(groups["all"].summary()))
    for key, title in (("first", f"the {len(FIRST_SET)} releases the rules were first written against"),
                       ("added", "the releases added for issue #18")):
        if groups[key].releases and groups[key].releases != groups["all"].releases:
            print(f"\nof which {title}:")
            print("\n".join("  " + s for s in groups[key].summary()))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "sources" / "harvest" / "press"))
