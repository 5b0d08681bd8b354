"""Inputs given as URLs: fetched once, into a temporary file, before the import reads them.

httpx follows redirects; the final URL is what an article from a page cites. A page
(`text/html`, or anything not a feed) is refused beyond the import's size limit while it
downloads; a feed has no total cap (it is read item by item, each item capped), only a
hard ceiling against an endless stream. Each URL has a time limit as a whole, not only per
read. A failure is one line for that URL (status, timeout, TLS, refused), and the other
inputs import.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing import __version__
from briefing.errors import ImportFailed

USER_AGENT = f"briefing/{__version__} (a terminal briefing book; one request per URL)"
TIMEOUT_S = 60.0
"""The most one URL may take, from connecting to the last byte."""
CEILING = 1 << 30
"""No download is larger than this (1 GiB), feeds included."""
_FEED_TYPES = ("xml", "rss", "atom", "json")


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


@dataclass
class Fetched:
    """What a GET brought: a body in `path` (None for 304 Not Modified), the final URL, and
    what the next conditional request sends back."""

    path: Path | None
    url: str
    etag: str = ""
    modified: str = ""


class Refused(ImportFailed):
    """The server said come back later (429/503): `retry_after` seconds (0: not said)."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def fetch(url: str, folder: Path, page_limit: int) -> tuple[Path, str]:
    """The body of `url` in a file in `folder`, and the final URL (after redirects).
    Raises ImportFailed with one line fit for the user."""
    got = get(url, folder, page_limit)
    assert got.path is not None
    return got.path, got.url


def client(connections: int = 10) -> Any:
    """An HTTP client for many requests (one TLS setup and connection pool for all of them:
    a client per request cost ~25 ms of CPU each). Thread-safe."""
    import httpx

    return httpx.Client(
        follow_redirects=True,
        max_redirects=10,
        timeout=httpx.Timeout(20.0, connect=10.0),
        headers={"User-Agent": USER_AGENT, "Accept": "*/*"},
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )


def get(
    url: str,
    folder: Path,
    page_limit: int,
    *,
    etag: str = "",
    modified: str = "",
    session: Any = None,
) -> Fetched:
    """`fetch`, conditionally: with `etag`/`modified` from the last time, a feed that has
    not changed answers 304 and costs nothing (`Fetched.path` None). `session`: a `client()`
    shared by many requests."""
    import httpx

    target = folder / f"download-{time.monotonic_ns()}-{threading.get_ident()}"
    deadline = time.monotonic() + TIMEOUT_S
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    own = session is None
    try:
        with (
            client(1) if own else contextlib.nullcontext(session) as http,
            http.stream("GET", url, headers=headers) as response,
        ):
            if response.status_code == 304:
                return Fetched(None, str(response.url), etag, modified)
            if response.status_code in (429, 503):
                wait = _seconds(response.headers.get("retry-after", ""))
                raise Refused(
                    f"HTTP {response.status_code} {response.reason_phrase or ''}".strip()
                    + (f" (retry after {wait:.0f} s)" if wait else ""),
                    wait,
                )
            if response.status_code >= 400:
                reason = response.reason_phrase or ""
                raise ImportFailed(f"HTTP {response.status_code} {reason}".strip())
            kind = response.headers.get("content-type", "").lower()
            is_feed = any(t in kind for t in _FEED_TYPES)
            limit = CEILING if is_feed else page_limit
            got = 0
            with target.open("wb") as fh:
                for chunk in response.iter_bytes(1 << 16):
                    got += len(chunk)
                    if got > limit:
                        raise ImportFailed(
                            f"too large (over {limit // 10**6} MB; a page may be at most "
                            f"{page_limit // 10**6} MB)"
                        )
                    if time.monotonic() > deadline:
                        raise ImportFailed(f"took over {TIMEOUT_S:.0f} s; stopped")
                    fh.write(chunk)
            return Fetched(
                target,
                str(response.url),
                response.headers.get("etag", ""),
                response.headers.get("last-modified", ""),
            )
    except ImportFailed:
        target.unlink(missing_ok=True)
        raise
    except httpx.TimeoutException:
        target.unlink(missing_ok=True)
        raise ImportFailed("timed out (no answer within 20 s)") from None
    except httpx.TooManyRedirects:
        target.unlink(missing_ok=True)
        raise ImportFailed("too many redirects") from None
    except httpx.HTTPError as exc:
        target.unlink(missing_ok=True)
        why = " ".join(str(exc).split())[:200] or type(exc).__name__
        if "CERTIFICATE" in why.upper() or "SSL" in why.upper():
            why = f"TLS: {why}"
        raise ImportFailed(f"cannot fetch ({why})") from None
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise ImportFailed(f"cannot save the download ({exc.strerror or exc})") from None


def _seconds(retry_after: str) -> float:
    """`Retry-After` as seconds: a number, or an HTTP date."""
    value = retry_after.strip()
    if not value:
        return 0.0
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, when.timestamp() - time.time())
