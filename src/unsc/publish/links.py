"""Addresses of the official documents, and the stable page name of a draft: one place for each rule.

The site uses these; the loader and the release can share them. Every function returns `None` when it cannot
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


def official_links(draft_id, resolution_number=None, year=None, meeting_number=None, press_release=None) -> list[tuple[str, str]]:
    """(label, address) of every official document of a draft that can be addressed: the draft, the resolution,
    the meeting record and the press release, in that order, without duplicates."""
    out: list[tuple[str, str]] = []
    candidates = [
        (f"Draft {draft_id}", None if (isinstance(draft_id, str) and _RES_ID.match(draft_id)) else document_url(draft_id)),
        (f"Resolution {_int(resolution_number)} ({_int(year)})", resolution_url(resolution_number, year)),
        (f"Meeting record S/PV.{_int(meeting_number)}", meeting_url(meeting_number)),
        (f"Press release {press_release}", press_release_url(press_release, year)),
    ]
    seen = set()
    for label, url in candidates:
        if url and url not in seen:
            seen.add(url)
            out.append((label, url))
    return out


def _int(v) -> str:
    try:
        return str(int(v))
    except (TypeError, ValueError):
        return ""


__all__ = ["draft_page", "document_url", "resolution_url", "meeting_url", "press_release_url", "official_links"]
