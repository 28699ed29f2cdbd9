"""A polite HTTP client: retries with backoff, a rate limit, and an on-disk cache.

Every response body is kept in the cache folder under the sha256 of its address, so a re-run (or
a run resumed after an interruption) asks the network only for what it does not have yet. The
transport is `requests` with urllib3's `Retry` (backoff, Retry-After, 429/5xx); tests hand in a
fake transport instead.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

USER_AGENT = "unsc-record-harvest/0.1 (+https://github.com/; polite: 1 request/2 s)"


class Transport(Protocol):
    def __call__(self, url: str) -> tuple[int, bytes, str]:
        """(status, body, content type) of a GET."""


class FetchError(RuntimeError):
    pass


def requests_transport(retries: int = 5, backoff: float = 2.0, timeout: float = 60.0) -> Transport:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    s = requests.Session()
    retry = Retry(total=retries, backoff_factor=backoff, status_forcelist=(429, 500, 502, 503, 504), allowed_methods=("GET",),
                  respect_retry_after_header=True, raise_on_status=False)
    s.mount("https://", HTTPAdapter(max_retries=retry))
    s.mount("http://", HTTPAdapter(max_retries=retry))
    s.headers["User-Agent"] = USER_AGENT

    def get(url: str) -> tuple[int, bytes, str]:
        try:
            r = s.get(url, timeout=timeout)
        except requests.RequestException as e:
            raise FetchError(f"{url}: {type(e).__name__}: {e}") from None
        return r.status_code, r.content, r.headers.get("content-type", "")

    return get


@dataclass
class Fetched:
    url: str
    body: bytes
    content_type: str
    from_cache: bool


class Fetcher:
    """GET through the cache; at most one network request every *interval* seconds."""

    def __init__(self, cache: Path, transport: Transport | None = None, interval: float = 2.0,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.cache = Path(cache)
        self.cache.mkdir(parents=True, exist_ok=True)
        self.transport = transport
        self.interval = interval
        self.clock, self.sleep = clock, sleep
        self._last: float | None = None
        self.network_requests = 0

    def _paths(self, url: str, day: str | None = None) -> tuple[Path, Path]:
        h = hashlib.sha256((url + (f"#{day}" if day else "")).encode()).hexdigest()
        return self.cache / f"{h}.body", self.cache / f"{h}.json"

    def get(self, url: str, day: str | None = None) -> Fetched:
        """GET *url*; a listing whose content changes (a search page) passes *day*, so it is cached for that day only."""
        body_p, meta_p = self._paths(url, day)
        if body_p.exists() and meta_p.exists():
            meta = json.loads(meta_p.read_text())
            return Fetched(url, body_p.read_bytes(), meta.get("content_type", ""), True)
        if self.transport is None:
            self.transport = requests_transport()
        if self._last is not None:
            wait = self.interval - (self.clock() - self._last)
            if wait > 0:
                self.sleep(wait)
        self._last = self.clock()
        self.network_requests += 1
        status, body, ctype = self.transport(url)
        if status != 200:
            raise FetchError(f"{url}: HTTP {status}")
        # body first, then the metadata that marks it complete: an interrupted write is fetched again
        tmp = body_p.with_suffix(".part")
        tmp.write_bytes(body)
        tmp.replace(body_p)
        meta_p.write_text(json.dumps({"url": url, "content_type": ctype}))
        return Fetched(url, body, ctype, False)
