"""The back-office pages (后台审批): server-rendered HTML, a login with a session cookie.

Cookie: random token, HttpOnly, SameSite=Strict (Secure behind TLS); the table keeps its hash.
Every form post is checked twice against cross-site requests: the session's CSRF token must be
in the form, and the Origin (or, without one, the Referer) must be this server's own origin.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import delete

from common.documents.pdf import certificate_pdf
from common.intake.words import CaseAction, CaseState, MaterialMark
from server.backoffice import (
    ActionRefused,
    act,
    case_detail,
    cases_for,
    certificate_data,
    issue_certificate,
)
from server.db.models import WebSession
from server.deps import (
    SESSION_COOKIE,
    DbSession,
    NotLoggedIn,
    Settings,
    current_web_session,
    session_token_hash,
)
from server.i18n import LANG_COOKIE, LANGUAGES, translator
from server.security import LoginRefused, UserView, authenticate_user

router = APIRouter(prefix="/backoffice", include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "templates"))

# The back office shows times in China Standard Time (the halls' zone); the database keeps UTC.
HALL_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


def _label(enum_type: Any, value: str, lang: str = "zh_CN") -> str:
    try:
        member = enum_type(value)
    except ValueError:
        return value
    return str(member.label_en if lang == "en" else member.label)


def _action_label(action: CaseAction, lang: str = "zh_CN") -> str:
    return action.value.replace("_", " ").capitalize() if lang == "en" else action.label


templates.env.filters["local"] = lambda value: value.astimezone(HALL_TZ)
templates.env.globals["mark_label"] = lambda value, lang="zh_CN": _label(MaterialMark, value, lang)
templates.env.globals["state_label"] = lambda value, lang="zh_CN": _label(CaseState, value, lang)
templates.env.globals["action_label"] = _action_label

Web = Annotated[tuple[UserView, str], Depends(current_web_session)]


def _same_origin(request: Request) -> bool:
    """The form was posted from one of this server's own pages (not a cross-site form)."""
    own = f"{request.url.scheme}://{request.url.netloc}"
    origin = request.headers.get("origin")
    if origin is not None:
        return origin == own
    referer = request.headers.get("referer")
    return referer is not None and (referer == own or referer.startswith(own + "/"))


def _check_form(request: Request, csrf: str, expected: str) -> None:
    if not _same_origin(request) or not hmac.compare_digest(csrf.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "跨站请求被拒绝 / cross-site request refused"
        )


def _page(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    lang = request.cookies.get(LANG_COOKIE, "zh_CN")
    lang = lang if lang in LANGUAGES else "zh_CN"
    return templates.TemplateResponse(
        request,
        name,
        {"user": None, "lang": lang, "_": translator(lang), **context},
        status_code=status_code,
    )


def _next_path(value: str) -> str:
    """Where to go after the login: only a back-office path of this server (no open redirect)."""
    if (
        value.startswith("/backoffice/")
        and not value.startswith("//")
        and "\\" not in value
        and "://" not in value
    ):
        return value
    return "/backoffice/cases"


@router.get("/lang")
def switch_language(to: str = "zh_CN", next: str = "") -> Response:
    """中文 / English: a cookie for the pages' language (no data changes)."""
    response = RedirectResponse(_next_path(next), status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        LANG_COOKIE,
        to if to in LANGUAGES else "zh_CN",
        httponly=True,
        samesite="strict",
        path="/backoffice",
        max_age=365 * 86400,
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "") -> HTMLResponse:
    return _page(request, "login.html", {"error": "", "next": _next_path(next)})


@router.post("/login")
def login(
    request: Request,
    s: DbSession,
    settings: Settings,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    if not _same_origin(request):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "跨站请求被拒绝 / cross-site request refused"
        )
    now = settings.clock()
    error = ""
    with s.begin():
        try:
            user = authenticate_user(s, username.strip(), password, now)
        except LoginRefused as refused:
            error = refused.message_zh  # the failure count and audit row still commit
        else:
            token = secrets.token_urlsafe(32)
            s.execute(delete(WebSession).where(WebSession.expires_at <= now))
            s.add(
                WebSession(
                    token_hash=session_token_hash(token),
                    user_id=user.id,
                    csrf_token=secrets.token_urlsafe(32),
                    created_at=now,
                    expires_at=now + dt.timedelta(hours=settings.session_hours),
                )
            )
    if error:
        return _page(
            request, "login.html", {"error": error, "next": _next_path(next)}, status_code=401
        )
    response = RedirectResponse(_next_path(next), status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
        path="/backoffice",
        max_age=settings.session_hours * 3600,
    )
    return response


@router.post("/logout")
def logout(request: Request, s: DbSession, web: Web, csrf: Annotated[str, Form()] = "") -> Response:
    _check_form(request, csrf, web[1])
    token = request.cookies.get(SESSION_COOKIE, "")
    with s.begin():
        s.execute(delete(WebSession).where(WebSession.token_hash == session_token_hash(token)))
    response = RedirectResponse("/backoffice/login", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE, path="/backoffice")
    return response


@router.get("/cases", response_class=HTMLResponse)
def case_list(request: Request, s: DbSession, web: Web) -> HTMLResponse:
    user, csrf = web
    with s.begin():
        rows = cases_for(s, user)
    return _page(request, "cases.html", {"user": user, "csrf": csrf, "rows": rows})


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request, case_id: int, s: DbSession, settings: Settings, web: Web, error: str = ""
) -> HTMLResponse:
    user, csrf = web
    try:
        with s.begin():
            detail = case_detail(s, user, case_id, settings.clock())
    except LookupError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "办件不存在") from None
    return _page(request, "case.html", {"user": user, "csrf": csrf, "error": error[:200], **detail})


@router.post("/cases/{case_id}/action")
def case_action(
    request: Request,
    case_id: int,
    s: DbSession,
    settings: Settings,
    web: Web,
    action: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    opinion: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    user, expected = web
    _check_form(request, csrf, expected)
    now = settings.clock()
    try:
        with s.begin():
            if action == "issue_certificate":
                issue_certificate(s, user, case_id, settings, now)
            else:
                try:
                    case_action_ = CaseAction(action)
                except ValueError:
                    raise ActionRefused("未知操作") from None
                act(s, user, case_id, case_action_, opinion, now)
    except LookupError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "办件不存在") from None
    except ActionRefused as refused:
        with s.begin():
            detail = case_detail(s, user, case_id, now)
        return _page(
            request,
            "case.html",
            {"user": user, "csrf": expected, "error": refused.message_zh, **detail},
            status_code=409,
        )
    return RedirectResponse(f"/backoffice/cases/{case_id}", status_code=status.HTTP_303_SEE_OTHER)


@router.get("/certificates/{certificate_id}.pdf")
def certificate_download(
    certificate_id: int, s: DbSession, settings: Settings, web: Web
) -> Response:
    user = web[0]
    try:
        with s.begin():
            data = certificate_data(s, user, certificate_id, settings)
    except LookupError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "证照不存在") from None
    pdf = certificate_pdf(data)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="certificate-{certificate_id}.pdf"'},
    )


def login_redirect(request: Request, _exc: Exception) -> Response:
    """``NotLoggedIn`` anywhere under /backoffice → the login page (back here afterwards)."""
    target = "/backoffice/login"
    if request.method == "GET" and request.url.path != "/backoffice/cases":
        target += "?" + urlencode({"next": request.url.path})
    return RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)


__all__ = ["NotLoggedIn", "login_redirect", "router"]
