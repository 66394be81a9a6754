"""The demo venue's checkpoints: the main entrance, the VIP lounge and the signing stage.

Door staff can scan the demo as soon as a device is enrolled. The main entrance and the
VIP lounge open 45 minutes before the gathering and close with it; the signing stage
keeps the gathering's hours. Officiating guests are registered as VIPs (there is no category
of their own), signatories as VIPs, partners or exhibitors.
"""

from __future__ import annotations

from datetime import datetime

from domain.checkpoint import Checkpoint
from domain.gathering_categories import GuestCategory
from events_app.services.checkpoints import Checkpoints

C = GuestCategory


def demo_checkpoints(day: datetime) -> list[Checkpoint]:
    """Return the demo's checkpoints; `day` is the gathering's start in venue time."""
    return [
        Checkpoint(
            code="main-entrance",
            name_en="Main entrance, Hong Kong Science Park Shenzhen Branch",
            name_zh="香港科學園深圳分園正門",
            categories=tuple(c.value for c in C),
            opens_at=day.replace(hour=8, minute=45, second=0, microsecond=0),
            category_notes={
                C.VIP: "VIP or officiating guest: a host escorts them to the VIP lounge. "
                "貴賓或主禮嘉賓：請由接待員引領往貴賓室。",
                C.SPEAKER: "Speaker: to the VIP lounge for the stage briefing. "
                "講者：請前往貴賓室出席台前簡介。",
                C.PRESS: "Press: press kit and camera positions at the media desk, left. "
                "傳媒：請到左邊傳媒接待處領取新聞資料及拍攝位置。",
                C.EXHIBITOR: "Exhibitor staff: straight to your booth in the showcase hall. "
                "參展商職員：請直接前往展區攤位。",
                C.PARTNER: "Partner: welcome desk on the right. 合作夥伴：請到右邊接待處。",
                C.STAFF: "Staff: report to the control room before your shift. "
                "工作人員：當值前請先到控制室報到。",
            },
        ),
        Checkpoint(
            code="vip-lounge",
            name_en="VIP lounge",
            name_zh="貴賓室",
            categories=(C.VIP, C.SPEAKER),
            opens_at=day.replace(hour=8, minute=45, second=0, microsecond=0),
            category_notes={
                C.VIP: "Officiating guests: a host escorts them to the front row at 09:25. "
                "主禮嘉賓：09:25 由接待員引領到前排就座。",
                C.SPEAKER: "Speaker: check your speaking time with the floor manager. "
                "講者：請向舞台監督確認致辭時間。",
            },
        ),
        Checkpoint(
            code="signing-stage",
            name_en="Signing stage",
            name_zh="簽約台",
            categories=(C.VIP, C.PARTNER, C.EXHIBITOR),
            category_notes={
                C.VIP: "Signatory or presenting guest: seat card on the stage sheet. "
                "簽署或頒授嘉賓：座位見舞台安排表。",
                C.PARTNER: "Signatories only: check the name on the stage sheet. "
                "只限簽約代表：請核對舞台安排表上的姓名。",
                C.EXHIBITOR: "Signatories only: check the name on the stage sheet. "
                "只限簽約代表：請核對舞台安排表上的姓名。",
            },
        ),
    ]


def define_demo_checkpoints(checkpoints: Checkpoints, slug: str, day: datetime, actor: str) -> bool:
    """Add the demo checkpoints the gathering lacks; return True if any was added.

    One an organiser changed or closed is left as it is.
    """
    defined = set(checkpoints.codes(slug))
    missing = [c for c in demo_checkpoints(day) if c.code not in defined]
    for checkpoint in missing:
        checkpoints.add(slug, checkpoint, actor)
    return bool(missing)
