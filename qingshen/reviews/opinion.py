"""The opinion document of a review as an A4 PDF: 清洁生产审核评估技术审查意见 after an
evaluation, 清洁生产审核验收意见 after an acceptance. The enterprise downloads it from the
system, so it must stand on its own on paper: who organised the review and at which level, the
expert group and each member's role, when the documents were reviewed online and the site was
visited, the group's opinion and conclusion, what must be rectified and by when, and then —
the one thing that differs between the two kinds — the deadline for the acceptance
(evaluation) or the cleaner production level the acceptance confirmed.

Everything here is plain data (`OpinionContent`); where it comes from is the review's
business. The text is escaped by the template (autoescape), so an opinion typed by an expert
prints exactly as typed. The document uses the notice letter's faces (Noto Serif CJK SC and its
bold), embedded as subsets by WeasyPrint; its footer repeats the document number with
"第 x 页 共 y 页", so a loose second page can be put back with its first.
"""

from dataclasses import dataclass
from datetime import date

from qingshen.core.pdf import render_pdf
from qingshen.notices.letters import chinese_date

EVALUATION, ACCEPTANCE = "evaluation", "acceptance"

_TITLES = {EVALUATION: "清洁生产审核评估技术审查意见", ACCEPTANCE: "清洁生产审核验收意见"}
_CONCLUSIONS = {
    EVALUATION: {"passed": "通过评估", "failed": "未通过评估", "rectify": "整改后重新提交"},
    ACCEPTANCE: {"passed": "通过验收", "failed": "未通过验收", "rectify": "整改后重新提交"},
}


@dataclass(frozen=True)
class OpinionContent:
    kind: str  # EVALUATION / ACCEPTANCE
    number: str
    organiser: str
    organiser_level: str  # 省级 / 市级
    enterprise_name: str
    project_number: str
    campaign_name: str
    industry: str
    experts: list[tuple[str, str, str, str]]  # (name, title, employer, role 组长/成员), printed in this order
    document_review_on: date | None  # 线上文审
    site_review_on: date | None
    site_review_place: str
    decided_on: date
    conclusion: str  # passed / failed / rectify
    opinion: str  # plain text; each non-blank line is a paragraph
    rectification: list[tuple[str, date]]  # (item, deadline)
    rectify_by: date | None  # 整改: resubmit by
    acceptance_deadline: date | None  # evaluation only
    confirmed_level: str  # acceptance only; "" when no level was confirmed
    benchmark_note: str  # e.g. that the indicator system was only a trial one
    issued_on: date


def title(kind: str) -> str:
    try:
        return _TITLES[kind]
    except KeyError:
        raise ValueError(f"unknown review kind: {kind!r}") from None


def conclusion_label(conclusion: str, kind: str) -> str:
    try:
        return _CONCLUSIONS[kind][conclusion]
    except KeyError:
        raise ValueError(f"unknown review kind or conclusion: {kind!r}, {conclusion!r}") from None


def paragraphs(text: str) -> list[str]:
    """The opinion's paragraphs: one per non-blank line, without the indent a typist may have
    put in (full-width spaces included) — the template indents every paragraph itself."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def context(content: OpinionContent) -> dict:
    return {
        "o": content,
        "title": title(content.kind),
        "is_evaluation": content.kind == EVALUATION,
        "conclusion": conclusion_label(content.conclusion, content.kind),
        "paragraphs": paragraphs(content.opinion),
        "document_review_on": content.document_review_on and chinese_date(content.document_review_on),
        "site_review_on": content.site_review_on and chinese_date(content.site_review_on),
        "decided_on": chinese_date(content.decided_on),
        "rectification": [(item, chinese_date(deadline)) for item, deadline in content.rectification],
        "rectify_by": content.rectify_by and chinese_date(content.rectify_by),
        "acceptance_deadline": content.acceptance_deadline and chinese_date(content.acceptance_deadline),
        "issued_on": chinese_date(content.issued_on),
    }


def render(content: OpinionContent) -> bytes:
    return render_pdf("reviews/opinion.html", context(content))
