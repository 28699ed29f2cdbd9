"""Where a source was read: the United Nations' own hosts, the reviewed outlets, and the kind of copy.

The one list of UN hosts and the one reader of `curation/outlets.csv`: the importers use them to say
what kind of copy a curator read, and `unsc validate` (rules `provenance.*`) to hold every source to it.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import urlparse

# Hosts run by the United Nations: each one and its subdomains (press.un.org, digitallibrary.un.org,
# documents.un.org, research.un.org, unitams.unmissions.org, unis.unvienna.org, ...).
UN_HOSTS = ("un.org", "undocs.org", "unvienna.org", "ungeneva.org", "unog.ch", "unmissions.org", "unmultimedia.org", "reliefweb.int")

# Kinds of source that are UN records: read on a UN host, or in a copy reviewed as an accepted reproduction.
UN_RECORD_KINDS = ("press_release", "meeting_record", "un_document")

# What `copy_kind` counts as official in coverage: read on a UN page, or an accepted verbatim reproduction of it.
OFFICIAL_COPIES = ("official", "reproduction")

# The package's own outlet list; a test may point this elsewhere.
OUTLETS_PATH = Path(__file__).resolve().parents[3] / "curation" / "outlets.csv"


def host_of(url: str) -> str:
    """The host of *url*, lower-case, without `www.` and a trailing dot; '' if it has none."""
    try:
        host = urlparse(url or "").hostname or ""
    except ValueError:
        return ""
    return re.sub(r"^www\.", "", host.lower()).rstrip(".")


def is_un_host(host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in UN_HOSTS)


def load_outlets(path: Path | None = None) -> dict[str, dict]:
    """The reviewed list of non-UN outlets: host -> its row (verdict, kind, reason); empty if the file is absent."""
    path = Path(path or OUTLETS_PATH)
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["host"].strip(): r for r in csv.DictReader(fh)}


def copy_kind(kind: str, url: str, read_at: str = "", declared: str = "") -> str:
    """What kind of copy a source was read in: the curator's *declared* value, else what its kind and host say.

    `official` when the copy read (read_at, else url) is on a UN host; a member's statement on its own site is
    `government`; everything else not declared a `reproduction` is `secondary`.
    """
    if declared:
        return declared
    where = host_of(read_at or url)
    if where and is_un_host(where):
        return "official"
    if kind == "member_statement":
        return "government"
    return "secondary"
