"""What tests of a real server process share: a free port, waiting for it to answer, the
server and its token."""

from __future__ import annotations

import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from web.bootstrap import Services

ROOT_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    base: str
    url: str
    token: str
    server: Any
    services: Services
    process: subprocess.Popen[bytes]

    def get(self, path: str, **kw: Any) -> requests.Response:
        return requests.get(self.base + path, timeout=15,
                            headers={"Authorization": f"Bearer {self.token}"}, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return requests.post(self.base + path, timeout=15,
                             headers={"Authorization": f"Bearer {self.token}"}, **kw)


def wait_http(url: str, timeout: float = 90) -> None:
    """Wait (bounded) for the server to answer; a busy machine starts gunicorn slowly."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 600:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise TimeoutError(url)
