"""The central server in the hall demo (``onewindow demo``): a server on loopback with a
back-office login and the demo hall's counter token in its TOML, and the tour's round trip —
accept → the server has the case → approve in the back-office page → ready for delivery.

The server runs as its own program (``python -m server.app``): ``common`` never imports
``server``. The tour uses the back office over HTTP exactly as a browser would (the login form,
the case page's CSRF token, a same-origin form post).
"""

from __future__ import annotations

import html
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from common.catalog.loader import DEMO_CATALOG

__all__ = [
    "BACKOFFICE_PASSWORD",
    "BACKOFFICE_USER",
    "CentralDemo",
    "central_tour",
    "prepare_central",
]

BACKOFFICE_USER = "backoffice"
BACKOFFICE_PASSWORD = "backoffice1"  # a demo login, printed on the console
DEFAULT_PORT = 8800


@dataclass
class CentralDemo:
    """The demo's central server: its database, port and process."""

    folder: Path
    port: int
    proc: subprocess.Popen[bytes] | None = None

    @property
    def database(self) -> str:
        return f"sqlite:///{(self.folder / 'central.db').as_posix()}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _server(self, *args: str, capture: bool = False) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "server.app", "--database", self.database, *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env=_env(),
        )
        if done.returncode != 0:
            raise RuntimeError(f"onewindow-server {args[0]}: {done.stderr.strip()[-500:]}")
        return done.stdout

    def start(self, log: Path) -> None:
        out = log.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server.app",
                "--database",
                self.database,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=_env(),
        )
        out.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if requests.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"the demo's central server did not start; see {log}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None


def _env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[2])
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p),
    }


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _pick_port() -> int:
    for port in range(DEFAULT_PORT, DEFAULT_PORT + 20):
        if _free(port):
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_central(folder: Path, config: Path, hall_code: str) -> CentralDemo:
    """Migrate the demo server's database, load the catalog, create the back-office login and
    (once) the hall's counter token; write ``[central]`` into the hall's TOML."""
    demo = CentralDemo(folder, _pick_port())
    text = config.read_text(encoding="utf-8")
    token_match = re.search(r'^token = "(ow_[^"]+)"', text, re.M)
    fresh = not (folder / "central.db").exists()
    demo._server("db", "upgrade")
    demo._server("catalog", "load", str(DEMO_CATALOG))
    demo._server(
        "add-user",
        "--username",
        BACKOFFICE_USER,
        "--password",
        BACKOFFICE_PASSWORD,
        "--role",
        "approver",
        "--area",
        "不动产",
        "--display-name",
        "演示审批员",
    )
    if token_match is None or fresh:
        token = (
            demo._server(
                "add-device", "--hall", hall_code, "--role", "counter", "--label", "demo counter"
            )
            .strip()
            .splitlines()[0]
        )
    else:
        token = token_match.group(1)
    section = (
        f"[central]\n# The demo's own central server on this PC (onewindow demo starts it).\n"
        f'url = "{demo.url}"\ntoken = "{token}"\ninterval = 2.0\n'
    )
    if re.search(r"^\[central\]", text, re.M):
        text = re.sub(r"^\[central\]\n(?:(?!\[).*\n?)*", section + "\n", text, flags=re.M)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    config.write_text(text, encoding="utf-8")
    return demo


def central_tour(config: Path, demo: CentralDemo, say: Callable[[str], None] = print) -> str:
    """Send the hall's cases, approve the 不动产 case in the back-office page over HTTP, bring the
    decision back; returns the hall state of that case (``ready_for_delivery``)."""
    from sqlalchemy import select

    from common.bootstrap import open_hall
    from common.clock import DatabaseClock
    from common.db.models import Case
    from common.intake.cases import CaseService
    from common.sync.client import client_from_settings
    from common.sync.worker import SyncWorker

    hall = open_hall(config)
    try:
        cases = CaseService(hall.db, hall.settings, DatabaseClock())
        worker = SyncWorker(
            hall.db,
            client_from_settings(hall.settings.central),
            hall.settings,
            DatabaseClock(),
            cases=cases,
        )
        try:
            sent = worker.run_round().drained
            say(f"[演示] 上传中心 / sent to the central server: {sent.sent} event(s)")
            web = requests.Session()
            origin = {"Origin": demo.url}
            r = web.post(
                f"{demo.url}/backoffice/login",
                data={
                    "username": BACKOFFICE_USER,
                    "password": BACKOFFICE_PASSWORD,
                    "next": "/backoffice/cases",
                },
                headers=origin,
                timeout=10,
            )
            r.raise_for_status()
            ids = re.findall(r'href="/backoffice/cases/(\d+)"', r.text)
            if not ids:
                say("[演示] 后台没有待审批的不动产办件 / no 不动产 case in the back office")
                return ""
            case_id = ids[-1]
            # 签发电子证照 too: the kiosk tour prints it (证照打印) once the feed brings it back.
            for action in ("start_review", "approve", "issue_certificate", "mark_ready"):
                page = web.get(f"{demo.url}/backoffice/cases/{case_id}", timeout=10)
                csrf = html.unescape(re.search(r'name="csrf" value="([^"]+)"', page.text).group(1))  # type: ignore[union-attr]
                done = web.post(
                    f"{demo.url}/backoffice/cases/{case_id}/action",
                    data={"csrf": csrf, "action": action, "opinion": "材料齐全，同意"},
                    headers=origin,
                    timeout=10,
                )
                done.raise_for_status()
            number = re.search(r"(\d{6}-\d{8}-\d{4})", page.text)
            say(
                f"[演示] 后台审批 / back office: {number.group(1) if number else case_id} "
                "开始办理、准予许可、签发电子证照、可出件"
            )
            worker.run_round()
            if number is None:
                return ""
            with hall.db.read() as s:
                state = s.scalars(select(Case.state).where(Case.number == number.group(1))).one()
            say(
                f"[演示] 窗口收到中心结果 / back at the counter: {number.group(1)} → "
                f"{state.label} ({state.value})"
            )
            return state.value
        finally:
            worker.stop()
    finally:
        hall.close()
