"""The server for real: uvicorn on loopback over HTTPS (a throw-away CA from trustme), and the
back-office pages in a real headless Chromium (screenshots in docs/screenshots/backoffice/)."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
from pathlib import Path

import httpx
import pytest
import trustme
from fastapi.responses import HTMLResponse

from common.contract import DeviceRole
from server.db.engine import make_engine, make_sessionmaker
from server.db.migrate import upgrade
from server.security import add_device, add_user
from server.settings import utc_now
from tests.server.conftest import PASSWORD, Server, accept_event
from tests.server.live import free_port, serve_command, uvicorn_thread, wait_until_up

REPO = Path(__file__).resolve().parents[2]
# The committed screenshots are refreshed with ONEWINDOW_SCREENSHOTS=1 (otherwise they go to tmp).
SHOTS = REPO / "docs" / "screenshots" / "backoffice"


def test_serve_over_https_with_a_throwaway_ca(tmp_path: Path) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    certfile, keyfile, cafile = (
        tmp_path / "server.pem",
        tmp_path / "server.key",
        tmp_path / "ca.pem",
    )
    cert.private_key_and_cert_chain_pem.write_to_path(str(certfile))
    cert.private_key_pem.write_to_path(str(keyfile))
    ca.cert_pem.write_to_path(str(cafile))
    database = f"sqlite:///{(tmp_path / 'server.db').as_posix()}"
    engine = make_engine(database)
    upgrade(engine)
    with make_sessionmaker(engine).begin() as s:
        token = add_device(s, "350102", DeviceRole.COUNTER, utc_now())
        add_user(
            s,
            "reviewer",
            PASSWORD,
            role="backoffice",
            area="不动产",
            display_name="李审批",
            now=utc_now(),
        )
    engine.dispose()
    port = free_port()
    url = f"https://127.0.0.1:{port}"
    verified = ssl.create_default_context(cafile=str(cafile))
    with serve_command(
        database,
        port,
        "--ssl-certfile",
        str(certfile),
        "--ssl-keyfile",
        str(keyfile),
        log=tmp_path / "serve.log",
    ):
        wait_until_up(url, verify=verified)
        r = httpx.post(
            url + "/api/v1/events",
            json={"hall": "350102", "items": [accept_event("T-1")]},
            headers={"Authorization": f"Bearer {token}"},
            verify=verified,
            timeout=10,
        )
        assert r.status_code == 200 and r.json()["results"][0]["status"] == "applied"
        # Plain HTTP is not served on the TLS port, and a client that trusts only the system's
        # CAs refuses the throw-away certificate.
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5)
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(url + "/api/v1/health", timeout=5)
        # The back-office cookie is marked Secure behind TLS.
        r = httpx.post(
            url + "/backoffice/login",
            data={"username": "reviewer", "password": PASSWORD},
            headers={"Origin": url},
            verify=verified,
            timeout=10,
        )
        assert r.status_code == 303
        cookie = r.headers["set-cookie"]
        assert (
            "Secure" in cookie
            and "HttpOnly" in cookie
            and "SameSite=strict" in cookie.replace("Strict", "strict")
        )


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Debian package chromium is not installed (scripts/setup.sh installs it)")
    return path


def _shoot(browser: str, url: str, out: Path, profile: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--window-size=1366,900",
            "--virtual-time-budget=8000",
            f"--screenshot={out}",
            url,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert out.exists() and out.stat().st_size > 10_000


def test_backoffice_in_a_real_browser(sqlite_server: Server, tmp_path: Path) -> None:
    """Chromium logs in from the server's own origin (a same-origin script posts the form, as a
    person would), opens the case list and a case; a cross-site form is refused."""
    browser = _chromium()
    shots = SHOTS if os.environ.get("ONEWINDOW_SCREENSHOTS") == "1" else tmp_path / "shots"
    server = sqlite_server
    server.post_events(
        [
            accept_event("2026112300001", name="张三丰"),
            accept_event("2026112300002", name="欧阳娜娜"),
            accept_event("2026112300003", name="李四", action="accept_with_tolerance"),
        ]
    )
    app = server.client.app

    def auto_login(then: str) -> HTMLResponse:
        # Test-only page on the server's origin: the login form filled in and sent, as a
        # person would.
        return HTMLResponse(f"""<!doctype html><meta charset="utf-8">
          <form id=f method=post action="/backoffice/login"><input name=username value=reviewer>
          <input name=password value="{PASSWORD}"><input name=next value="{then}"></form>
          <script>document.getElementById('f').submit()</script>""")

    app.add_api_route("/backoffice/_test_login", auto_login, methods=["GET"])  # type: ignore[attr-defined]
    port = free_port()
    with uvicorn_thread(app, port) as url:  # type: ignore[arg-type]
        _shoot(browser, f"{url}/backoffice/login", shots / "login.png", tmp_path / "p1")
        _shoot(
            browser,
            f"{url}/backoffice/_test_login?then=/backoffice/cases",
            shots / "cases.png",
            tmp_path / "p2",
        )
        _shoot(
            browser,
            f"{url}/backoffice/_test_login?then=/backoffice/cases/1",
            shots / "case.png",
            tmp_path / "p3",
        )
        # The same browser on another origin (a file page) posting the form is refused.
        evil = tmp_path / "evil.html"
        evil.write_text(
            f"""<!doctype html><meta charset="utf-8">
          <form id=f method=post action="{url}/backoffice/login">
          <input name=username value=reviewer><input name=password value="{PASSWORD}"></form>
          <script>document.getElementById('f').submit()</script>""",
            encoding="utf-8",
        )
        dom = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={tmp_path / 'p4'}",
                "--virtual-time-budget=5000",
                "--dump-dom",
                evil.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
            text=True,
        ).stdout
        assert "cross-site request refused" in dom
    # The pages the browser saw, checked through the same server.
    login_csrf = server.client.post(
        "/backoffice/login",
        data={"username": "reviewer", "password": PASSWORD},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert login_csrf.status_code == 303
    page = server.client.get("/backoffice/cases/1").text
    assert "2026112300001" in page and "张*丰" in page


@pytest.mark.postgres
def test_several_workers_on_one_postgresql_with_several_halls_apply_each_key_once(
    pg_schema_url: str, tmp_path: Path
) -> None:
    """Stateless workers behind one database: three halls, two drainers each, two uvicorn
    workers; every batch is sent twice; each event is applied exactly once."""
    import threading

    from sqlalchemy import func, select

    from server.db.models import ReceivedEvent, ServerCase, ServerCaseEvent
    from tests.server.conftest import step_event

    engine = make_engine(pg_schema_url)
    upgrade(engine)
    halls = ["350102", "350103", "350104"]
    with make_sessionmaker(engine).begin() as s:
        tokens = {h: add_device(s, h, DeviceRole.COUNTER, utc_now()) for h in halls}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    batches = {
        h: [
            [accept_event(f"{h}-{b}-{i}", hall=h) for i in range(40)]
            + [step_event(f"{h}-{b}-{i}", 2, "start_review", hall=h) for i in range(40)]
            for b in range(3)
        ]
        for h in halls
    }
    errors: list[BaseException] = []

    def drainer(hall: str) -> None:
        try:
            with httpx.Client(
                base_url=url, headers={"Authorization": f"Bearer {tokens[hall]}"}, timeout=60
            ) as c:
                for batch in batches[hall]:
                    for _ in range(5):
                        r = c.post("/api/v1/events", json={"hall": hall, "items": batch})
                        if r.status_code == 200 and all(
                            x["status"] in ("applied", "duplicate") for x in r.json()["results"]
                        ):
                            break
                        assert r.status_code in (200, 503), r.text[:200]
                    else:
                        raise AssertionError("batch never settled")
        except BaseException as exc:
            errors.append(exc)

    with serve_command(
        pg_schema_url, port, "--no-upgrade", "--workers", "2", log=tmp_path / "serve.log"
    ):
        wait_until_up(url)
        threads = [
            threading.Thread(target=drainer, args=(h,), name=f"drainer-{h}-{n}")
            for h in halls
            for n in range(2)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(240)
    assert not errors, errors
    with make_sessionmaker(engine)() as s:
        assert s.execute(select(func.count()).select_from(ServerCase)).scalar_one() == 3 * 3 * 40
        assert (
            s.execute(select(func.count()).select_from(ServerCaseEvent)).scalar_one() == 3 * 3 * 80
        )
        assert s.execute(select(func.count()).select_from(ReceivedEvent)).scalar_one() == 3 * 3 * 80
        assert set(s.scalars(select(ServerCase.state)).all()) == {"in_review"}
    engine.dispose()
