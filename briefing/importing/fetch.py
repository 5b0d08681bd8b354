"""Inputs given as URLs: fetched once, into a temporary file, before the import reads them.

httpx follows redirects; the final URL is what an article from a page cites. A page
(`text/html`, or anything not a feed) is refused beyond the import's size limit while it
downloads; a feed has no total cap (it is read item by item, each item capped), only a
hard ceiling against an endless stream. Each URL has a time limit as a whole, not only per
read. A failure is one line for that URL (status, timeout, TLS, refused, a 304 to a
request that was not conditional), and the other inputs import. What a server says is
never trusted to be well formed: a `Retry-After` that is neither seconds nor an HTTP date
is ignored (and any wait is at most `MOST_WAIT`), and an ETag or Last-Modified that could
not be sent back as it came (not printable ASCII, or absurdly long) is not kept.
"""

from __future__ import annotations

import contextlib
import math
import re
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
MOST_WAIT = 24 * 3600
"""The longest `Retry-After` honoured (a day): a server cannot put a feed off for ever."""
_FEED_TYPES = ("xml", "rss", "atom", "json")
_DIGITS = re.compile(r"[0-9]+")
_VALIDATOR = re.compile(r"[\x20-\x7e]{1,1024}")
"""An ETag or Last-Modified fit to be sent back: printable ASCII (httpx refuses anything
else in a header it sends), and not a kilobyte of it."""


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def normal_url(url: str) -> str:
    """`url` with its scheme and host in lower case (they are case-insensitive; the path,
    query and user name are not), and otherwise exactly as given: `HTTP://Example.org/A`
    and `http://example.org/A` are one feed. Anything without `scheme://` is returned as
    it is."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme or not scheme.isascii() or not scheme.isalpha():
        return url
    end = next((i for i, c in enumerate(rest) if c in "/?#"), len(rest))
    authority, tail = rest[:end], rest[end:]
    user, at, host = authority.rpartition("@")
    return f"{scheme.lower()}://{user}{at}{host.lower()}{tail}"


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
                if not headers:  # nothing to compare with: not an answer to this request
                    raise ImportFailed(
                        "answered 304 Not Modified to an unconditional request (no ETag or "
                        "Last-Modified was sent)"
                    )
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
                validator(response.headers.get("etag", "")),
                validator(response.headers.get("last-modified", "")),
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
    except (httpx.InvalidURL, ValueError) as exc:  # `http://[::1/`, `http://a..b/` (IDNA)
        target.unlink(missing_ok=True)
        why = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise ImportFailed(f"not a URL that can be fetched ({why})") from None


def validator(value: str) -> str:
    """An ETag or Last-Modified as it is sent back next time; "" when it cannot be."""
    value = value.strip()
    return value if _VALIDATOR.fullmatch(value) else ""


def _seconds(retry_after: str) -> float:
    """`Retry-After` as seconds, at most `MOST_WAIT`: a number of seconds (ASCII digits),
    or an HTTP date. Anything else (a malformed or hostile header) is 0: not said."""
    value = retry_after.strip()
    if not value:
        return 0.0
    if _DIGITS.fullmatch(value):
        # A 400-digit number is inf as a float: compare the digits, not their value.
        digits = value.lstrip("0") or "0"
        return float(min(int(digits), MOST_WAIT)) if len(digits) <= 12 else float(MOST_WAIT)
    from email.utils import parsedate_to_datetime

    try:
        wait = parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError, IndexError, OverflowError, OSError):
        return 0.0
    if not math.isfinite(wait):
        return 0.0
    return min(max(0.0, wait), float(MOST_WAIT))
