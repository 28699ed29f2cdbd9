"""Rules `provenance.*`: where a source was read is checked against the outlet policy.

A UN record (press release, meeting record, UN document) is read on a UN host, or in a copy declared a
`reproduction` on a host reviewed as accepted in `curation/outlets.csv`; no source or copy sits on a host
that list refuses or has not reviewed; and no address is an index, section or search page instead of the
document. The UN hosts and the outlet list are `unsc.domain.hosts`'s: defined once, read from the package root.
"""
from __future__ import annotations

import re

import pandas as pd

from unsc.domain import hosts
from unsc.validate.rules import rule

# Addresses that are obviously not the document they cite: a site's front page, a listing or section page,
# a search, a press.un.org path cut short of its `.doc.htm`.
NOT_A_DOCUMENT = (
    (re.compile(r"^https?://[^/?#]+/?$"), "the site's front page"),
    (re.compile(r"^https?://[^?#]*[?&](?:[^#]*&)?page=[0-9]+(?:[&#].*)?$"), "a listing page (page=n)"),
    (re.compile(r"^https?://[^?#]*/node/?(?:[?#].*)?$"), "a listing page (node)"),
    (re.compile(r"^https?://[^?#]*[?&](?:q|query|search|keys|search_api_fulltext|s)=.*$", re.I), "a search page"),
    (re.compile(r"^https?://[^?#]*/search(?:[/?#].*)?$", re.I), "a search page"),
    (re.compile(r"^https?://press\.un\.org/(?:[a-z]{2}/)?content/.*$"), "a section page of press.un.org"),
    (re.compile(r"^https?://press\.un\.org/.*\.doc$"), "a press.un.org path without its .doc.htm ending"),
    (re.compile(r"^https?://press\.un\.org/(?!.*\.html?$).*$"), "a press.un.org page that is not a release (a release ends in .htm)"),
)


def _addresses(s: pd.DataFrame):
    """(index, field, address, host) for each source_url and read_at of *s* that is set."""
    for col in ("source_url", "read_at"):
        if col not in s:
            continue
        for idx, u in s[col].dropna().items():
            if isinstance(u, str) and u:
                yield idx, col, u, hosts.host_of(u)


@rule("provenance.un-host", "sources",
      "A press release, meeting record or UN document is read on a UN host, or in a copy declared copy_kind=reproduction on a host accepted in curation/outlets.csv.",
      "re-source to the UN page (a press release SC/nnnnn is https://press.un.org/en/<year>/scnnnnn.doc.htm) and, if the text was read in a "
      "verbatim copy on a host reviewed as accepted, put that address in read_url with copy_kind reproduction; otherwise remove the fact")
def un_host(t):
    s = t["sources"]
    outlets = hosts.load_outlets()
    for idx in s.index[s["source_kind"].isin(hosts.UN_RECORD_KINDS)]:
        r = s.loc[idx]
        read_at = r.get("read_at") if isinstance(r.get("read_at"), str) else ""
        url = r.source_url if isinstance(r.source_url, str) else ""
        host = hosts.host_of(read_at or url)
        ck = r.get("copy_kind") if isinstance(r.get("copy_kind"), str) else ""
        field = "read_at" if read_at else "source_url"
        if not host or hosts.is_un_host(host):
            if ck == "reproduction":
                yield "sources", idx, "copy_kind", f"{r.source_id}: copy_kind is reproduction but the copy read is on the UN host {host}", r.source_id
            continue
        accepted = (outlets.get(host) or {}).get("verdict") == "accepted"
        if ck != "reproduction" or not accepted:
            why = "no copy_kind reproduction is declared" if ck != "reproduction" else f"{host} is not accepted in curation/outlets.csv"
            yield "sources", idx, field, f"{r.source_id} ({r.source_kind}) was read on {host}, not a UN host, and {why}", r.source_id


@rule("provenance.outlet", "sources",
      "Every source address and copy off a UN host is on a host reviewed as accepted in curation/outlets.csv.",
      "re-source the fact to the UN page or an accepted outlet and remove the row on this host; a host not yet reviewed is reviewed and listed in curation/outlets.csv first")
def outlet(t):
    outlets = hosts.load_outlets()
    s = t["sources"]
    for idx, col, u, host in _addresses(s):
        if not host or hosts.is_un_host(host):
            continue
        o = outlets.get(host)
        sid = s.at[idx, "source_id"]
        if o is None:
            yield "sources", idx, col, f"{sid}: {host} is not reviewed in curation/outlets.csv", sid
        elif o.get("verdict") != "accepted":
            yield "sources", idx, col, f"{sid}: {host} is refused in curation/outlets.csv ({o.get('reason', '')})", sid


@rule("provenance.address", "sources",
      "A source's address (and copy) is the page of the document it names, not an index, section or search page.",
      "replace the address with the document's own page (a press release: https://press.un.org/en/<year>/scnnnnn.doc.htm)")
def address(t):
    s = t["sources"]
    for idx, col, u, host in _addresses(s):
        what = next((label for pattern, label in NOT_A_DOCUMENT if pattern.match(u)), None)
        if what:
            sid = s.at[idx, "source_id"]
            yield "sources", idx, col, f"{sid}: {u} is {what}, not the document", sid


@rule("provenance.copy-kind", "sources",
      "copy_kind official means the copy read (read_at, else source_url) is on a UN host.",
      "set copy_kind to what the copy is: reproduction (an accepted verbatim copy), government or secondary")
def copy_kind_official(t):
    s = t["sources"]
    if "copy_kind" not in s:
        return
    for idx in s.index[s["copy_kind"] == "official"]:
        r = s.loc[idx]
        read_at = r.get("read_at") if isinstance(r.get("read_at"), str) else ""
        host = hosts.host_of(read_at or (r.source_url if isinstance(r.source_url, str) else ""))
        if host and not hosts.is_un_host(host):
            yield "sources", idx, "copy_kind", f"{r.source_id}: copy_kind is official but the copy read is on {host}, not a UN host", r.source_id
