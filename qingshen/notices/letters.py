"""Rendering a notice letter from the official template (附件3) as an A4 PDF.

The template's text is kept as the seed gives it; what changes per letter is filled in: the
letter number and its QR code, the enterprise, the dates that apply to that enterprise (the
campaign calendar, tightened by its city and county), the login address, the account and its
one-time activation code (never the seed's shared initial password), and the notifying
department and date.

The letter takes two pages. Every page carries a QR code in its top margin: the first page
says `QINGSHEN-GZS|number|revision` (`models.qr_payload`), the next ones add `|page`, so a
bulk scan can put each page back with its letter and tell a missing or doubled page (see
`scanning`).
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
    qr_payload: str


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
        qr_payload=letter.qr_payload,
    )


#: QR codes are drawn for this many pages of a letter (it takes two; a code costs ~10 ms).
MAX_PAGES = 3


def signature_indent(department: str) -> str:
    """How far (in characters) the date stands from the right margin: four, as GB/T 9704
    wants, unless the sender's name, centred above the date, would then run past the margin
    (a name longer than about 16 characters; the date is about 8.5 characters wide)."""
    return f"{max(4.0, (len(department) - 8.5) / 2 + 0.5):.1f}"


def context(content: LetterContent, group: int = 1) -> dict:
    d = content.dates
    return {
        "letter": content,
        "group": str(group),
        "signature_indent": signature_indent(content.department),
        "qr_pages": [qr.data_uri(qr.page_payload(content.qr_payload, page)) for page in range(1, MAX_PAGES + 1)],
        "disclosure": chinese_date(d.get(MilestoneKind.DISCLOSURE)),
        "evaluation_application": chinese_date(d.get(MilestoneKind.EVALUATION_APPLICATION)),
        "evaluation_done": chinese_date(d.get(MilestoneKind.EVALUATION_DONE)),
        "acceptance_application": chinese_date(d.get(MilestoneKind.ACCEPTANCE_APPLICATION)),
        "acceptance_done": chinese_date(d.get(MilestoneKind.ACCEPTANCE_DONE)),
        "issued_on": chinese_date(content.issued_on),
    }


def render(contents: list[LetterContent]) -> bytes:
    """One PDF with each letter starting on a new page (one letter, or a county's batch)."""
    return render_pdf("notices/letter.html",
                      {"letters": [context(c, group) for group, c in enumerate(contents, start=1)]})
