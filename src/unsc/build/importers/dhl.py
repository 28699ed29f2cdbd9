"""`unsc import dhl PATH`: the UN library's yearly "meetings conducted / actions taken" tables.

PATH is the folder holding `scact{YEAR}_table_en.html`, the 2020 written-procedure table
and `scact_veto_table_en.html`. Yields meetings, drafts (every resolution and every failed
or vetoed draft) and library-table sources; what it cannot parse it returns, to be curated
into `curation/dhl_overrides.csv`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

from unsc.domain import council

MONTHS = {m: i for i, m in enumerate(["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"], 1)}
VETOERS = {"USSR": "SUN", "USA": "USA", "United States": "USA", "UK": "GBR", "United Kingdom": "GBR", "France": "FRA",
           "China": "CHN", "Russian Federation": "RUS", "Russia": "RUS"}


def table_rows(text: str) -> list[list[dict]]:
    """Rows of cells of an HTML page; each cell keeps its text (a line break read as a space) and the
    link targets inside it.

    lxml's HTML parser (already a dependency for MARCXML) repairs what the library's tables leave
    broken — unclosed rows, cells closed by `</td` without `>` — as the browser does, and reads the
    3 MB of yearly tables in about 60 % of the time html.parser took, with the same rows (the rebuilt record
    did not change by a byte; `tests/test_importers.py` holds both broken forms).
    """
    doc = lxml.html.document_fromstring(text)
    for br in doc.iter("br"):
        br.tail = "\n" + (br.tail or "")
    rows = []
    for tr in doc.iter("tr"):
        row = [{"text": norm(c.text_content()), "links": [a.get("href", "") for a in c.iter("a")]}
               for c in tr if c.tag in ("td", "th")]
        if row:
            rows.append(row)
    return rows


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\xa0", " ")).strip()


def parse_date(text: str, year: int) -> str | None:
    m = re.search(r"(\d{1,2})\s*([A-Z][a-z]+)(?:,? (\d{4}))?", text.strip())
    month = next((n for name, n in MONTHS.items() if m and name.startswith(m.group(2))), None) if m else None
    if not m or month is None or len(m.group(2)) < 3 or not (m.group(3) or year):
        return None
    return dt.date(int(m.group(3) or year), month, int(m.group(1))).isoformat()


# a resumed meeting, "S/PV.7595 (Resumption 1)", or a meeting whose record is issued in parts, "S/PV.4820 (Part I)" (2003)
MEETING = re.compile(r"S/PV\.(\d+)(?:\s*\((Resumption\s*\d|Part\s*I{1,3})\))?")
PRESS = re.compile(r"SC/(\d+)")
TALLY = r"(\d{1,2})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})"
RES = re.compile(r"S/RES/(\d+)\s*\((\d{4})\)\s*(?:" + TALLY + r"|(adopted )?(without (?:a )?vote|by consensus)|(adopted unanimously))?", re.I)
DRAFT = re.compile(
    r"(?:Draft [Rr]esolutions?\s*)?\(?(S/(?:\d{4}/)?\d+(?:\s?/?(?:Rev|Add|Corr)\.\s?\d+)*|S/PV\.\d+(?:\s*\([^)]*\))?)\)?\s*"
    r"(?:\((?:as amended|as corrected|incorporating[^)]*)\)\s*)?"
    r"(?:(vetoed) by ([A-Za-z ,.]+?)\s*(?=\d{1,2}\s*-|$|Draft|S/)|(?:was )?(not adopted)|(failed)|(withdrawn))\s*(?:" + TALLY + r")?",
)
# "S/471 & Add.1", "S/1148 and Corr.1", "S/9696 and Corr.1 & 2": an addendum or corrigendum is part of the text voted on
ATTACHED = re.compile(r"(S/\d+)(?:\s*(?:&|and)\s*(?:Add|Corr)\.\s?\d+(?:\s*&\s*\d+)?)+")
# "Draft resolution S/1076 and S/1077 not adopted": two texts, one outcome each
PAIR = re.compile(r"(S/\d+) and (S/\d+) (not adopted|withdrawn)\b")
NOT_PARTICIPATING = re.compile(r"\(([A-Z][A-Za-z ]+?) did not participate in the voting\.?\)")
ABSENT = re.compile(r"\((\d+) absent\)")
OUTCOME_WORDS = re.compile(r"S/RES/|[Dd]raft resolution|vetoed|not adopted")


@dataclass
class Parsed:
    meetings: list[dict] = field(default_factory=list)
    drafts: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    vetoes: list[dict] = field(default_factory=list)
    unparsed: list[tuple[str, str, str]] = field(default_factory=list)  # file, meeting, text
    synthetic: dict[str, int] = field(default_factory=dict)
    unnumbered: list[dict] = field(default_factory=list)  # meetings the tables list without their number (private meetings)


def vetoers(text: str) -> list[str]:
    out = []
    t = text
    for name in sorted(VETOERS, key=len, reverse=True):
        if re.search(re.escape(name), t):
            out.append(VETOERS[name])
            t = re.sub(re.escape(name), " ", t)
    return sorted(set(out))


def parse_outcome(text: str, meeting_id: str, date: str, source_id: str) -> tuple[list[dict], str]:
    """Drafts named in one outcome cell, and what of the cell is left unexplained."""
    drafts = []
    text = PAIR.sub(r"\1 \3 \2 \3", ATTACHED.sub(r"\1", text))
    rest = text
    for m in RES.finditer(text):
        number, year = int(m.group(1)), m.group(2)
        d = {"draft_id": f"S/RES/{number} ({year})", "id_kind": "resolution_symbol", "meeting_id": meeting_id, "decision_date": date,
             "draft_kind": "draft_resolution", "outcome": "adopted", "resolution": f"S/RES/{number} ({year})", "resolution_number": number,
             "source_id": source_id}
        if m.group(3):
            d.update(yes=int(m.group(3)), no=int(m.group(4)), abstain=int(m.group(5)), not_participating=0, tally_basis="announced")
        elif m.group(7):
            d["outcome"] = "adopted_without_vote"
        elif m.group(8):  # "adopted unanimously": every member sitting that day voted yes
            d.update(yes=council.size_on(date), no=0, abstain=0, not_participating=0, tally_basis="derived")
        drafts.append(d)
        rest = rest.replace(m.group(0), " ", 1)
    for m in DRAFT.finditer(text):
        symbol = norm(m.group(1))
        if symbol.startswith("S/RES"):
            continue
        if symbol.startswith("S/PV."):
            label = re.sub(r"[^a-z0-9]+", "-", symbol.split("(", 1)[1].lower()).strip("-") if "(" in symbol else "draft"
            did, kind = f"{MEETING.match(symbol).group(0)}-{label}", "meeting_synthetic"
        else:
            did = re.sub(r"\s?/?(Rev|Add|Corr)\.\s?(\d+)", r"/\1.\2", symbol)
            did, kind = did, "document_symbol"
        outcome = "vetoed" if m.group(2) else "withdrawn" if m.group(6) else "not_adopted"
        d = {"draft_id": did, "id_kind": kind, "meeting_id": meeting_id, "decision_date": date, "draft_kind": "draft_resolution",
             "outcome": outcome, "source_id": source_id, "_vetoers": vetoers(m.group(3) or "")}
        if m.group(7):
            d.update(yes=int(m.group(7)), no=int(m.group(8)), abstain=int(m.group(9)), not_participating=0, tally_basis="announced")
        drafts.append(d)
        rest = rest.replace(m.group(0), " ", 1)
    np_ = NOT_PARTICIPATING.search(text)
    if np_ and drafts and "yes" in drafts[-1]:
        drafts[-1]["not_participating"] = 1
        rest = rest.replace(np_.group(0), " ")
    ab = ABSENT.search(text)
    if ab:
        rest = rest.replace(ab.group(0), " ")
    rest = re.sub(r"S/PRST/\d{4}/\d+|S/\d+ \(PRST\)|\(PRST\)|Communiqu[ée]|Note ?\(?S/\d{4}/\d+\)?|Letter ?\(?S/\d{4}/\d+\)?|--|\+|&|\band\b|Decision|Election[^0-9]*|Referral to the Committee on the Admission of New Members|Statement by the President|\b(?:[A-Z][a-z]+[- ])?Power(?: [A-Z][a-z]+)? draft resolution", " ", rest)
    return drafts, norm(rest)


def parse_year(path: Path, year: int, parsed: Parsed, written: bool = False) -> None:
    rows = table_rows(path.read_text(encoding="utf-8", errors="replace"))
    source_id = f"dhl:{path.stem.replace('_table_en', '')}"
    parsed.sources.append({"source_id": source_id, "source_kind": "library_table", "source_url": f"https://research.un.org/en/docs/sc/quick/meetings/{year}",
                           "source_title": f"Meetings conducted / actions taken by the Security Council in {year}" + (" (written procedure)" if written else ""),
                           "publisher": "United Nations Dag Hammarskjöld Library", "copy_kind": "official"})
    meeting = None
    for row in rows:
        texts = [c["text"] for c in row]
        if len(row) < 2 or texts[0].startswith("Meeting") or texts[0].startswith("Meetings conducted"):
            continue
        if written and len(row) == 7:
            date = parse_date(texts[1], year)
            letter = next((t for t in (texts[5], texts[4]) if re.match(r"^S/\d{4}/\d+$", t)), None)
            mm = MEETING.search(texts[0])
            if mm:
                meeting = {"meeting_id": f"S/PV.{mm.group(1)}", "meeting_number": int(mm.group(1)), "meeting_kind": "meeting"}
            elif letter:
                meeting = {"meeting_id": letter, "meeting_number": "", "meeting_kind": "written_procedure"}
            else:
                continue
            meeting.update(meeting_date=date, topic=texts[3], press_release="", source_id=source_id)
            outcome = texts[6]
        elif texts[0] == "--" and len(row) >= 6 and (cells := [c for c in (_letters(t) for t in texts[1:-1]) if c]):
            letters = cells[-1]  # the letter with the vote outcome, else the one with the procedure
            meeting = {"meeting_id": letters[0], "meeting_number": "", "meeting_kind": "written_procedure", "meeting_date": parse_date(texts[1], year),
                       "topic": texts[3], "press_release": "", "source_id": source_id}
            outcome = texts[-1]
        else:
            mm = MEETING.match(texts[0]) if row else None
            if mm and len(row) >= 4:
                date = parse_date(texts[1], year)
                has_press = len(row) >= 5
                press = PRESS.search(" ".join([texts[2]] + row[2]["links"])) if has_press else None
                topic = texts[3] if has_press else texts[2]
                if has_press and press is None and texts[-1] == "--" and OUTCOME_WORDS.search(texts[3]):
                    # 1964: (meeting, date, topic, outcome, --): the outcome sits in the fourth cell, not the last
                    topic, texts = texts[2], texts[:-1]
                # one row listing every part of a meeting (S/PV.2970, Parts I and II, 1990) is the meeting as a whole
                whole = len(MEETING.findall(texts[0])) > 1
                part = re.sub(r"(Resumption|Part)\s*", r"\1 ", mm.group(2)) if mm.group(2) and not whole else ""
                mid = f"S/PV.{mm.group(1)}" + (f" ({part})" if part else "")
                meeting = {"meeting_id": mid, "meeting_number": int(mm.group(1)), "meeting_date": date, "meeting_kind": "meeting", "topic": topic,
                           "press_release": f"SC/{press.group(1)}" if press else "", "source_id": source_id}
                outcome = texts[-1]
            elif texts[0] == "--" and len(row) >= 4 and (date := parse_date(texts[1], year)):
                # a meeting of its own that the table lists without a number (a private meeting): numbered
                # from curation/dhl_meetings.csv by the importer, never folded into the row above
                meeting = {"meeting_id": "", "meeting_number": "", "meeting_date": date, "meeting_kind": "meeting",
                           "topic": texts[3] if len(row) >= 5 else texts[2], "press_release": "", "source_id": source_id}
                parsed.unnumbered.append(meeting)
                outcome = texts[-1]
            elif meeting is not None:  # continuation row: same meeting, another item
                outcome = texts[-1]
            else:
                continue
        if meeting["meeting_id"] and not any(m["meeting_id"] == meeting["meeting_id"] for m in parsed.meetings[-3:]):
            parsed.meetings.append(dict(meeting))
        drafts, rest = parse_outcome(outcome, meeting["meeting_id"], meeting["meeting_date"], source_id)
        for d in drafts:  # several texts known only by one meeting: S/PV.49-draft, S/PV.49-draft-2, ...
            if d["id_kind"] == "meeting_synthetic":
                n = parsed.synthetic.get(d["draft_id"], 0) + 1
                parsed.synthetic[d["draft_id"]] = n
                if n > 1:
                    d["draft_id"] = f"{d['draft_id']}-{n}"
        if meeting["meeting_kind"] == "written_procedure" and len(letters := _letters(texts[-2])) > 1 and len(letters) == len(drafts):
            # two procedures in one row (16 April 2021): each outcome letter records the text listed in the same place
            for d, letter in zip(drafts, letters):
                d["meeting_id"] = letter
                if letter != meeting["meeting_id"]:
                    parsed.meetings.append(dict(meeting, meeting_id=letter))
        parsed.drafts.extend(drafts)
        if not meeting["meeting_id"]:
            meeting.setdefault("drafts", []).extend(drafts)
        if re.search(r"\d+-\d+-\d+|S/RES|[Dd]raft|vetoed|adopted", rest):
            parsed.unparsed.append((path.name, meeting["meeting_id"], rest))


def _letters(cell: str) -> list[str]:
    """The document symbols (S/yyyy/n) a table cell lists, in order."""
    return [t for t in cell.split() if re.match(r"^S/\d{4}/\d+$", t)]


def parse_veto_list(path: Path, parsed: Parsed) -> None:
    rows = table_rows(path.read_text(encoding="utf-8", errors="replace"))
    for row in rows:
        texts = [c["text"] for c in row]
        if len(row) != 5 or texts[0] == "Date":
            continue
        y = re.search(r"\d{4}", texts[0])
        date = parse_date(texts[0], int(y.group(0)) if y else 0)
        meeting = MEETING.search(texts[2])
        parsed.vetoes.append({"date": date, "draft": texts[1], "meeting": f"S/PV.{meeting.group(1)}" if meeting else texts[2],
                              "agenda": texts[3], "vetoers": vetoers(texts[4]), "raw_vetoers": texts[4]})


VETO_SYMBOL = re.compile(r"S/PV\.\d+|S/\d{4}/\d+(?:/(?:Rev|Add|Corr)\.\d+)*|S/\d+(?:/(?:Rev|Add|Corr)\.\d+)*")


def veto_symbol(text: str) -> str:
    """The draft a veto-list cell names: its first symbol, without '(as amended)' and the like."""
    m = VETO_SYMBOL.search(text)
    return m.group(0) if m else text.strip()


def parse_folder(folder: str | Path) -> Parsed:
    folder = Path(folder)
    parsed = Parsed()
    for path in sorted(folder.glob("scact*_table_en.html")):
        m = re.match(r"scact(\d{4})(_covid)?_table_en$", path.stem)
        if not m:
            continue
        parse_year(path, int(m.group(1)), parsed, written=bool(m.group(2)))
    veto = folder / "scact_veto_table_en.html"
    if veto.exists():
        parse_veto_list(veto, parsed)
        parsed.sources.append({"source_id": "dhl:scact_veto", "source_kind": "library_table", "source_url": "https://research.un.org/en/docs/sc/quick/veto",
                               "source_title": "Security Council - Veto List", "publisher": "United Nations Dag Hammarskjöld Library", "copy_kind": "official"})
    return parsed


def resolve_duplicates(drafts: list[dict], vetoes: list[dict]) -> tuple[list[dict], list[str]]:
    """One row per draft: where the yearly tables list a draft twice, the row at the meeting the veto list names wins
    (S/5407: 3 September 1963, S/PV.1063; S/11400: 31 July 1974, S/PV.1788), else the first; and where the veto list
    names a revision (S/18087/Rev.1) that the tables record under its original symbol at the same meeting, the
    tables' row is the vetoed revision, so one veto is counted, not two."""
    notes = []
    veto_meeting = {veto_symbol(v["draft"]): v["meeting"] for v in vetoes}
    symbols = {d["draft_id"] for d in drafts}
    revisions: dict[tuple[str, str], str] = {}  # (original symbol, meeting) -> the first revision the veto list names there
    for sym, meeting in veto_meeting.items():
        if "/Rev." in sym:
            revisions.setdefault((sym.split("/Rev.")[0], meeting), sym)
    for d in drafts:
        rev = revisions.get((d["draft_id"], d["meeting_id"]))
        if rev and rev not in symbols and d.get("outcome") == "vetoed":
            notes.append(f"veto list: {rev} is the text vetoed at {d['meeting_id']}; the yearly table's {d['draft_id']} is recorded as {rev}")
            d["draft_id"] = rev
            symbols.add(rev)
    out, index = [], {}
    for d in drafts:
        first = index.get(d["draft_id"])
        if first is None:
            index[d["draft_id"]] = len(out)
            out.append(d)
            continue
        kept = out[first]
        if veto_meeting.get(d["draft_id"]) == d["meeting_id"] != kept["meeting_id"]:
            notes.append(f"duplicate in the library tables: {d['draft_id']} at {kept['meeting_id']} and {d['meeting_id']}: the veto list's {d['meeting_id']} kept")
            if d.get("outcome") != "vetoed":  # the veto list is the record of the veto: the row takes its outcome and vetoers
                d["outcome"], d["_vetoers"] = "vetoed", kept.get("_vetoers") or []
            out[first] = d
        else:
            notes.append(f"duplicate in the library tables: {d['draft_id']} at {kept['meeting_id']} and {d['meeting_id']}: first kept, to be curated")
    return out, notes
