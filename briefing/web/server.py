"""The web server behind `briefing serve` (textual-serve, with a guard in front).

Who gets in: whoever holds the token printed at start. The first page is opened with
`?token=…`; the server answers with a cookie holding it (HttpOnly, SameSite=Strict) and a
redirect to the bare page, so the token leaves the address bar, and every later request —
the page's script, its fonts, the WebSocket, a download — carries the cookie. Anything
without it gets 403 and no byte of the book. On a shared SSH host every local user can
reach 127.0.0.1: the token is what keeps them out.

What it fetches: nothing from outside. The page, its script and its fonts are served from
here, and a Content-Security-Policy tells the browser to fetch from nowhere else.

How long: at most `max_sessions` tabs at once (each its own `briefing` process); a tab
silent for `idle` seconds is closed; Ctrl+C ends every session, then the server.
"""

from __future__ import annotations

import asyncio
import hmac
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp_jinja2
import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

COOKIE = "briefing_token"
_HOST = re.compile(r"[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?")
"""What a Host header may be here: a name or an address, and a port."""
TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(textual_serve.__file__).resolve().parent / "static"
"""textual-serve's own script, stylesheet and fonts (Roboto Mono), served from here."""

DENIED = (
    "403 Forbidden: open the link `briefing serve` printed (it holds the token); "
    "this server lets nobody in without it.\n"
)


def _csp(host: str) -> str:
    """Only this server: the page's script, fonts and WebSocket, nothing else."""
    return (
        "default-src 'none'; "
        "script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        f"font-src 'self'; img-src 'self' data:; connect-src 'self' ws://{host} wss://{host}; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


class BriefServer(Server):
    def __init__(
        self,
        command: str,
        *,
        token: str,
        host: str = "127.0.0.1",
        port: int = 8750,
        title: str = "briefing",
        max_sessions: int = 4,
        idle: float = 30 * 60,
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            statics_path=STATIC,
            templates_path=TEMPLATES,
        )
        self.token = token
        self.max_sessions = max_sessions
        self.idle = idle
        self.sessions: dict[web.WebSocketResponse, float] = {}
        """Open tabs → when each last sent anything."""
        self._reaper: asyncio.Task[None] | None = None

    # -- the guard ---------------------------------------------------------------------------

    def _allowed(self, value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(value.encode(), self.token.encode())  # type: ignore[union-attr]

    @web.middleware
    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not _HOST.fullmatch(request.host):
            # It is written into the page and its policy: only a plain host[:port].
            return web.Response(status=400, text="400 Bad Request: a strange Host header\n")
        given = request.query.get("token")
        if self._allowed(given) and request.path == "/":
            # The token becomes a cookie and leaves the address bar (and any Referer).
            query = [(k, v) for k, v in request.query.items() if k != "token"]
            target = "/" + ("?" + urlencode(query) if query else "")
            response = web.HTTPSeeOther(target)
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/")
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["Cache-Control"] = "no-store"
            return response
        if not (self._allowed(given) or self._allowed(request.cookies.get(COOKIE))):
            return web.Response(status=403, text=DENIED)
        if request.path == "/ws":
            origin = request.headers.get("Origin", "")
            if origin and origin.split("://", 1)[-1] != request.host:
                return web.Response(status=403, text="403 Forbidden: another site's page\n")
        response = await handler(request)
        response.headers["Content-Security-Policy"] = _csp(request.host)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        if request.path == "/":
            response.headers["Cache-Control"] = "no-store"
        return response

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        return app

    # -- the page ------------------------------------------------------------------------------

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, with its URLs on the host the browser used (an `ssh -L` forward may put
        the server on another local port than the one it listens on)."""
        base = f"{request.scheme}://{request.host}"
        ws = ("wss" if request.scheme == "https" else "ws") + f"://{request.host}/ws"
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": ws,
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }

    # -- sessions ------------------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if len(self.sessions) >= self.max_sessions:
            raise web.HTTPServiceUnavailable(
                text=f"503: {self.max_sessions} sessions are open already; close one first\n"
            )
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        self.sessions[websocket] = time.monotonic()

        async def close() -> None:
            await websocket.close()

        service = AppService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        try:
            await service.start(width, height)
            await self._relay(websocket, service)
        except asyncio.CancelledError:
            pass
        finally:
            self.sessions.pop(websocket, None)
            await service.stop()
            await websocket.close()
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, service: AppService) -> None:
        """The browser's keys, resizes and focus changes to the app (as textual-serve
        does), noting when the tab last said anything."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            self.sessions[websocket] = time.monotonic()
            envelope = message.json()
            if not isinstance(envelope, list) or not envelope:
                continue
            kind = envelope[0]
            data = envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(
                    to_int(str(data.get("width", 80)), 80), to_int(str(data.get("height", 24)), 24)
                )
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _reap(self) -> None:
        """Close tabs idle longer than `idle` (their processes end with them)."""
        while True:
            await asyncio.sleep(min(30.0, max(self.idle / 4, 0.5)))
            now = time.monotonic()
            for websocket, last in list(self.sessions.items()):
                if now - last > self.idle:
                    await websocket.close(message=b"idle")

    async def on_startup(self, app: web.Application) -> None:
        self._reaper = asyncio.create_task(self._reap())

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C: every session closed (its process told to quit), then the server."""
        if self._reaper is not None:
            self._reaper.cancel()
        for websocket in list(self.sessions):
            await websocket.close(message=b"server stopped")

    def initialize_logging(self) -> None:
        """textual-serve's logging is a banner and every request: `serve` prints its own
        lines, and the token must never reach a log."""
