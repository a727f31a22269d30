"""Words on the kiosk's screens and in its voice, in the current language.

Source strings are English and go through Qt's translator in one context, ``"kiosk"``; the
Chinese lives in ``resources/translations/kiosk_zh_CN.ts`` (a test checks that every string
used here and in the screens has a translation). Data that arrives in both languages (service
names, queue refusals) is picked by language instead.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from common.db.models import Priority
from common.qt.i18n import fill
from common.queue.service import ServiceStatus, TicketView
from kiosk.flow import KioskState, Notice, NoticeKind, Prompt

__all__ = [
    "green_reason_text",
    "notice_text",
    "pin_error_text",
    "prompt_text",
    "service_name",
    "tr",
    "wait_text",
]

CONTEXT = "kiosk"


def tr(text: str) -> str:
    """Translate ``text`` (English source) into the installed language."""
    return QCoreApplication.translate(CONTEXT, text)


def zh(language: str) -> bool:
    return language == "zh_CN"


def service_name(status: ServiceStatus | TicketView, language: str) -> str:
    if isinstance(status, TicketView):
        name, name_en = status.service_name, status.service_name_en
    else:
        name, name_en = status.name, status.name_en
    return name if zh(language) or not name_en else name_en


def wait_text(waiting: int, minutes: int) -> str:
    return fill(tr("%1 waiting · about %2 min"), waiting, minutes)


def green_reason_text(reason: str) -> str:
    return {
        "elderly": tr("Aged 70 or over"),
        "disabled": tr("Disabled person"),
        "military": tr("Military (service or veteran)"),
        "pregnant": tr("Pregnant woman"),
        "other": tr("Other, confirmed by staff"),
    }.get(reason, tr("Green channel"))


def pin_error_text(state: KioskState) -> str:
    """Under a PIN pad (admin and green channel share the counting and the lock-out)."""
    if state.pin_locked:
        return tr("Too many wrong PINs. Please wait a minute.")
    if state.pin_error:
        return tr("Wrong PIN. Please try again.")
    return ""


def notice_text(notice: Notice, language: str) -> tuple[str, str]:
    """(headline, explanation) for a refusal."""
    message = notice.message_zh if zh(language) else notice.message_en
    if notice.kind is NoticeKind.PER_ID_LIMIT:
        detail = tr(
            "Each person may take %1 numbers a day for this service, so that everyone gets a turn. "
            "If you need more, please ask at the service desk."
        )
        detail = fill(detail, notice.limit)
        return tr("Daily limit reached"), f"{message}\n{detail}"
    if notice.kind is NoticeKind.CLOSED:
        return tr("Not open now"), message
    if notice.kind is NoticeKind.FULL:
        return tr("No more numbers today"), message + "\n" + tr(
            "Please come back on the next working day."
        )
    if notice.kind is NoticeKind.DATABASE:
        return tr("Please wait a moment"), message
    if notice.kind is NoticeKind.CARD_EXPIRED:
        return tr("ID card expired"), message
    if notice.kind is NoticeKind.READER_GONE:
        return tr("ID card reader not working"), message
    return tr("Sorry"), message


def prompt_text(prompt: Prompt, state: KioskState) -> str:
    """The sentence the speaker says for ``prompt`` (numbers read digit by digit by the engine)."""
    if prompt is Prompt.WELCOME:
        return tr("Large print and voice guidance are on. Please tap the service you need.")
    if prompt is Prompt.PLACE_CARD:
        return tr("Please place your ID card on the reader.")
    if prompt is Prompt.TICKET and state.ticket is not None:
        t = state.ticket
        text = (
            tr("Your number is %1. %2 people are ahead of you.")
            .replace("%1", t.number if zh(state.language) else " ".join(t.number))
            .replace("%2", str(t.people_ahead))
        )
        if t.priority is Priority.GREEN:
            text += " " + tr("Green channel.")
        return text
    if prompt is Prompt.PRINTER_TROUBLE:
        return tr(
            "The printer is not working. "
            "Please take a photo of your number or ask at the service desk."
        )
    if prompt is Prompt.NOTICE and state.notice is not None:
        return notice_text(state.notice, state.language)[1].split("\n")[0]
    return ""
