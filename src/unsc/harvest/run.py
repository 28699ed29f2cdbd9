"""`unsc harvest`: fetch what the UN published since the record's last date, keep it as snapshots,
read the votes it states, and hand the new ones to the curated import (review, not blind import).

Steps: (1) fetch (or, with `--offline`, replay the snapshots listed under `harvest/` in
`sources/manifest.csv`); (2) parse every snapshot; (3) compare each vote with the record: a vote
the record has is checked (a disagreement is reported, never written over the record), a vote it
lacks becomes a row of `curation/votes/harvest-YYYY.csv`; (4) write the ledger
`data/harvest_ledger.csv` (every vote read, with what the record says); (5) `unsc build`, which rebuilds data/ from
sources/ and curation/ and validates it.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from unsc.harvest import press, undl
from unsc.harvest.names import Names
from unsc.harvest.rows import HEADER, VoteRow

SNAPSHOTS = "harvest"  # under sources/
LEDGER = Path("data") / "harvest_ledger.csv"  # generated: what each snapshot says and what the record says of it
LEDGER_HEADER = ["snapshot"] + HEADER + ["record", "status"]
TERMS = {"press": "UN website terms of use", "undl": "UN website terms of use"}
# the library's search in its "Voting Data" collection, one year (facet 3) of Security Council (facet 2) records at a time,
# as MARCXML (of=xm), in pages of 50 (jrec = first record)
UNDL_SEARCH = ("https://digitallibrary.un.org/search?ln=en&c=Voting%20Data&cc=Voting%20Data&fct__2=Security%20Council"
               "&fct__3={year}&of=xm&rg=50&jrec={start}")
PRESS_LIST = "https://press.un.org/en/content/security-council/meetings-coverage?page={page}"
PRESS_LINK = re.compile(r"""href=["'](?P<u>(?:https://press\.un\.org)?/en/(?P<y>\d{4})/sc(?P<n>\d{4,5})\.doc\.htm)["']""")


class HarvestError(Exception):
    """A problem a user can fix: the message says which file, what is wrong and what to do."""


@dataclass
class Snapshot:
    path: str  # relative to sources/
    url: str
    kind: str  # press | undl


@dataclass
class Report:
    snapshots: int = 0
    fetched: int = 0
    from_cache: int = 0
    rows: list[tuple[Snapshot, VoteRow]] = field(default_factory=list)
    new: list[VoteRow] = field(default_factory=list)
    agree: int = 0
    disagreements: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    import_notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- snapshots

def read_manifest(root: Path) -> list[dict]:
    p = root / "sources" / "manifest.csv"
    with open(p, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def snapshots(root: Path) -> list[Snapshot]:
    out = []
    for r in read_manifest(root):
        m = re.match(r"^harvest/(press|undl)/[^/]+$", r["path"])
        if m:
            out.append(Snapshot(r["path"], r["url"], m.group(1)))
    return sorted(out, key=lambda s: s.path)


def add_snapshot(root: Path, rel: str, url: str, body: bytes, kind: str, note: str, today: str) -> Snapshot:
    """Keep a fetched file under sources/ and append its manifest row (path,url,retrieved,sha256,bytes,terms,note)."""
    from unsc.contract.canonical import atomic_write

    path = root / "sources" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(body)
    tmp.replace(path)
    manifest = root / "sources" / "manifest.csv"
    text = manifest.read_text(encoding="utf-8")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["path"] != rel]
    rows.append({"path": rel, "url": url, "retrieved": today, "sha256": hashlib.sha256(body).hexdigest(), "bytes": str(len(body)),
                 "terms": TERMS[kind], "note": note})
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["path", "url", "retrieved", "sha256", "bytes", "terms", "note"], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    if buf.getvalue() != text:
        atomic_write(manifest, buf.getvalue())
    return Snapshot(rel, url, kind)


def parse_snapshot(root: Path, snap: Snapshot, names: Names) -> list[VoteRow]:
    path = root / "sources" / snap.path
    if not path.exists():
        raise HarvestError(f"sources/{snap.path}: listed in sources/manifest.csv but missing; restore it with git checkout or remove its manifest row")
    data = path.read_bytes()
    if snap.kind == "undl":
        try:
            rows = undl.parse(data, names, source=snap.path)
        except undl.NotAVotingRecord as e:
            raise HarvestError(f"sources/{snap.path}: {e}; fetch it again (delete the file and its manifest row) or remove it") from None
    else:
        m = re.search(r"SC-(\d{4,5})", snap.path)
        rows = press.parse(data.decode("utf-8", errors="replace"), names, source=f"SC/{m.group(1)}" if m else snap.path)
    for r in rows:
        r.url = r.url or snap.url
    return rows


# ---------------------------------------------------------------- fetching

def fetch_new(root: Path, fetcher, since: str, today: str, progress=None, max_pages: int = 20) -> tuple[int, int]:
    """Fetch voting records and press releases dated after *since*; keep each as a snapshot. (network requests, cache hits)"""
    done = {s.path for s in snapshots(root)}
    net = cache = 0

    def get(url, day=None):
        nonlocal net, cache
        f = fetcher.get(url, day)
        cache += f.from_cache
        net += not f.from_cache
        return f

    # the library's voting records of each year since the record's last date, in pages of 50; a search page is fetched
    # again on another day (its cache key holds the day), a record never is
    for year in range(int(since[:4]), int(today[:4]) + 1):
        for start in range(1, 50 * max_pages, 50):
            url = UNDL_SEARCH.format(year=year, start=start)
            f = get(url, today)
            recs = undl.records(f.body) if f.body.strip() else []
            if not recs:
                break
            rel = f"{SNAPSHOTS}/undl/search-{year}-{start:05d}-{today}.xml"
            if rel not in done:
                add_snapshot(root, rel, url, f.body, "undl", f"Digital Library voting records, Security Council, {year}, results from {start}", today)
                done.add(rel)
            if progress:
                progress.update(1)
            if len(recs) < 50:
                break
    # the press releases listed on the Council's meetings-coverage pages
    for page in range(max_pages):
        f = get(PRESS_LIST.format(page=page), today)
        links = {(m.group("y"), m.group("n"), m.group("u")) for m in PRESS_LINK.finditer(f.body.decode("utf-8", errors="replace"))}
        if not links:
            break
        fresh = sorted(lk for lk in links if lk[0] >= since[:4])
        for year, n, u in fresh:
            rel = f"{SNAPSHOTS}/press/SC-{n}.html"
            if rel in done:
                continue
            url = u if u.startswith("http") else f"https://press.un.org{u}"
            r = get(url)
            add_snapshot(root, rel, url, r.body, "press", f"Press release SC/{n}", today)
            done.add(rel)
            if progress:
                progress.update(1)
        if not fresh:
            break
    return net, cache


# ---------------------------------------------------------------- comparing with the record

def _read(root: Path, table: str) -> list[dict]:
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


class Record:
    def __init__(self, root: Path):
        self.drafts = _read(root, "drafts")
        self.by_res = {d["resolution_number"]: d for d in self.drafts if d["resolution_number"]}
        self.by_id = {d["draft_id"]: d for d in self.drafts}
        self.votes: dict[str, dict[str, str]] = {}
        for v in _read(root, "votes"):
            self.votes.setdefault(v["draft_id"], {})[v["state_id"]] = v["vote"]
        self.last_date = max((d["decision_date"] for d in self.drafts), default="")

    def match(self, r: VoteRow) -> dict | None:
        if r.resolution_number and r.resolution_number in self.by_res:
            return self.by_res[r.resolution_number]
        if r.draft and r.draft in self.by_id:
            return self.by_id[r.draft]
        if r.resolution_number:
            return None
        cands = [d for d in self.drafts if d["draft_kind"] == r.kind and d["outcome"] == r.outcome and (r.yes is None or d["yes"] == str(r.yes))
                 and (r.no is None or d["no"] == str(r.no)) and (r.abstain is None or d["abstain"] == str(r.abstain))
                 and ((r.meeting and d["meeting_id"].split(" ")[0] == r.meeting) or (r.date and d["decision_date"] == r.date))]
        return cands[0] if len(cands) == 1 else None

    def differences(self, r: VoteRow, d: dict) -> list[str]:
        out = []
        if r.outcome and r.outcome != d["outcome"]:
            out.append(f"outcome {r.outcome} (record {d['outcome']})")
        for f in ("yes", "no", "abstain"):
            v = getattr(r, f)
            if v is not None and d[f] != "" and str(v) != d[f]:
                out.append(f"{f} {v} (record {d[f]})")
        if r.draft and d.get("id_kind") == "document_symbol" and r.draft != d["draft_id"]:
            out.append(f"draft {r.draft} (record {d['draft_id']})")
        if r.date and r.date != d["decision_date"]:
            out.append(f"date {r.date} (record {d['decision_date']})")
        votes = self.votes.get(d["draft_id"], {})
        for label, vote, ids in (("against", "no", r.against), ("abstaining", "abstain", r.abstaining)):
            if ids and votes:
                rec = sorted(s for s, v in votes.items() if v == vote)
                if sorted(ids) != rec and (rec or d[{"no": "no", "abstain": "abstain"}[vote]] not in ("", "0")):
                    out.append(f"{label} {';'.join(sorted(ids))} (record {';'.join(rec) or 'none named'})")
        return out


# ---------------------------------------------------------------- writing

def curation_row(r: VoteRow, kind: str) -> dict:
    from unsc.build.importers.curated import COLUMNS

    row = {c: "" for c in COLUMNS}
    row.update({"meeting_id": r.meeting, "date": r.date, "topic": (r.agenda or r.title)[:200], "draft_id": r.draft, "draft_kind": r.kind,
                "outcome": r.outcome, "resolution_number": r.resolution_number,
                "yes": "" if r.yes is None else str(r.yes), "no": "" if r.no is None else str(r.no), "abstain": "" if r.abstain is None else str(r.abstain),
                "not_participating_count": "" if r.not_participating_count is None else str(r.not_participating_count),
                "against": " ".join(r.against), "abstaining": " ".join(r.abstaining), "not_participating": " ".join(r.not_participating),
                "in_favour_listed": " ".join(r.in_favour), "source_url": r.url, "source_title": r.title[:300], "source_date": r.date,
                "note": f"Harvested by unsc harvest from {r.source}; review before merging."})
    if kind == "press":
        row.update({"source_symbol": r.source if re.match(r"^SC/\d+$", r.source) else "", "source_kind": "press_release"})
    else:
        row.update({"source_kind": "un_document"})
    return row


def write_curation(root: Path, new: list[tuple[Snapshot, VoteRow]]) -> list[str]:
    """Add the new votes to curation/votes/harvest-YYYY.csv (rows already there are kept; nothing else is touched)."""
    from unsc.build.importers.curated import COLUMNS
    from unsc.contract.canonical import atomic_write_many

    by_year: dict[str, list[dict]] = {}
    for snap, r in new:
        by_year.setdefault(r.date[:4] or "undated", []).append(curation_row(r, snap.kind))
    files = {}
    for year, rows in by_year.items():
        path = root / "curation" / "votes" / f"harvest-{year}.csv"
        old = []
        if path.exists():
            with open(path, encoding="utf-8", newline="") as fh:
                old = [{c: r.get(c, "") for c in COLUMNS} for r in csv.DictReader(fh)]
        key = lambda r: (r["date"], r["meeting_id"], r["resolution_number"], r["draft_id"], r["draft_kind"], r["outcome"], r["yes"], r["no"], r["abstain"], r["source_symbol"], r["source_url"])  # noqa: E731
        merged = {key(r): r for r in old}
        for r in rows:
            merged.setdefault(key(r), r)
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(sorted(merged.values(), key=key))
        if not path.exists() or path.read_text(encoding="utf-8") != buf.getvalue():
            files[path] = buf.getvalue()
    if files:
        atomic_write_many(files)
    return [str(p.relative_to(root)) for p in sorted(files)]


def ledger_text(report_rows: list[tuple[Snapshot, VoteRow, str, str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(LEDGER_HEADER)
    for snap, r, rec, status in report_rows:
        w.writerow([snap.path] + r.csv_values() + [rec, status])
    return buf.getvalue()


# ---------------------------------------------------------------- the whole run

def harvest(root: Path, *, offline: bool, fetcher=None, since: str | None = None, today: str | None = None,
            rebuild: bool = True, progress=None) -> Report:
    from unsc.contract.canonical import atomic_write

    today = today or dt.date.today().isoformat()
    record = Record(root)
    since = since or record.last_date
    names = Names(root / "data" / "states.csv")
    rep = Report()
    if not offline:
        if fetcher is None:
            raise HarvestError("no fetcher: run with --offline, or let `unsc harvest` build its HTTP client")
        rep.fetched, rep.from_cache = fetch_new(root, fetcher, since, today, progress)
    snaps = snapshots(root)
    rep.snapshots = len(snaps)
    ledger, new = [], []
    for snap in snaps:
        for r in parse_snapshot(root, snap, names):
            d = record.match(r)
            if d is None:
                if r.date and r.date <= since and not r.resolution:
                    status = "not matched: a vote on or before the record's last date that the record does not show; check by hand"
                    rep.disagreements.append(f"sources/{snap.path}: {r.source} {r.outcome} {r.yes}-{r.no}-{r.abstain}: {status}")
                elif not r.date:
                    status = "new, but the text gives no date: add the row to curation/votes by hand with the date from the meeting record"
                    rep.disagreements.append(f"sources/{snap.path}: {r.source} {r.outcome} {r.yes}-{r.no}-{r.abstain}: {status}")
                else:
                    status = "new"
                    new.append((snap, r))
                ledger.append((snap, r, "", status))
                continue
            diffs = record.differences(r, d)
            if diffs:
                status = "disagrees: " + "; ".join(diffs)
                rep.disagreements.append(f"sources/{snap.path}: {d['draft_id']}: " + "; ".join(diffs))
            else:
                status = "agrees"
                rep.agree += 1
            ledger.append((snap, r, d["draft_id"], status))
    rep.rows = [(s, r) for s, r, _, _ in ledger]
    rep.new = [r for _, r in new]
    text = ledger_text(ledger)
    lp = root / LEDGER
    if not lp.exists() or lp.read_text(encoding="utf-8") != text:
        atomic_write(lp, text)
        rep.written.append(str(LEDGER))
    rep.written += write_curation(root, new)
    if rebuild and new:
        rep.import_notes, rep.problems = rebuild_and_validate(root)
    return rep


def rebuild_and_validate(root: Path) -> tuple[list[str], list[str]]:
    """`unsc build` with the new curation rows (the path every contributor's rows take), then validation:
    (notes on the harvested rows, problems)."""
    from unsc.build.write import build_and_write

    lines: list[str] = []
    code = build_and_write(root, validate=True, echo=lambda *a, **k: lines.append(str(a[0]) if a else ""))
    cov = root / "data" / "coverage_notes.md"
    notes = [line[2:] for line in (cov.read_text(encoding="utf-8").splitlines() if cov.exists() else []) if line.startswith("- harvest-")]
    problems = [line for line in lines if code != 0 and not line.startswith(("rebuilt in", "wrote ", "  "))]
    return notes, problems
