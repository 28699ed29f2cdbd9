#!/usr/bin/env python3
"""Precision and recall of the press-release parser on the releases kept in sources/harvest/press/,
measured against the record's own votes (data/drafts.csv, data/votes.csv).

A vote the parser reads is *correct* when it matches a draft of the record (by resolution number,
draft symbol, or meeting and tally) and every value it states (outcome, yes, no, abstain, the
members named against and abstaining) equals the record's. Precision = correct / read votes the record has (a read
vote the record does not show cannot be judged and is counted apart). Recall =
record votes found correctly / record votes the release covers (the drafts whose symbol it names,
and the drafts voted at the meeting it names, or else on its date, or else the newest resolution
it names).
Members: precision and recall of the against/abstaining names over the record's recorded votes.

Usage: scripts/harvest_accuracy.py [FOLDER]   (default sources/harvest/press)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from unsc.harvest import press  # noqa: E402
from unsc.harvest.names import Names  # noqa: E402
from unsc.harvest.run import Record  # noqa: E402


def covered(record: Record, text: str, ctx) -> list[dict]:
    named = [record.by_id[s] for s in dict.fromkeys(re.findall(r"S/(?:19|20)\d\d/\d+", text)) if s in record.by_id]
    return _dedupe(named + _covered(record, text, ctx))


def _dedupe(drafts: list[dict]) -> list[dict]:
    return list({d["draft_id"]: d for d in drafts}.values())


def _covered(record: Record, text: str, ctx) -> list[dict]:
    if ctx.meeting:
        return [d for d in record.drafts if d["meeting_id"].split(" ")[0] == ctx.meeting]
    if ctx.date:
        same_day = [d for d in record.drafts if d["decision_date"] == ctx.date]
        named = [d for d in same_day if d["resolution_number"] and re.search(rf"resolution\s+{d['resolution_number']}\b", text, re.I)]
        return named or same_day  # several meetings a day: the resolutions the release names
    mentioned = [(int(y), int(n)) for n, y in re.findall(r"resolution\s+(\d{1,4})\s*\((\d{4})\)", text, re.I)]
    if not mentioned:
        return []
    y, n = max(mentioned)
    d = record.by_res.get(str(n))
    return [d] if d and d["decision_date"][:4] == str(y) else []


def main(folder: Path) -> int:
    record = Record(ROOT)
    names = Names(ROOT / "data" / "states.csv")
    read = correct = unconfirmed = expected = found = 0
    m_emitted = m_correct = m_expected = 0
    lines = []
    files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".html"))
    for p in files:
        text = p.read_text(encoding="utf-8")
        src = p.stem.replace("SC-", "SC/")
        rows = press.parse(text, names, source=src)
        ctx = press.header(press.html_to_text(text) if p.suffix == ".html" else text, src)
        exp = covered(record, text, ctx)
        expected += len(exp)
        ok_ids = set()
        for r in rows:
            read += 1
            d = record.match(r)
            if d is None:
                unconfirmed += 1
                lines.append(f"{p.name}: read {r.outcome} {r.yes}-{r.no}-{r.abstain} {r.resolution}: not in the record (unconfirmed)")
                continue
            diffs = record.differences(r, d)
            if diffs:
                lines.append(f"{p.name}: {d['draft_id']}: " + "; ".join(diffs))
            else:
                correct += 1
                ok_ids.add(d["draft_id"])
            votes = record.votes.get(d["draft_id"], {})
            for ids, v in ((r.against, "no"), (r.abstaining, "abstain")):
                m_emitted += len(ids)
                m_correct += sum(1 for s in ids if votes.get(s) == v)
        for d in exp:
            votes = record.votes.get(d["draft_id"], {})
            m_expected += sum(1 for v in votes.values() if v in ("no", "abstain"))
            if d["draft_id"] in ok_ids:
                found += 1
            else:
                lines.append(f"{p.name}: {d['draft_id']} ({d['outcome']} {d['yes']}-{d['no']}-{d['abstain']}) not read")
    pct = lambda a, b: f"{100 * a / b:.1f} %" if b else "n/a"  # noqa: E731
    for line in lines:
        print(line)
    print(f"releases: {len(files)}")
    print(f"votes read: {read}; correct: {correct}; not in the record: {unconfirmed}")
    print(f"precision (votes the record can confirm): {pct(correct, read - unconfirmed)} ({correct}/{read - unconfirmed}); "
          f"{unconfirmed} vote(s) read that the record does not show cannot be judged")
    print(f"recall (votes): {pct(found, expected)} ({found} of {expected} record votes the releases cover)")
    print(f"members named against/abstaining: precision {pct(m_correct, m_emitted)} ({m_correct}/{m_emitted}), "
          f"recall {pct(m_correct, m_expected)} ({m_correct}/{m_expected})")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "sources" / "harvest" / "press"))
