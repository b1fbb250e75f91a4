"""Rendering a notice letter from the official template (附件3) as an A4 PDF.

The template's text is kept as the seed gives it; what changes per letter is filled in: the
letter number and its QR code, the enterprise, the dates that apply to that enterprise (the
campaign calendar, tightened by its city and county), the login address, the account and its
one-time activation code, and the notifying department.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from qingshen.campaigns import calendar
from qingshen.campaigns.models import MilestoneKind
from qingshen.core.pdf import render_pdf
from qingshen.notices import qr


@dataclass(frozen=True)
class LetterContent:
    number: str
    revision: int
    enterprise_name: str
    preamble: str
    dates: dict  # MilestoneKind → date
    login_url: str
    account: str
    activation_code: str  # "" when the account is already in use
    department: str
    issued_on: date
    qr_svg: str


def chinese_date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "（待定）"


def content_for(letter, activation_code: str, *, issued_on: date, milestones=None) -> LetterContent:
    member = letter.member
    campaign = member.campaign
    deadlines = calendar.deadlines(campaign, member.enterprise.region, milestones)
    dates = {d.kind: d.date for d in deadlines}
    return LetterContent(
        number=letter.number,
        revision=letter.revision,
        enterprise_name=member.enterprise.name,
        preamble=campaign.letter_preamble or f"你公司列入{campaign.name}名单",
        dates=dates,
        login_url=settings.QINGSHEN_PUBLIC_URL,
        account=letter.account.username,
        activation_code=activation_code,
        department=letter.task.organization.name,
        issued_on=issued_on,
        qr_svg=qr.svg(letter.qr_payload),
    )


def context(content: LetterContent) -> dict:
    d = content.dates
    return {
        "letter": content,
        "disclosure": chinese_date(d.get(MilestoneKind.DISCLOSURE)),
        "evaluation_application": chinese_date(d.get(MilestoneKind.EVALUATION_APPLICATION)),
        "evaluation_done": chinese_date(d.get(MilestoneKind.EVALUATION_DONE)),
        "acceptance_application": chinese_date(d.get(MilestoneKind.ACCEPTANCE_APPLICATION)),
        "acceptance_done": chinese_date(d.get(MilestoneKind.ACCEPTANCE_DONE)),
        "issued_on": chinese_date(content.issued_on),
    }


def render(contents: list[LetterContent]) -> bytes:
    """One PDF with each letter starting on a new page (one letter, or a county's batch)."""
    return render_pdf("notices/letter.html", {"letters": [context(c) for c in contents]})
