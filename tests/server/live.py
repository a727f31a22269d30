"""A real uvicorn on loopback for the TLS, browser and bench runs: in a thread (an app object a
test built) or as the ``onewindow-server serve`` command in a subprocess."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, *, verify: object = True, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url + "/api/v1/health", verify=verify, timeout=2).status_code == 200:  # type: ignore[arg-type]
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"server at {url} did not come up")
        time.sleep(0.1)


@contextlib.contextmanager
def uvicorn_thread(app: FastAPI, port: int) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1:port in a thread; stopped (and joined) on exit."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
        yield url
    finally:
        server.should_exit = True
        thread.join(10)


@contextlib.contextmanager
def serve_command(
    database: str, port: int, *extra: str, log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """``onewindow-server serve`` as a subprocess (stopped with SIGTERM, then killed)."""
    out = open(log, "wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.app",
            "--database",
            database,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *extra,
        ],
        stdout=out,
        stderr=subprocess.STDOUT,
        env={**os.environ},
    )
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        if log and out is not subprocess.DEVNULL:
            out.close()  # type: ignore[union-attr]
