"""A scriptable HTTP receiver on loopback: what a json:// webhook or a self-hosted ntfy answers."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next scripted status (200 once the script is empty); 'hang' waits
    until the test releases it (a service that does not answer in time)."""

    script: list[int | str] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    accepted: list[Request] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    server: ThreadingHTTPServer | None = None
    port: int = 0

    def start(self, port: int = 0) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(self.path, dict(self.headers.items()), self.rfile.read(length))
                receiver.requests.append(request)
                action = receiver.script.pop(0) if receiver.script else 200
                if action == "hang":
                    receiver.release.wait(60)
                    return
                status = int(action)
                if status == 200:
                    receiver.accepted.append(request)
                payload = b'{"id":"x1"}' if status == 200 else b'{"error":"scripted"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port or self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.release.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
