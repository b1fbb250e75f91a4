"""企业审核履历: everything the system knows about one enterprise in one campaign, oldest first —
the evidence an enforcement department needs to act on a line of the list.

Entries come from the records themselves (roster line, notice letter, audit project, project
start, disclosures, applications, reviews with their intake returns, expert draws and results),
from the messages sent to the enterprise's accounts about this campaign (reminders and overdue
notices, keyed by campaign and roster line — see `supervision.reminders` and the dashboard's
发送提醒), and from the audit trail: every event about the enterprise, its roster line, letter,
project and every row that belongs to the project.

`timelines()` works on a set of roster lines with a fixed number of queries (about a dozen,
each bounded by the lines given): the single page passes one line, the export all the lines of
the list. Messages are read without `Message.objects.restrict` (which shows a message only to
its recipient) on purpose: an official who may see the roster line may see what the system
sent to that enterprise about it.
"""

from dataclasses import dataclass
from datetime import datetime, time
from functools import cache

from django.apps import apps
from django.db.models import CharField, Q, Value
from django.utils import timezone

from qingshen.applications.models import Application
from qingshen.audit_trail.models import Event
from qingshen.notifications.models import KIND_LABELS, OTHER_KIND_LABEL, Message
from qingshen.project_start.models import Disclosure, ProjectStart
from qingshen.projects.models import AuditProject
from qingshen.reviews.models import ExpertDraw, IntakeCheck, Level, Review

STAGE_LABELS = {"evaluation": "评估", "acceptance": "验收"}

#: kind → label of the entry's source, in the timeline's badge
KINDS = {
    "roster": "名单", "letter": "告知书", "accept": "接受任务", "start": "项目启动", "disclosure": "信息公布",
    "application": "申请", "intake": "受理审核", "draw": "专家抽取", "decision": "审核结果",
    "message": "提醒与通知", "event": "操作记录",
}


@dataclass
class Entry:
    at: datetime  # aware; a date-only fact is placed at the start of its day
    kind: str
    text: str
    actor: str = ""
    all_day: bool = False
    link: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def when(self) -> str:
        local = timezone.localtime(self.at)
        return f"{local:%Y-%m-%d}" if self.all_day else f"{local:%Y-%m-%d %H:%M}"


def _on(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@cache
def _project_models() -> tuple:
    """Every model with a `project` foreign key to AuditProject (its rows belong to the project)."""
    found = []
    for model in apps.get_models():
        field = next((f for f in model._meta.concrete_fields if f.name == "project"), None)
        if field is not None and field.is_relation and field.related_model is AuditProject:
            found.append(model)
    return tuple(found)


def _project_rows(project_ids) -> list[tuple[str, int, int]]:
    """(object type, pk, project id) of every row belonging to the projects: one UNION query."""
    if not project_ids:
        return []
    parts = [model._default_manager.filter(project_id__in=project_ids).order_by()
             .annotate(object_type=Value(model._meta.label_lower, output_field=CharField()))
             .values_list("object_type", "pk", "project_id") for model in _project_models()]
    return list(parts[0].union(*parts[1:], all=True).order_by())


def _message_member(key: str, campaign_pk: int) -> int | None:
    """The roster line a message's key names, if it is about this campaign:
    due:<campaign>:<line>:… (daily reminders) or remind:<sender>:<day>:<campaign>:<line> (发送提醒)."""
    parts = key.split(":")
    try:
        if parts[0] == "due" and int(parts[1]) == campaign_pk:
            return int(parts[2])
        if parts[0] == "remind" and len(parts) == 5 and int(parts[3]) == campaign_pk:
            return int(parts[4])
    except (IndexError, ValueError):
        return None
    return None


def timelines(user, members) -> dict[int, list[Entry]]:
    """{roster line pk: its entries, oldest first} for roster lines of ONE campaign the caller
    already found through `restrict(user)` (with enterprise, letter, project and campaign)."""
    members = list(members)
    out: dict[int, list[Entry]] = {m.pk: [] for m in members}
    if not members:
        return out
    campaign = members[0].campaign
    by_project = {}
    objects: dict[tuple[str, str], int] = {}
    for member in members:
        objects[("campaigns.campaignenterprise", str(member.pk))] = member.pk
        objects[("enterprises.enterprise", str(member.enterprise_id))] = member.pk
        letter, project = getattr(member, "letter", None), getattr(member, "project", None)
        if letter is not None:
            objects[("notices.noticeletter", str(letter.pk))] = member.pk
        if project is not None:
            objects[("projects.auditproject", str(project.pk))] = member.pk
            by_project[project.pk] = member.pk
    for object_type, pk, project_id in _project_rows(list(by_project)):
        objects[(object_type, str(pk))] = by_project[project_id]

    events = _events(user, objects)
    for member in members:
        _records(out[member.pk], member, events.get(member.pk, []))
    _project_entries(out, by_project)
    _messages(out, campaign, members)
    for member_pk, event_list in events.items():
        out[member_pk].extend(Entry(e.occurred_at, "event", e.summary or e.action,
                                    actor=" · ".join(p for p in (e.organization_name, e.actor_name) if p))
                              for e in event_list)
    order = list(KINDS)
    for entries in out.values():
        entries.sort(key=lambda e: (e.at, order.index(e.kind)))
    return out


def timeline(user, member) -> list[Entry]:
    return timelines(user, [member])[member.pk]


def _events(user, objects) -> dict[int, list]:
    by_type: dict[str, list[str]] = {}
    for object_type, object_id in objects:
        by_type.setdefault(object_type, []).append(object_id)
    condition = Q()
    for object_type, ids in by_type.items():
        condition |= Q(object_type=object_type, object_id__in=ids)
    out: dict[int, list] = {}
    for event in Event.objects.restrict(user).filter(condition).order_by("seq"):
        out.setdefault(objects[(event.object_type, event.object_id)], []).append(event)
    return out


def _records(entries, member, events):
    """The roster line, its letter and its project: no query beyond what the caller loaded."""
    campaign = member.campaign
    added = next((e.occurred_at for e in events if e.action == "campaign.add_member"), None)
    included = added or (_on(campaign.roster_published_on) if campaign.roster_published_on else None)
    if included is not None:
        reasons = "、".join(member.reason_labels) or "—"
        entries.append(Entry(included, "roster", f"列入《{campaign.name}》名单（{member.get_handling_level_display()}，"
                                                 f"纳入原因：{reasons}）", all_day=added is None))
    letter = getattr(member, "letter", None)
    if letter is not None:
        if letter.generated_at:
            entries.append(Entry(letter.generated_at, "letter", f"生成告知书 {letter.number}（第 {letter.revision} 版）"))
        if letter.stamped_at:
            entries.append(Entry(letter.stamped_at, "letter", f"上传告知书盖章版（{letter.get_stamped_via_display()}）"))
        if letter.dispatched_at:
            entries.append(Entry(letter.dispatched_at, "letter", f"告知书 {letter.number} 已下发企业"))
        if letter.activated_at:
            entries.append(Entry(letter.activated_at, "letter", "企业账号已激活"))
    project = getattr(member, "project", None)
    if project is not None:
        entries.append(Entry(project.accepted_at, "accept", f"企业接受清审任务，项目编号 {project.number}，"
                                                            f"项目负责人 {project.project_lead}",
                             link=project.get_absolute_url()))


def _project_entries(out, by_project):
    """Project start, disclosures, applications and reviews of the projects: six queries."""
    if not by_project:
        return
    ids = list(by_project)
    for start in ProjectStart.objects.filter(project_id__in=ids, submitted_at__isnull=False):
        out[by_project[start.project_id]].append(Entry(start.submitted_at, "start", "提交项目启动信息"))
    for row in Disclosure.objects.filter(project_id__in=ids, disclosed_on__isnull=False).order_by():
        text = f"公布审核信息（{row.get_channel_display() or '方式未填'}）" + (f"：{row.link}" if row.link else "")
        out[by_project[row.project_id]].append(Entry(_on(row.disclosed_on), "disclosure", text, all_day=True))
    for application in Application.objects.filter(project_id__in=ids, submitted_at__isnull=False).order_by():
        text = f"提交{STAGE_LABELS.get(application.stage, application.stage)}申请（第 {application.number} 版）"
        if application.late_days:
            text += f"，逾期 {application.late_days} 天"
        out[by_project[application.project_id]].append(Entry(application.submitted_at, "application", text))
    reviews = {r.pk: r for r in Review.objects.filter(project_id__in=ids).select_related("application")}
    returned = {}
    for check in IntakeCheck.objects.filter(review_id__in=[pk for pk, r in reviews.items()
                                                           if r.status == Review.Status.RETURNED], ok=False):
        returned.setdefault(check.review_id, []).append(check)
    for review in reviews.values():
        member_pk, stage = by_project[review.project_id], STAGE_LABELS.get(review.stage, review.stage)
        checks = returned.get(review.pk)
        if checks:
            level = Level(checks[-1].level).label
            problems = "；".join(c.problem for c in checks if c.problem) or "未说明"
            out[member_pk].append(Entry(max(c.checked_at for c in checks), "intake",
                                        f"{stage}申请（第 {review.application.number} 版）受理退回（{level}）：{problems}",
                                        link=review.get_absolute_url()))
        if review.decided_at and review.status in (Review.Status.PASSED, Review.Status.FAILED, Review.Status.RECTIFY):
            text = f"{stage}审核结果：{review.get_status_display()}"
            if review.opinion_number:
                text += f"（意见编号 {review.opinion_number}）"
            if review.status == Review.Status.RECTIFY and review.rectify_by:
                text += f"，须于 {review.rectify_by:%Y-%m-%d} 前整改后重新提交"
            out[member_pk].append(Entry(review.decided_at, "decision", text, link=review.get_absolute_url()))
    for draw in ExpertDraw.objects.filter(review_id__in=list(reviews)).order_by():
        review = reviews[draw.review_id]
        outcome = "成功" if draw.succeeded else f"未成功（{draw.message}）" if draw.message else "未成功"
        out[by_project[review.project_id]].append(Entry(
            draw.drawn_at, "draw", f"{STAGE_LABELS.get(review.stage, review.stage)}审核{draw.get_kind_display()}专家"
                                   f"（第 {draw.number} 次）：{outcome}", link=review.get_absolute_url()))


def _messages(out, campaign, members):
    """Reminders and overdue notices sent to the enterprises' accounts about these roster lines,
    one entry per occasion (a message per account, the SMS alongside): two queries."""
    enterprises = {m.enterprise_id for m in members}
    occasions: dict[tuple[int, str], list] = {}
    for message in (Message.objects.filter(recipient__organization__enterprise_id__in=enterprises)
                    .filter(Q(dedupe_key__startswith=f"due:{campaign.pk}:") | Q(dedupe_key__startswith="remind:"))
                    .prefetch_related("sms").order_by("created_at", "pk")):
        member_pk = _message_member(message.dedupe_key, campaign.pk)
        if member_pk in out:
            occasions.setdefault((member_pk, message.dedupe_key), []).append(message)
    for (member_pk, _), messages in occasions.items():
        first = messages[0]
        sms = [s for m in messages for s in m.sms.all()]
        text = f"{KIND_LABELS.get(first.kind, OTHER_KIND_LABEL)}：{first.title}（发送至 {len(messages)} 个企业账号"
        text += f"；短信{sms[0].get_status_display()}）" if sms else "）"
        out[member_pk].append(Entry(first.created_at, "message", text))
