"""What goes on a queue ticket's paper, from the queue's view of the ticket.

Shared by the kiosk (every ticket) and the admin tools (reprints, the demo), so the paper says
the same whichever program prints it.
"""

from __future__ import annotations

from common.config import Settings
from common.db.models import Priority
from common.documents.data import TicketData
from common.intake.qrtag import ticket_payload
from common.queue.no_show import hall_notices
from common.queue.service import TicketView

__all__ = ["ticket_data"]


def ticket_data(settings: Settings, ticket: TicketView) -> TicketData:
    """What goes on the paper for ``ticket`` (the holder's name is already masked)."""
    windows = sorted(w.number for w in settings.windows if ticket.prefix in w.services)
    hint = ""
    if windows:
        span = f"{windows[0]}-{windows[-1]}" if len(windows) > 1 else str(windows[0])
        hint = f"请留意叫号，到 {span} 号窗口办理"
    return TicketData(
        hall_name=settings.hall.name,
        service_name=ticket.service_name,
        number=ticket.number,
        waiting_ahead=ticket.people_ahead,
        issued_at=ticket.issued_at.astimezone(settings.hall.tz),
        estimated_wait_minutes=ticket.estimated_wait_minutes,
        green_channel=ticket.priority is Priority.GREEN,
        appointment=ticket.priority is Priority.APPOINTMENT,
        appointment_slot=ticket.appointment_slot,
        holder_name=ticket.holder_masked,
        notice=hall_notices(settings),
        window_hint=hint,
        # 评价 by scanning the ticket at the kiosk once served (keyed: common.intake.qrtag).
        progress_url=ticket_payload(ticket.hall_day, ticket.number, settings.hall_secret()),
    )
