"""The back-office pages: login and lock-out, cross-site refusals, the area's cases, masking,
decisions through the state machine onto the hall's change feed, the e-certificate."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from sqlalchemy import select

from common.documents.certificate_id import parse_certificate_id
from server.db.models import AuditRow, ServerCase
from tests.server.conftest import PASSWORD, Server, accept_event

ORIGIN = "http://testserver"


def login(server: Server, username: str = "reviewer", password: str = PASSWORD) -> str:
    r = server.client.post(
        "/backoffice/login",
        data={"username": username, "password": password},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    return csrf_of(server, "/backoffice/cases")


def csrf_of(server: Server, path: str) -> str:
    page = server.client.get(path)
    assert page.status_code == 200, page.text
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


def case_id(server: Server, number: str) -> int:
    with server.sessions() as s:
        return int(s.scalars(select(ServerCase.id).where(ServerCase.case_number == number)).one())


def post_action(
    server: Server, cid: int, action: str, csrf: str, opinion: str = "", **headers: str
) -> httpx.Response:
    response: httpx.Response = server.client.post(
        f"/backoffice/cases/{cid}/action",
        data={"action": action, "csrf": csrf, "opinion": opinion},
        headers={"Origin": ORIGIN, **headers},
        follow_redirects=False,
    )
    return response


def test_pages_need_a_login(sqlite_server: Server) -> None:
    for path in ("/backoffice/cases", "/backoffice/cases/1", "/backoffice/certificates/1.pdf"):
        r = sqlite_server.client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/backoffice/login")
    assert (
        "next=%2Fbackoffice%2Fcases%2F1"
        in sqlite_server.client.get("/backoffice/cases/1", follow_redirects=False).headers[
            "location"
        ]
    )
    r = sqlite_server.client.post(
        "/backoffice/cases/1/action",
        data={"action": "approve"},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/backoffice/login"


def test_five_wrong_passwords_lock_the_account_for_15_minutes(sqlite_server: Server) -> None:
    server = sqlite_server
    for _ in range(4):
        r = server.client.post(
            "/backoffice/login",
            data={"username": "reviewer", "password": "wrong-password"},
            headers={"Origin": ORIGIN},
        )
        assert r.status_code == 401 and "用户名或密码错误" in r.text
    r = server.client.post(
        "/backoffice/login",
        data={"username": "reviewer", "password": "wrong-password"},
        headers={"Origin": ORIGIN},
    )
    assert "锁定 15 分钟" in r.text
    r = server.client.post(
        "/backoffice/login",
        data={"username": "reviewer", "password": PASSWORD},
        headers={"Origin": ORIGIN},
    )
    assert r.status_code == 401 and "已锁定" in r.text  # even the right password
    server.clock.advance(minutes=15, seconds=1)
    login(server)
    with server.sessions() as s:
        actions = s.scalars(select(AuditRow.action).where(AuditRow.actor == "reviewer")).all()
    assert (
        actions.count("login-failed") == 5 and "login-locked" in actions and actions[-1] == "login"
    )


def test_cross_site_form_posts_are_refused(server: Server) -> None:
    server.post_events([accept_event("A-1")])
    cid = case_id(server, "A-1")
    csrf = login(server)
    assert post_action(server, cid, "start_review", "").status_code == 403  # no token
    assert post_action(server, cid, "start_review", "forged").status_code == 403  # wrong token
    assert (
        post_action(server, cid, "start_review", csrf, Origin="https://evil.example").status_code
        == 403
    )
    r = server.client.post(
        f"/backoffice/cases/{cid}/action",
        data={"action": "start_review", "csrf": csrf},
        headers={"Referer": "https://evil.example/form"},
        follow_redirects=False,
    )
    assert r.status_code == 403
    r = server.client.post(
        f"/backoffice/cases/{cid}/action",
        data={"action": "start_review", "csrf": csrf},
        follow_redirects=False,
    )  # neither Origin nor Referer
    assert r.status_code == 403
    r = server.client.post(
        "/backoffice/login",
        data={"username": "reviewer", "password": PASSWORD},
        headers={"Origin": "https://evil.example"},
    )
    assert r.status_code == 403
    with server.sessions() as s:
        assert s.scalars(select(ServerCase.state)).one() == "accepted"  # nothing happened
    # The same post from our own page (Referer only) is accepted.
    r = server.client.post(
        f"/backoffice/cases/{cid}/action",
        data={"action": "start_review", "csrf": csrf},
        headers={"Referer": f"{ORIGIN}/backoffice/cases/{cid}"},
        follow_redirects=False,
    )
    assert r.status_code == 303


def test_a_certificate_is_dated_in_beijing_time(server: Server) -> None:
    # 16:30 UTC on 23 November is 00:30 on the 24th in the issuing authority's time.
    server.post_events([accept_event("A-1")])
    server.clock.advance(hours=15, minutes=30)
    csrf = login(server)
    cid = case_id(server, "A-1")
    for action in ("start_review", "approve", "issue_certificate"):
        assert post_action(server, cid, action, csrf).status_code == 303
    feed = server.client.get("/api/v1/changes?after=0", headers=server.auth()).json()
    cert = next(i for i in feed["items"] if i["type"] == "certificate.issued")["payload"]
    assert cert["issued_on"] == "2026-11-24"
    assert ".20261124" in cert["identifier"]


def test_cases_by_area_masked_and_decided_onto_the_halls_feed(server: Server) -> None:
    server.post_events([accept_event("A-1"), accept_event("A-2", name="欧阳娜娜")])
    csrf = login(server)
    page = server.client.get("/backoffice/cases").text
    assert "A-1" in page and "A-2" in page and "待办办件（2 件）" in page
    assert "张*丰" in page and "张三丰" not in page and "欧**娜" in page
    cid = case_id(server, "A-1")
    detail = server.client.get(f"/backoffice/cases/{cid}").text
    assert "110101199003078515" not in detail and "1101**********8515" in detail
    assert "不动产买卖合同" in detail and "容缺后补" in detail
    # Approve before review is not offered and refused if forged.
    assert post_action(server, cid, "approve", csrf).status_code == 409
    assert (
        post_action(server, cid, "deny", csrf).status_code == 409
    )  # no opinion, and not in review
    for action in ("start_review", "approve"):
        assert post_action(server, cid, action, csrf).status_code == 303
    assert post_action(server, cid, "issue_certificate", csrf).status_code == 303
    assert post_action(server, cid, "mark_ready", csrf).status_code == 303
    feed = server.client.get("/api/v1/changes?after=0", headers=server.auth()).json()
    mine = [
        (i["type"], i["payload"].get("action")) for i in feed["items"] if i["case_number"] == "A-1"
    ]
    assert mine == [
        ("case.status", "start_review"),
        ("case.status", "approve"),
        ("certificate.issued", None),
        ("case.status", "mark_ready"),
    ]
    positions = [i["position"] for i in feed["items"]]
    assert positions == sorted(positions)
    status = [i["payload"] for i in feed["items"] if i["type"] == "case.status"][-1]
    assert (status["from_state"], status["to_state"], status["state_code"]) == (
        "approved",
        "ready_for_delivery",
        "待出件",
    )
    cert = next(i for i in feed["items"] if i["type"] == "certificate.issued")["payload"]
    parse_certificate_id(cert["identifier"])  # the national identifier with a valid check character
    # The certificate PDF downloads.
    cert_page = server.client.get(f"/backoffice/cases/{cid}").text
    href = re.search(r'href="(/backoffice/certificates/\d+\.pdf)"', cert_page)
    assert href
    pdf = server.client.get(href.group(1))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The other hall sees none of it.
    other = server.client.get("/api/v1/changes?after=0", headers=server.auth(hall="350103")).json()
    assert all(i["case_number"] != "A-1" for i in other["items"])


def test_deny_needs_an_opinion_and_goes_to_the_feed(sqlite_server: Server) -> None:
    server = sqlite_server
    server.post_events([accept_event("A-1")])
    cid = case_id(server, "A-1")
    csrf = login(server)
    post_action(server, cid, "start_review", csrf)
    assert post_action(server, cid, "deny", csrf, opinion="  ").status_code == 409
    assert (
        post_action(server, cid, "deny", csrf, opinion="材料与登记簿记载不一致").status_code == 303
    )
    feed = server.client.get("/api/v1/changes?after=0", headers=server.auth()).json()
    last = feed["items"][-1]["payload"]
    assert (last["to_state"], last["opinion"]) == ("denied", "材料与登记簿记载不一致")


def test_another_areas_user_sees_nothing_of_the_case(sqlite_server: Server) -> None:
    server = sqlite_server
    server.post_events([accept_event("A-1")])
    cid = case_id(server, "A-1")
    csrf = login(server, "tax")
    assert "A-1" not in server.client.get("/backoffice/cases").text
    assert server.client.get(f"/backoffice/cases/{cid}").status_code == 404
    assert post_action(server, cid, "start_review", csrf).status_code == 404


def test_an_approver_sees_the_applicant_in_full_and_the_view_is_audited(
    sqlite_server: Server,
) -> None:
    server = sqlite_server
    server.post_events([accept_event("A-1")])
    cid = case_id(server, "A-1")
    login(server, "approver")
    assert "张*丰" in server.client.get("/backoffice/cases").text  # lists stay masked
    detail = server.client.get(f"/backoffice/cases/{cid}").text
    assert "张三丰" in detail and "110101199003078515" in detail
    with server.sessions() as s:
        row = s.scalars(select(AuditRow).where(AuditRow.action == "view-personal-data")).one()
    assert (row.actor, row.target) == ("approver", "A-1")


def test_logs_carry_no_names_or_id_numbers(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    name, number = "司马光明", "110101199003078515"
    server.post_events([accept_event("A-1", name=name, id_number=number)])
    server.post_events([accept_event("A-1", name=name, id_number=number)])  # stale seq, refused
    csrf = login(server, "approver")
    cid = case_id(server, "A-1")
    server.client.get(f"/backoffice/cases/{cid}")
    for action in ("start_review", "approve", "issue_certificate", "mark_ready"):
        post_action(server, cid, action, csrf)
    server.client.post(
        "/backoffice/login", data={"username": name, "password": number}, headers={"Origin": ORIGIN}
    )
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "A-1" in text  # the logs do say what happened
    for secret in (name, number, number[-6:], "13800138000"):
        assert secret not in text


def test_login_goes_back_to_the_page_asked_for_but_never_off_site(sqlite_server: Server) -> None:
    server = sqlite_server
    for asked, landed in (
        ("/backoffice/cases/7", "/backoffice/cases/7"),
        ("https://evil.example/", "/backoffice/cases"),
        ("//evil.example/backoffice/", "/backoffice/cases"),
        ("/api/v1/health", "/backoffice/cases"),
    ):
        r = server.client.post(
            "/backoffice/login",
            data={"username": "reviewer", "password": PASSWORD, "next": asked},
            headers={"Origin": ORIGIN},
            follow_redirects=False,
        )
        assert r.headers["location"] == landed


def test_logout_ends_the_session_and_sessions_expire(sqlite_server: Server) -> None:
    server = sqlite_server
    csrf = login(server)
    r = server.client.post(
        "/backoffice/logout",
        data={"csrf": csrf},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert server.client.get("/backoffice/cases", follow_redirects=False).status_code == 303
    login(server)
    server.clock.advance(hours=8, seconds=1)
    assert server.client.get("/backoffice/cases", follow_redirects=False).status_code == 303


def test_pages_switch_to_english_and_every_template_string_is_translated(
    sqlite_server: Server,
) -> None:
    import pathlib

    from server.i18n import ENGLISH

    server = sqlite_server
    server.post_events([accept_event("A-1")])
    r = server.client.get("/backoffice/lang?to=en&next=/backoffice/login", follow_redirects=True)
    assert "Department staff login" in r.text and "部门审批人员登录" not in r.text
    login(server)
    page = server.client.get(f"/backoffice/cases/{case_id(server, 'A-1')}").text
    assert (
        "Materials" in page
        and "Start review" in page
        and "Accepted" in page
        and "tolerated, to follow" in page
    )
    server.client.get("/backoffice/lang?to=zh_CN&next=/backoffice/cases")
    assert "待办办件" in server.client.get("/backoffice/cases").text
    templates = pathlib.Path(__file__).resolve().parents[2] / "server" / "templates"
    used = set()
    for f in templates.glob("*.html"):
        used |= set(re.findall(r'_\("([^"]+)"\)', f.read_text(encoding="utf-8")))
    assert used and used <= set(ENGLISH)
