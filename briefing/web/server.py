"""The web server behind `briefing serve` (textual-serve, with a guard in front).

Who gets in: whoever holds the link printed at start. Everything lives under a path that
holds the token, `/s/<token>/` — the page, its script and fonts, the WebSocket — so the page
carries it itself; anything else gets 403 and no byte of the book. On a shared SSH host
every local user can reach 127.0.0.1: the token is what keeps them out. It is never put in
a cookie: browsers send cookies to every port of a host, so another local user's server on
127.0.0.1 would receive it. A download (`/download/<key>`) needs no token: its key is a
random one-use name the app hands only to its own page.

What it fetches: nothing from outside. The page, its script and its fonts are served from
here, and a Content-Security-Policy tells the browser to fetch from nowhere else.

How long: at most `max_sessions` tabs at once (each its own `briefing` process); a tab
silent for `idle` seconds is closed; Ctrl+C ends every session, then the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import re
import time
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

MAX_COLUMNS, MAX_ROWS = 1000, 500
"""A browser asks for the terminal size it fits: anything beyond is refused as noise (a
100,000-column screen cost gigabytes)."""
STOP_WAIT = 5.0
"""Seconds an app has to quit when its tab closes before it is killed."""
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

    @property
    def prefix(self) -> str:
        return f"/s/{self.token}"

    def _allowed(self, path: str) -> bool:
        """Under `/s/<token>/` (compared in constant time), or a download's one-use key."""
        parts = path.split("/", 3)
        if len(parts) >= 4 and parts[1] == "s":
            return hmac.compare_digest(parts[2].encode(), self.token.encode())
        return len(parts) == 3 and parts[1] == "download" and bool(parts[2])

    @web.middleware
    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not _HOST.fullmatch(request.host):
            # It is written into the page and its policy: only a plain host[:port].
            return web.Response(status=400, text="400 Bad Request: a strange Host header\n")
        if not self._allowed(request.path):
            return web.Response(status=403, text=DENIED)
        if request.path.endswith("/ws"):
            origin = request.headers.get("Origin", "")
            if origin and origin.split("://", 1)[-1] != request.host:
                return web.Response(status=403, text="403 Forbidden: another site's page\n")
        response = await handler(request)
        response.headers["Content-Security-Policy"] = _csp(request.host)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        if request.path == self.prefix + "/":
            response.headers["Cache-Control"] = "no-store"
        return response

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
        prefix = self.prefix
        app.add_routes(
            [
                web.get(prefix + "/", self.handle_index, name="index"),
                web.get(prefix + "/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static(prefix + "/static", STATIC, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    # -- the page ------------------------------------------------------------------------------

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, with its URLs on the host the browser used (an `ssh -L` forward may put
        the server on another local port than the one it listens on)."""
        base = f"{request.scheme}://{request.host}{self.prefix}"
        ws = ("wss" if request.scheme == "https" else "ws") + f"://{request.host}{self.prefix}/ws"
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
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1024 * 1024)
        width, height = _size(request.query.get("width"), request.query.get("height"))
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
            await websocket.close()
            await _stop(service)
            self.sessions.pop(websocket, None)  # counted until its app has ended
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, service: AppService) -> None:
        """The browser's keys, resizes and focus changes to the app (as textual-serve
        does), noting when the tab last said anything."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            self.sessions[websocket] = time.monotonic()
            try:
                envelope = message.json()
            except (ValueError, RecursionError):
                continue  # not a message of the page's: ignored
            if not isinstance(envelope, list) or not envelope:
                continue
            kind = envelope[0]
            data = envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(*_size(data.get("width"), data.get("height")))
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
        lines, and the token (in every path) must never reach a log. A malformed request
        from anyone on the machine is refused without a traceback in this terminal."""
        for name in ("aiohttp.access", "aiohttp.server", "aiohttp.web", "textual-serve"):
            logging.getLogger(name).setLevel(logging.CRITICAL)


def _size(width: object, height: object) -> tuple[int, int]:
    """A terminal size the page asked for, within what any screen has."""
    w = to_int(str(width), 80) if width is not None else 80
    h = to_int(str(height), 24) if height is not None else 24
    return min(max(w, 10), MAX_COLUMNS), min(max(h, 5), MAX_ROWS)


async def _stop(service: AppService) -> None:
    """Ask the app to quit; kill it if it has not within STOP_WAIT seconds."""
    process = getattr(service, "_process", None)
    try:
        await asyncio.wait_for(service.stop(), STOP_WAIT)
    except (TimeoutError, Exception):
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(process.wait(), STOP_WAIT)
