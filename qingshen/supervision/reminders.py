"""Reminders before a due date and notices when overdue (督办提醒), for the daily job.

For each enterprise-side step still open: a reminder 7, 3 and 1 days before its due date, in
the message centre of the enterprise's accounts and by SMS to its project lead. For each step
overdue: a notice once a week (days late 1, 8, 15, …) to the party and to the level above —
the enterprise and its county for the enterprise's steps; the county and its city for 通知企业;
the handling department and the province for 完成评估 / 完成验收 (a city's lateness also goes to
the province). Each message carries a key made of the campaign, the enterprise, the step, its
due date and the occasion, so running the job twice, or retrying it, sends nothing twice.

The departments' own reports (报送事项: 评估情况汇总, 工作总结, 排污许可证变更情况,
`supervision.reports_due`) are reminded the same way: 7, 3 and 1 days before to the sender's
accounts, and weekly once overdue to the sender and the level it reports to.
"""

import functools

from django.urls import reverse
from django.utils import timezone

from qingshen.accounts.models import User
from qingshen.campaigns.models import Campaign, CampaignEnterprise, Party
from qingshen.notifications.services import notify
from qingshen.supervision import due, reports_due

REMIND_BEFORE = (7, 3, 1)
OVERDUE_EVERY = 7


def _department_users(region_code):
    if not region_code:
        return []
    return _department_users_of(region_code)


@functools.cache
def _department_users_of(region_code):
    """A place's department accounts, read once per run (`run` clears it before and after)."""
    return list(User.objects.filter(is_active=True, organization__region_id=region_code,
                                    organization__kind__in=("province_department", "city_bureau", "county_branch")))


def _enterprise_users(member):
    return list(User.objects.filter(is_active=True, organization__enterprise_id=member.enterprise_id))


def _recipients(item) -> tuple[list, list]:
    """(the party's accounts, the level above's accounts) for an item."""
    region = item.member.enterprise.region
    if item.party == Party.ENTERPRISE:
        return _enterprise_users(item.member), _department_users(region.county_code or region.city_code)
    if item.party == Party.COUNTY:
        return _department_users(region.county_code), _department_users(region.city_code)
    if item.party == Party.HANDLING_LEVEL:
        if item.member.handling_level == "province":
            return _department_users(region.province_code), []
        return _department_users(region.city_code), _department_users(region.province_code)
    return [], []


def _link(item) -> str:
    project = item.member.project if hasattr(item.member, "project") else None
    return project.get_absolute_url() if project else reverse("supervision:due")


def _receiver_users(organization):
    """The accounts of the department a report goes to: a county's city, a city's province."""
    region = organization.region
    return _department_users(region.city_code if region.level == "county" else region.province_code)


def _remind_reports(campaign, today, counts):
    for item in reports_due.items(None, campaign):
        if item.done is not None or item.due is None:
            continue
        sender = list(User.objects.filter(is_active=True, organization=item.organization))
        key = f"report-due:{campaign.pk}:{item.organization.pk}:{item.kind}:{item.due.isoformat()}"
        left = (item.due - today).days
        if left in REMIND_BEFORE:
            body = f"{item.organization.name}：请于{item.due:%Y年%-m月%-d日}前完成“{item.title}”（{campaign.name}）。"
            counts["reminders"] += len(notify(sender, kind="reminder", title=f"还有 {left} 天：{item.title}",
                                              body=body, link=reverse("supervision:due"),
                                              dedupe_key=f"{key}:remind-{left}"))
        late = (today - item.due).days
        if late >= 1 and (late - 1) % OVERDUE_EVERY == 0:
            body = (f"{item.organization.name}的“{item.title}”（{campaign.name}）已于{item.due:%Y年%-m月%-d日}到期，"
                    f"尚未报送，已逾期 {late} 天。")
            counts["overdue"] += len(notify(sender + _receiver_users(item.organization), kind="overdue",
                                            title=f"已逾期 {late} 天：{item.organization.name} {item.title}",
                                            body=body, link=reverse("supervision:due"),
                                            dedupe_key=f"{key}:overdue-{late}"))


def run(today=None) -> dict:
    """Send what is due today; returns how many messages were created of each occasion."""
    today = today or timezone.localdate()
    counts = {"reminders": 0, "overdue": 0}
    _department_users_of.cache_clear()
    try:
        return _run(today, counts)
    finally:
        _department_users_of.cache_clear()


def _run(today, counts) -> dict:
    for campaign in Campaign.objects.filter(status=Campaign.Status.ACTIVE).order_by("pk"):
        members = due.annotated(CampaignEnterprise.objects.filter(campaign=campaign,
                                                                  status=CampaignEnterprise.Status.INCLUDED))
        for item in due.items(campaign, members):
            if item.done is not None or item.due is None:
                continue
            left, late = (item.due - today).days, (today - item.due).days
            remind = left in REMIND_BEFORE and item.party == Party.ENTERPRISE
            overdue = late >= 1 and (late - 1) % OVERDUE_EVERY == 0
            if not (remind or overdue):
                continue  # most days, for most steps: nothing to send, so no accounts to look up
            key = f"due:{campaign.pk}:{item.member.pk}:{item.kind}:{item.due.isoformat()}"
            party, above = _recipients(item)
            name = item.member.enterprise.name
            if remind:
                project = getattr(item.member, "project", None)
                phone = project.project_lead_mobile if project else ""
                text = f"【清审】{name}：请于{item.due:%Y年%-m月%-d日}前完成“{item.title}”（还有 {left} 天）。"
                counts["reminders"] += len(notify(
                    party, kind="reminder", title=f"还有 {left} 天：{item.title}", body=text, link=_link(item),
                    dedupe_key=f"{key}:remind-{left}", sms_phone=phone, sms_text=text))
            if overdue:
                body = (f"{name}的“{item.title}”已于{item.due:%Y年%-m月%-d日}到期，尚未完成，已逾期 {late} 天。"
                        f"责任方：{Party(item.party).label}。")
                counts["overdue"] += len(notify(
                    party + above, kind="overdue", title=f"已逾期 {late} 天：{name} {item.title}", body=body,
                    link=_link(item), dedupe_key=f"{key}:overdue-{late}"))
        _remind_reports(campaign, today, counts)
    return counts
