"""Addresses of the official documents, and the stable page name of a draft: one place for each rule.

The site's pages and the `drafts_overview` view (so `unsc.load()`, the Parquet and SQLite release) use these. Every function returns `None` when it cannot
build an address from what it is given (a draft id that is not a document symbol, a missing year), never a guess.

Rules:

- a document symbol `S/…`            -> https://undocs.org/en/<symbol>
- resolution `n` of `year`           -> https://undocs.org/en/S/RES/<n>(<year>)
- meeting record number `n`          -> https://undocs.org/en/S/PV.<n>
- press release `SC/15462` of `year` -> https://press.un.org/en/<year>/sc15462.doc.htm
"""
from __future__ import annotations

import re
from urllib.parse import quote

UNDOCS = "https://undocs.org/en/"
PRESS = "https://press.un.org/en/"

_SYMBOL = re.compile(r"^S/[A-Za-z0-9./()\- ]+$")
_PSEUDO = re.compile(r"^S/PV\.\d+-.+$")  # our ids for texts without a symbol: S/PV.1063-vetoed, S/PV.9999-amendment-1
_RES_ID = re.compile(r"^S/RES/(\d+) ?\((\d{4})\)$")
_PRESS = re.compile(r"^SC/(\d+)$")
_UNSAFE = re.compile(r"[^A-Za-z0-9.\-]+")


def draft_page(draft_id: str) -> str:
    """The file name (without `.html`/`.md`) of a draft's page, from its `draft_id`: stable and safe on every
    file system and in a URL. Each run of characters other than ASCII letters, digits, `.` and `-` becomes one `-`;
    leading and trailing `-` and `.` are dropped; case is kept.

    `S/2023/773` -> `S-2023-773`; `S/RES/2712 (2023)` -> `S-RES-2712-2023`; `S/PV.1063-vetoed` -> `S-PV.1063-vetoed`;
    `vote:2025-02-24-amendment-1` -> `vote-2025-02-24-amendment-1`.
    Two ids that map to the same name are refused by the site build (`unsc.publish.pages.drafts`), never renamed."""
    name = _UNSAFE.sub("-", str(draft_id)).strip("-.")
    return name or "x"


def document_url(symbol) -> str | None:
    """undocs.org address of a Security Council document symbol (`S/2023/773`, `S/RES/2712 (2023)`)."""
    if not isinstance(symbol, str):
        return None
    symbol = symbol.strip()
    m = _RES_ID.match(symbol)
    if m:
        return resolution_url(int(m.group(1)), int(m.group(2)))
    if not _SYMBOL.match(symbol) or _PSEUDO.match(symbol):
        return None
    return UNDOCS + quote(symbol, safe="/.()-")


def resolution_url(number, year) -> str | None:
    """undocs.org address of resolution *number* adopted in *year*: `S/RES/2712(2023)`."""
    try:
        return f"{UNDOCS}S/RES/{int(number)}({int(year)})"
    except (TypeError, ValueError):
        return None


def meeting_url(number) -> str | None:
    """undocs.org address of the verbatim record of meeting *number*: `S/PV.9442`."""
    try:
        return f"{UNDOCS}S/PV.{int(number)}"
    except (TypeError, ValueError):
        return None


def press_release_url(symbol, year) -> str | None:
    """press.un.org address of a Security Council press release (`SC/15462`, 2023)."""
    if not isinstance(symbol, str):
        return None
    m = _PRESS.match(symbol.strip())
    try:
        return f"{PRESS}{int(year)}/sc{m.group(1)}.doc.htm" if m else None
    except (TypeError, ValueError):
        return None


LINK_COLUMNS = ("draft_url", "resolution_url", "meeting_record_url", "press_release_url")


def document_links(draft_id, draft_symbol=None, resolution_number=None, year=None, meeting_number=None, press_release=None) -> dict:
    """The official address of each document of a draft, by the column the views give it (`LINK_COLUMNS`), `None`
    where none can be built: the draft (its own symbol where the record has one, else its id if that is a document
    symbol; never the resolution's symbol), the resolution, the meeting record, the press release. The site's
    "Official documents" and the `drafts_overview` view both come from here."""
    symbol = _own_symbol(draft_id, draft_symbol)
    return {
        "draft_url": None if (isinstance(symbol, str) and _RES_ID.match(symbol)) else document_url(symbol),
        "resolution_url": resolution_url(resolution_number, year),
        "meeting_record_url": meeting_url(meeting_number),
        "press_release_url": press_release_url(press_release, year),
    }


def official_links(draft_id, resolution_number=None, year=None, meeting_number=None, press_release=None,
                   draft_symbol=None) -> list[tuple[str, str]]:
    """(label, address) of every official document of a draft that can be addressed: the draft, the resolution,
    the meeting record and the press release, in that order, without duplicates."""
    urls = document_links(draft_id, draft_symbol, resolution_number, year, meeting_number, press_release)
    labels = {"draft_url": f"Draft {_own_symbol(draft_id, draft_symbol)}", "resolution_url": f"Resolution {_int(resolution_number)} ({_int(year)})",
              "meeting_record_url": f"Meeting record S/PV.{_int(meeting_number)}", "press_release_url": f"Press release {press_release}"}
    out: list[tuple[str, str]] = []
    seen = set()
    for column in LINK_COLUMNS:
        url = urls[column]
        if url and url not in seen:
            seen.add(url)
            out.append((labels[column], url))
    return out


def _own_symbol(draft_id, draft_symbol):
    """The draft's own document symbol where the record has one, else its id."""
    return draft_symbol if isinstance(draft_symbol, str) and draft_symbol else draft_id


def _int(v) -> str:
    try:
        return str(int(v))
    except (TypeError, ValueError):
        return ""


__all__ = ["draft_page", "document_url", "resolution_url", "meeting_url", "press_release_url", "document_links", "official_links",
           "LINK_COLUMNS"]
