"""UN Digital Library voting records (MARCXML) -> the votes they state.

The fields read, as the library fills them in its voting records:
967 one per member ($c code, $d vote Y/N/A, none for non-voting, $e name); 996 the tally
($b yes, $c no, $d abstentions, $e non-voting, $f members); 791 the resolution symbol, 191 the
document symbol, 993 related documents (ind1 2 = draft, ind1 4 = meeting record), 952 the meeting;
269 (or 992) the date; 245 the title; 991 the agenda; 650 (or 991 $d) the subjects; 591 a note
("adopted without vote").
"""
from __future__ import annotations

import re

from lxml import etree

from unsc.harvest.names import Names
from unsc.harvest.rows import VoteRow

RES = re.compile(r"^S/RES/(\d+)\s*\((\d{4})\)$")
DRAFT = re.compile(r"^S/(?:19[4-9]\d|20\d\d)/\d+(?:/Rev\.\d+)?$")
MEETING = re.compile(r"^S/PV\.(\d+)(?:\s*\(Resumption\s*\d\))?$")
VOTE = {"Y": "yes", "N": "no", "A": "abstain"}


class NotAVotingRecord(ValueError):
    pass


def _sub(field, code: str) -> list[str]:
    return [(s.text or "").strip() for s in field if isinstance(s.tag, str) and s.tag.endswith("subfield") and s.get("code") == code]


def _fields(record, tag: str):
    return [f for f in record if isinstance(f.tag, str) and f.tag.endswith("datafield") and f.get("tag") == tag]


def _first(record, tag: str, code: str) -> str:
    for f in _fields(record, tag):
        for v in _sub(f, code):
            if v:
                return v
    return ""


def records(data: bytes):
    """The <record> elements of a MARCXML file (a <collection> or a single <record>)."""
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as e:
        raise NotAVotingRecord(f"not well-formed XML ({e})") from None
    if root.tag.endswith("record"):
        return [root]
    return [r for r in root.iter() if isinstance(r.tag, str) and r.tag.endswith("record") and r is not root]


def parse(data: bytes, names: Names, source: str = "") -> list[VoteRow]:
    out = []
    for rec in records(data):
        row = parse_record(rec, names, source)
        if row is not None:
            out.append(row)
    return out


def _iso(value: str) -> str:
    v = value.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}$", v):
        return v
    if re.match(r"^\d{8}$", v):
        return f"{v[:4]}-{v[4:6]}-{v[6:]}"
    return ""


def parse_record(rec, names: Names, source: str = "") -> VoteRow | None:
    ctrl = {c.get("tag"): (c.text or "").strip() for c in rec if isinstance(c.tag, str) and c.tag.endswith("controlfield")}
    recid = ctrl.get("001", "")
    symbols = [_first(rec, "791", "a"), _first(rec, "191", "a")]
    resolution = ""
    for s in symbols:
        m = RES.match(s.replace("(", " (").replace("  ", " "))
        if m:
            resolution = f"S/RES/{int(m.group(1))} ({m.group(2)})"
            break
    if not resolution and not any(s.startswith("S/") for s in symbols if s):
        return None  # not a Security Council record
    draft, meeting = "", ""
    for f in _fields(rec, "993"):
        for v in _sub(f, "a"):
            if DRAFT.match(v) and (f.get("ind1") in ("2", " ", None) or not draft):
                draft = draft or v
            elif MEETING.match(v):
                meeting = meeting or v
    for v in [_first(rec, "952", "a")]:
        if MEETING.match(v):
            meeting = meeting or v
    date = _iso(_first(rec, "269", "a")) or _iso(_first(rec, "992", "a"))
    title = " ".join(x.strip(" :/") for x in (_first(rec, "245", "a"), _first(rec, "245", "b"), _first(rec, "245", "c")) if x)
    # 991 $d is the agenda item's title, the record's `meetings.topic`; $a only the symbol of the letter or report behind it
    agenda = " ".join(v for f in _fields(rec, "991") for v in (_sub(f, "d")[:1] or _sub(f, "a")[:1]) if v)[:300]
    subjects = [v for f in _fields(rec, "650") for v in _sub(f, "a") if v]
    note = " ".join(v for f in _fields(rec, "591") for v in _sub(f, "a"))
    row = VoteRow(source=f"undl:{recid}" if recid else source, date=date, draft=draft, resolution=resolution, meeting=meeting, title=title,
                  url=f"https://digitallibrary.un.org/record/{recid}" if recid else "", agenda=agenda, subjects=subjects)
    t = _fields(rec, "996")
    if t:
        g = lambda c: (lambda v: int(v) if re.match(r"^\d+$", v) else None)((_sub(t[0], c) or [""])[0])  # noqa: E731
        row.yes, row.no, row.abstain, row.not_participating_count = g("b"), g("c"), g("d"), g("e")
    members = {"yes": [], "no": [], "abstain": [], "not_participating": []}
    for f in _fields(rec, "967"):
        code = (_sub(f, "c") or [""])[0]
        name = (_sub(f, "e") or [""])[0]
        vote = VOTE.get((_sub(f, "d") or [""])[0].upper(), "not_participating")
        sid = code if re.match(r"^[A-Z]{3}$", code) and names.known(code) else names.resolve(name, date)
        if sid is None:
            row.unknown_names.append(name or code)
            continue
        members[vote].append(sid)
    row.in_favour, row.against, row.abstaining, row.not_participating = (sorted(members[k]) for k in ("yes", "no", "abstain", "not_participating"))
    if re.search(r"without\s+(?:a\s+)?vote", note, re.I):
        row.outcome = "adopted_without_vote"
        row.yes = row.no = row.abstain = None
    elif resolution:
        row.outcome = "adopted"
    if row.yes is None and any(members.values()) and row.outcome != "adopted_without_vote":
        row.yes, row.no, row.abstain = len(members["yes"]), len(members["no"]), len(members["abstain"])
    return row
