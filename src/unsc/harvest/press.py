"""The opening of a UN press release (SC/nnnnn) -> the votes it states.

A press release names the outcome in set phrases: "unanimously adopting resolution 2575 (2021)",
"by a vote of 12 in favour to 1 against (United States), with 2 abstentions (China, Russian
Federation)", "failed to be adopted owing to the negative vote of a permanent member", "failed to
obtain the required number of votes". This module reads those phrases and nothing else: a vote
whose outcome or tally the text does not state in one of them is not guessed. Input is plain text
(an opening copied from a page) or the page's HTML.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from unsc.harvest.names import Names, split_names
from unsc.harvest.rows import VoteRow

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
WORDS = {"none": 0, "no": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15}
NUM = r"(?:\d{1,2}|none|no|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen)"
PAREN = r"\((?P<{name}>[^()]*(?:\([^()]*\)[^()]*)*)\)"
# "12 in favour to 1 against (United States), with 2 abstentions (China, Russian Federation)"
TALLY = re.compile(
    rf"(?P<yes>{NUM})\s+(?:(?:votes?\s+)?in\s+favou?r|affirmative\s+votes?)(?:\s*{PAREN.format(name='favour')})?\s*,?\s*(?:to|with|and|,)?\s*"
    rf"(?P<no>{NUM})\s+(?:votes?\s+)?against(?:\s*{PAREN.format(name='against')})?"
    rf"(?:\s*,?\s*(?:with|and)\s+(?P<abs>{NUM})\s+(?:abstentions?|abstaining)(?:\s*{PAREN.format(name='abstaining')})?)?"
    rf"(?:\s*,?\s*(?:with|and)\s+(?P<npc>{NUM})\s+(?:members?\s+)?not\s+participating(?:\s*{PAREN.format(name='np')})?)?",
    re.I)
# "none against to 6 in favour, with 9 abstentions" (the order some procedural votes are written in)
TALLY_REVERSED = re.compile(
    rf"(?P<no>{NUM})\s+against(?:\s*{PAREN.format(name='against')})?\s*,?\s*(?:to|with|and)\s+(?P<yes>{NUM})\s+in\s+favou?r"
    rf"(?:\s*{PAREN.format(name='favour')})?(?:\s*,?\s*(?:with|and)\s+(?P<abs>{NUM})\s+abstentions?(?:\s*{PAREN.format(name='abstaining')})?)?", re.I)
# "by a vote of 14 in favour and 1 abstention (United States)", "with 13 Council members voting in favour and 2 abstentions
# (China, Russian Federation)", "by 14 Votes with 1 Abstention": no one against is stated, so it is read only where the
# votes and abstentions add up to the whole Council (then none can have voted against)
TALLY_NO_AGAINST = re.compile(
    rf"(?P<yes>{NUM})\s+(?:(?:Council\s+)?members?\s+voting\s+in\s+favou?r|votes?\s+in\s+favou?r|in\s+favou?r|votes?)"
    rf"(?:\s*{PAREN.format(name='favour')})?\s*(?:,\s*)?(?:and|with|to)?\s+(?P<abs>{NUM})\s+(?:abstentions?|abstaining)"
    rf"(?:\s*{PAREN.format(name='abstaining')})?(?!\s*,?\s*(?:and\s+|with\s+)?(?:{NUM})\s+(?:votes?\s+)?against)", re.I)
RESOLUTION = re.compile(r"(?:resolution|S/RES/)\s*(?P<n>\d{1,4})\s*\((?P<y>\d{4})\)", re.I)
ADOPTING = re.compile(
    r"(?:(?P<u1>unanimous(?:ly)?\s+)?adopt(?:ing|ed|s)\s+(?:(?P<u2>unanimously)\s+)?(?:as\s+)?(?:its\s+)?resolution\s*(?P<n>\d{1,4})\s*\((?P<y>\d{4})\)"
    r"|resolution\s*(?P<n2>\d{1,4})\s*\((?P<y2>\d{4})\)(?:[^.;]{0,80}?)\s+(?:was|is|being)\s+(?:(?P<u3>unanimously)\s+)?adopted(?P<u4>\s+unanimously)?"
    r"|(?P<u5>unanimous(?:ly)?\s+)?adopt(?:ing|ed|s|ion\s+of)\s+(?:(?P<u6>unanimously)\s+)?(?:a|the)\s+(?:new\s+)?(?:draft\s+)?resolution[^.]{0,200}?\(to\s+be\s+issued\s+as\s+(?:document\s+)?S/RES/\s*(?P<n3>\d{1,4})\s*\((?P<y3>\d{4})\)\)"
    # a headline's "Resolution 1059 (1996), Adopted Unanimously, Demands ..." / "By Resolution 1131 (1997), Adopted Unanimously, ..."
    r"|resolution\s*(?P<n4>\d{1,4})\s*\((?P<y4>\d{4})\)\s*,?\s*(?:(?P<u7>unanimously)\s+adopted|adopted\s+(?P<u8>unanimously))"
    # "By its unanimous adoption of resolution 1108 (1997)", "Following the unanimous adoption of resolution 2315 (2016)"
    r"|(?P<u9>unanimous)\s+adoption\s+of\s+(?:its\s+)?resolution\s*(?P<n5>\d{1,4})\s*\((?P<y5>\d{4})\))",
    re.I)
UNANIMITY_GROUPS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")


def adopted_number(m: re.Match) -> tuple[str, str]:
    """The resolution number and year an ADOPTING match names."""
    for n, y in (("n", "y"), ("n2", "y2"), ("n3", "y3"), ("n4", "y4"), ("n5", "y5")):
        if m.group(n):
            return m.group(n), m.group(y)
    raise ValueError(m.group(0))


# "Acting unanimously today, the Security Council renewed ..." followed by "By the terms of resolution 2598 (2021) ...":
# a unanimous decision whose resolution the next sentence names
UNANIMOUS_ACTION = re.compile(
    r"(?:\b(?:acting|decided|deciding|voted|voting)\s+unanimously|\bunanimously\s+(?:decided|voted|adopted|renewed|extended|agreed|authorized|authorised)"
    r"|\bunanimous(?:ly)?\s+(?:action|decision|vote)\b)", re.I)
NEXT_NAMES = re.compile(r"^\W*(?:By|Through|Under)\s+(?:the\s+terms\s+of\s+|its\s+|that\s+)?resolution\s*(?P<n>\d{1,4})\s*\((?P<y>\d{4})\)", re.I)
# the Council decides some matters without a vote (recommending a State's admission, the Secretary-General's appointment);
# a release's "unanimously" then does not say whether a vote was taken
WITHOUT_VOTE_MATTER = re.compile(
    r"(?:\badmi(?:ssion|tted)\b[^.]{0,80}?\b(?:membership|to\s+(?:the\s+)?United\s+Nations)|Admission\s+of\s+New\s+Members"
    r"|\brecommend\w*\b[^.]{0,160}?\bappoint\w*\b[^.]{0,60}?\bSecretary-General)", re.I)
UNANIMOUS_ADOPTION = re.compile(r"(?:unanimous(?:ly)?\s+adopt|adopt(?:ed|ing|s)\s+(?:[^.]{0,60}?\s)?unanimously|unanimous\s+adoption)", re.I)
WITHOUT_VOTE = re.compile(r"adopted\s+without\s+(?:a\s+)?vote", re.I)
FAILED = re.compile(r"(?:fail(?:ed|s|ing)?\s+to\s+(?:be\s+)?(?:adopt|pass|obtain|receive|garner|win|gain|secure|muster)|not\s+(?:been\s+)?adopted|defeated|rejected|veto(?:ed|es)?\b|blocked|negative\s+vote\s+of\s+a\s+permanent\s+member|did\s+not\s+(?:receive|obtain|garner|pass))", re.I)
VETO = re.compile(r"(?:negative\s+vote\s+of\s+a\s+permanent\s+member|\bveto(?:ed|es)?\b|casting\s+(?:a|its)\s+veto)", re.I)
SHORT = re.compile(r"(?:required\s+(?:number\s+of\s+)?(?:votes|majority)|nine\s+(?:affirmative\s+)?votes|sufficient\s+(?:number\s+of\s+)?votes|minimum\s+(?:of\s+)?nine)", re.I)
AMENDMENT = re.compile(r"\bamendments?\b", re.I)
PROCEDURAL = re.compile(r"(?:procedural\s+vote|provisional\s+agenda|adoption\s+of\s+the\s+agenda|the\s+agenda\s+(?:was|failed)|invitation\s+under\s+rule|adjourn)", re.I)
DRAFT = re.compile(r"(?<![A-Z/])(S/(?:19[4-9]\d|20\d\d)/\d{1,4}(?:/Rev\.\d)?)(?![\d/])")
# a symbol is the draft's only where the text introduces it as one ("draft resolution (document S/2020/654)",
# "the text (document S/2020/667)"), not where a report or letter is cited ("in its 16 September letter (document S/2020/909)")
DRAFT_INTRO = re.compile(r"(?:draft(?:\s+resolution)?|text|amendment)\W{0,3}(?:\(?\s*(?:document\s+)?)?$", re.I)


def draft_symbol(text: str) -> str:
    for m in DRAFT.finditer(text):
        if DRAFT_INTRO.search(text[max(0, m.start() - 40):m.start()]):
            return m.group(1)
    return ""
SC_SYMBOL = re.compile(r"(?<![A-Z])SC/(\d{4,5})\b")
MEETING = re.compile(r"\b(\d{3,5})(?:st|nd|rd|th)\s+meeting\b", re.I)
DATE = re.compile(rf"\b(\d{{1,2}})\s+({MONTHS})\s+((?:19|20)\d\d)\b")
DATE_ISO = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*$", re.M)
# the date lines of older pages: "28/09/2001" (day first) and "19970729 Resolution 1122 (1997), Adopted Unanimously"
DATE_SLASH = re.compile(r"^\s*(\d{2})/(\d{2})/((?:19|20)\d\d)\s*$", re.M)
DATE_COMPACT = re.compile(r"^\s*((?:19|20)\d\d)(\d\d)(\d\d)(?![\d/])", re.M)
PERMANENT = {"CHN", "TWN", "FRA", "GBR", "RUS", "SUN", "USA"}


def number(word: str) -> int:
    w = word.lower()
    return int(w) if w.isdigit() else WORDS[w]


def html_to_text(data: str) -> str:
    """The visible text of a press-release page, one block per line."""
    from lxml import html

    doc = html.fromstring(data)
    for bad in doc.xpath("//script|//style|//nav|//header|//footer|//noscript"):
        bad.drop_tree()
    main = doc.xpath("//main") or doc.xpath("//article") or [doc]
    blocks = []
    for el in main[0].iter("h1", "h2", "h3", "h4", "p", "li", "div"):
        if el.tag == "div" and el.xpath("./p|./div|./h1|./h2|./li"):
            continue
        t = re.sub(r"\s+", " ", el.text_content()).strip()
        if t and (not blocks or blocks[-1] != t):
            blocks.append(t)
    return "\n\n".join(blocks)


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; a full stop ends a sentence unless it ends an abbreviation or sits inside parentheses."""
    out, start, depth = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth = max(0, depth - (ch == ")"))
        end = ch == "\n" and text[i + 1:i + 2] == "\n"
        if ch in ".;:" and depth == 0 and (i + 1 == len(text) or text[i + 1] in " \n\"”’"):
            word = re.search(r"(\S+)$", text[start:i])
            if not (word and re.match(r"^(?:No|Nos|Art|para|paras|p|pp|Mr|Mrs|Ms|Dr|St|U\.S|U\.N|a\.m|p\.m|Rev|Corr|Add)$", word.group(1))):
                end = True
        if end:
            s = text[start:i + 1]
            if s.strip():
                out.append((start, s))
            start = i + 1
    if text[start:].strip():
        out.append((start, text[start:]))
    return out


@dataclass
class Context:
    source: str
    date: str
    meeting: str
    year: str


def header(text: str, source: str = "") -> Context:
    head = text[:600]
    sym = SC_SYMBOL.search(head)
    m = MEETING.search(head)
    d = DATE_ISO.search(head)
    date = d.group(1) if d else ""
    if not date:
        # the release's date line (a line holding only a date), or its dateline "NEW YORK, 29 July"
        dm = re.search(rf"^\s*(\d{{1,2}})\s+({MONTHS})\s+((?:19|20)\d\d)\s*$", head, re.M)
        if dm:
            day, month, year = dm.group(1), dm.group(2), dm.group(3)
            line = re.search(rf"^[A-Z][A-Z .]+,\s+(\d{{1,2}})\s+({MONTHS})\b", head, re.M)
            if line and MONTHS.split("|").index(line.group(2)) <= MONTHS.split("|").index(month):
                day, month = line.group(1), line.group(2)
            date = f"{year}-{MONTHS.split('|').index(month) + 1:02d}-{int(day):02d}"
    if not date:
        for rx, order in ((DATE_SLASH, (3, 2, 1)), (DATE_COMPACT, (1, 2, 3))):
            dm = rx.search(head)
            if dm:
                y, mo, dd = (dm.group(i) for i in order)
                if 1 <= int(mo) <= 12 and 1 <= int(dd) <= 31:
                    date = f"{y}-{mo}-{dd}"
                    break
    return Context(source=f"SC/{sym.group(1)}" if sym else source, date=date, meeting=f"S/PV.{m.group(1)}" if m else "", year=date[:4])


def names(text: str | None, names_: Names, date: str, unknown: list[str]) -> list[str]:
    ids = []
    for n in split_names(text or ""):
        sids = [names_.resolve(n, date)]
        if sids[0] is None:
            sids = run_together(n, names_, date) or [None]
        for sid in sids:
            if sid is None:
                unknown.append(n)
            elif sid not in ids:
                ids.append(sid)
    return ids


def run_together(name: str, names_: Names, date: str) -> list[str]:
    """Names a list ran together without their comma ("Kenya Russian Federation"): the known names that make up the
    whole of it, first ones longest; [] when the words are not all taken up by known names."""
    words = name.split()
    if len(words) < 2:
        return []
    for cut in range(len(words) - 1, 0, -1):
        head = names_.resolve(" ".join(words[:cut]), date)
        if head is None:
            continue
        tail = " ".join(words[cut:])
        rest = [names_.resolve(tail, date)] if names_.resolve(tail, date) else run_together(tail, names_, date)
        if rest:
            return [head] + rest
    return []


def parse(text: str, names_: Names, source: str = "", council_size=None) -> list[VoteRow]:
    """The votes stated in a release's text (plain or HTML)."""
    if re.search(r"^\s*<(?:!doctype|html|body|div|p)\b", text, re.I):
        text = html_to_text(text)
    text = text.replace("\u00a0", " ").replace("\u2011", "-")
    ctx = header(text, source)
    size = council_size or (lambda date: 11 if date and date < "1966-01-01" else 15)
    rows: list[VoteRow] = []
    sents = sentences(text)
    # a release on a matter the Council may decide without a vote says "unanimously" either way: no tally is read from that word
    no_vote_matter = bool(WITHOUT_VOTE_MATTER.search(re.sub(r"\s+", " ", text[:2000])))
    for idx, (_, s) in enumerate(sents):
        flat = re.sub(r"\s+", " ", s)
        found = False
        for rx in (TALLY, TALLY_REVERSED, TALLY_NO_AGAINST):
            for m in rx.finditer(flat):
                row = from_tally(m, flat, sents, idx, ctx, names_, size)
                if row is not None:
                    rows.append(row)
                    found = True
            if found:
                break
        if found:
            continue
        for m in ADOPTING.finditer(flat):
            n, y = adopted_number(m)
            if ctx.year and y != ctx.year:
                continue  # a resolution of another year: recalled, not adopted here
            if re.search(r"(?:recall|previous|earlier|extended\s+by|established\s+(?:by|in)|which\s+had\s+been)\W", flat[max(0, m.start() - 60):m.start()], re.I):
                continue
            unanimous = any(m.group(g) for g in UNANIMITY_GROUPS) or bool(UNANIMOUS_ADOPTION.search(flat))
            row = unanimous_row(ctx, n, y, flat, unanimous and not no_vote_matter, size)
            if row is not None:
                rows.append(row)
        # "Acting unanimously, the Council renewed ..." + "By the terms of resolution 2598 (2021), ...": the number comes next
        if idx + 1 < len(sents) and not no_vote_matter and UNANIMOUS_ACTION.search(flat) and not RESOLUTION.search(flat) and not FAILED.search(flat):
            nxt = NEXT_NAMES.match(re.sub(r"\s+", " ", sents[idx + 1][1]))
            if nxt and (not ctx.year or nxt.group("y") == ctx.year):
                rows.append(unanimous_row(ctx, nxt.group("n"), nxt.group("y"), flat, True, size))
        if not found and not any(r for r in rows if r is not None) and VETO.search(flat) and re.search(r"negative\s+vote\s+of\s+a\s+permanent\s+member", flat, re.I):
            pass
    return dedupe(rows)


def unanimous_row(ctx: Context, n: str, y: str, flat: str, unanimous: bool, size) -> VoteRow | None:
    """The row for a resolution a sentence says was adopted; None where it states no tally."""
    date = ctx.date or ""
    row = VoteRow(source=ctx.source, date=date, meeting=ctx.meeting, resolution=f"S/RES/{int(n)} ({y})", outcome="adopted")
    if WITHOUT_VOTE.search(flat):
        row.outcome = "adopted_without_vote"
    elif unanimous:
        row.yes, row.no, row.abstain = size(date or f"{y}-12-31"), 0, 0
    else:
        return None  # adopted, but the tally is not stated in this sentence: nothing to add
    row.draft = draft_symbol(flat)
    row.kind = "procedural" if PROCEDURAL.search(flat) else "draft_resolution"
    return row


def from_tally(m: re.Match, flat: str, sents, idx: int, ctx: Context, names_: Names, size) -> VoteRow | None:
    gd = m.groupdict()
    yes = number(m.group("yes"))
    abs_ = number(m.group("abs")) if m.group("abs") else None
    if "no" in gd:
        no = number(m.group("no"))
    elif yes + (abs_ or 0) == size(ctx.date or f"{ctx.year or '2000'}-12-31"):
        no = 0  # "14 in favour and 1 abstention": the whole Council voted, so none against
    else:
        return None
    npc = number(gd["npc"]) if gd.get("npc") else None
    before = flat[:m.start()]
    # the statement this tally belongs to: its own sentence, or the one before when it opens with the tally ("By 13 votes ...")
    scope = flat
    prev = re.sub(r"\s+", " ", " ".join(t for _, t in sents[max(0, idx - 2):idx]))
    res = None
    for r in RESOLUTION.finditer(before):
        if not ctx.year or r.group("y") == ctx.year:
            res = r
    if res is None:
        after = RESOLUTION.search(flat[m.end():m.end() + 120])
        if after and (not ctx.year or after.group("y") == ctx.year) and re.search(r"^\W*(?:as|adopting|,)?\s*(?:(?:it|the\s+(?:\S+\s+)?Council)\s+)?(?:adopted\s+)?(?:as\s+)?resolution", flat[m.end():m.end() + 60], re.I):
            res = after
    if res is None and idx > 0 and not re.search(r"\b(?:draft|amendment)\b", flat[:m.start()], re.I):
        last = re.sub(r"\s+", " ", sents[idx - 1][1])
        for r in ADOPTING.finditer(last):
            n, y = r.group("n") or r.group("n2") or r.group("n3"), r.group("y") or r.group("y2") or r.group("y3")
            if (not ctx.year or y == ctx.year) and not TALLY.search(last):
                res = RESOLUTION.search(f"resolution {n} ({y})")
    if yes + no + (abs_ or 0) > 15:
        return None  # a General Assembly vote quoted in the release
    date = ctx.date
    if abs_ is None and yes + no == size(date or (res.group("y") + "-12-31" if res else "")):
        abs_ = 0
    failed = bool(FAILED.search(scope)) and not re.search(r"\badopt(?:ed|ing)\s+(?:unanimously\s+)?(?:as\s+)?resolution", scope[:m.start()], re.I)
    adopted = bool(re.search(r"\badopt|\bapprov|\bendorse|\bpassed\b|\bextend|\brenew|\bdecid|\bauthoriz|\bcarried\b", scope, re.I)) and not failed
    if not failed and not adopted and prev:
        failed = bool(FAILED.search(prev))
        adopted = bool(re.search(r"\badopt", prev, re.I)) and not failed
    if not failed and not adopted:
        return None
    unknown: list[str] = []
    against = names(gd.get("against"), names_, date, unknown)
    abstaining = names(gd.get("abstaining"), names_, date, unknown)
    favour = names(gd.get("favour"), names_, date, unknown)
    kind = "amendment" if AMENDMENT.search(scope[max(0, m.start() - 250):m.start()]) else ("procedural" if PROCEDURAL.search(scope) or PROCEDURAL.search(prev) and "agenda" in scope.lower() else "draft_resolution")
    if adopted:
        outcome = "adopted"
    elif kind == "procedural":
        outcome = "not_adopted"
    elif VETO.search(scope) and not re.search(r"\bnot\s+(?:a\s+)?veto|did\s+not\s+constitute\s+a\s+veto", scope, re.I):
        outcome = "vetoed"
    elif SHORT.search(scope):
        outcome = "not_adopted"
    elif yes >= (7 if date and date < "1966-01-01" else 9) and no > 0:
        outcome = "vetoed"  # enough votes in favour, so a negative vote was a permanent member's
    elif yes < (7 if date and date < "1966-01-01" else 9):
        outcome = "not_adopted"
    else:
        return None
    if outcome == "vetoed" and against and not (set(against) & PERMANENT):
        return None  # the text contradicts itself; leave it to a person
    row = VoteRow(source=ctx.source, date=date, meeting=ctx.meeting, outcome=outcome, yes=yes, no=no, abstain=abs_,
                  against=against, abstaining=abstaining, in_favour=favour, kind=kind, not_participating_count=npc, unknown_names=unknown)
    if res is not None and outcome == "adopted" and kind != "amendment":
        row.resolution = f"S/RES/{int(res.group('n'))} ({res.group('y')})"
    sym = draft_symbol(flat) or (draft_symbol(prev) if kind == "draft_resolution" and not row.resolution else "")
    row.draft = sym if kind != "amendment" else ""
    # a named list that does not match its count is not taken
    if (against and len(against) != no) or (abstaining and abs_ is not None and len(abstaining) != abs_):
        row.against, row.abstaining = ([] if len(against) != no else against), ([] if abs_ is None or len(abstaining) != abs_ else abstaining)
    return row


def dedupe(rows: list[VoteRow]) -> list[VoteRow]:
    """One row per vote: the headline and the body often state the same one."""
    out: list[VoteRow] = []
    for r in rows:
        same = None
        for o in out:
            if r.resolution and o.resolution == r.resolution:
                same = o
            elif not r.resolution and not o.resolution and r.kind == o.kind and (r.outcome, r.yes, r.no, r.abstain) == (o.outcome, o.yes, o.no, o.abstain) and (not r.draft or not o.draft or r.draft == o.draft):
                same = o
            elif (r.resolution or o.resolution) and r.kind == o.kind == "draft_resolution" and r.outcome == o.outcome and r.yes is not None and (r.yes, r.no, r.abstain) == (o.yes, o.no, o.abstain) and not (r.resolution and o.resolution):
                same = o
            if same:
                break
        if same is None:
            out.append(r)
            continue
        for f in ("resolution", "draft", "date", "meeting"):
            if not getattr(same, f) and getattr(r, f):
                setattr(same, f, getattr(r, f))
        for f in ("yes", "no", "abstain"):
            if getattr(same, f) is None and getattr(r, f) is not None:
                setattr(same, f, getattr(r, f))
        for f in ("against", "abstaining", "in_favour"):
            if not getattr(same, f) and getattr(r, f):
                setattr(same, f, getattr(r, f))
    return out
