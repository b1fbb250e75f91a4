"""The departments' own due items (报送事项): who must report for a campaign (read from its
roster), each report's date (set by the levels above the sender), its first submission and state;
shown on 时间节点督办 within the jurisdiction; reminded by the daily job, never twice."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from qingshen.campaigns import services as campaigns
from qingshen.campaigns.models import MilestoneKind
from qingshen.core.roles import Role
from qingshen.notifications.models import Message
from qingshen.organizations.models import Organization
from qingshen.permits.tests.helpers import authority, categorise
from qingshen.summaries import services as summaries
from qingshen.supervision import reminders, reports_due

K = MilestoneKind
TEXT = {"progress": "测试：组织开展情况", "achievements": "测试：取得成效", "problems": "测试：存在问题",
        "next_steps": "测试：下一步工作"}


def dated(world, days_from_today_city=-1, days_from_today_province=30):
    today = timezone.localdate()
    campaigns.set_milestone(world.user(Role.PROVINCE), world.campaign, kind=K.WORK_SUMMARY,
                            due_date=today + timedelta(days=days_from_today_province))
    campaigns.set_milestone(world.user(Role.CITY), world.campaign, kind=K.WORK_SUMMARY,
                            due_date=today + timedelta(days=days_from_today_city))


def table(items):
    return {(item.organization.name, item.kind): item for item in items}


def test_the_departments_with_enterprises_in_the_campaign_must_report(world):
    categorise(world, lianchi="key")
    authority(world, "130606")
    items = table(reports_due.items(world.user(Role.CITY), world.campaign))
    names = {name for name, _ in items}
    zhuozhou, lianchi = Organization.objects.get(region_id="130681", kind="county_branch"), \
        Organization.objects.get(region_id="130606", kind="county_branch")
    assert {zhuozhou.name, lianchi.name, "保定市生态环境局"} <= names
    assert (zhuozhou.name, K.WORK_SUMMARY) in items and (zhuozhou.name, K.EVALUATION_SUMMARY) in items
    authorities = {name for name, kind in items if kind == K.PERMIT_REPORTED}
    lianchi_authority = Organization.objects.get(region_id="130606", kind="permit_authority").name
    assert lianchi_authority in authorities  # 莲池 holds a 重点管理 enterprise; 涿州's has no category
    assert not any("长安" in name or "石家庄" in name for name in names)  # another city


def test_a_county_sees_only_its_own_reports(world):
    items = reports_due.items(world.user(Role.COUNTY), world.campaign)
    assert items and {item.organization.region_id for item in items} == {"130681"}


def test_state_follows_the_first_submission_against_the_date_above(world):
    dated(world)  # 保定 wants its counties' by yesterday; the province the cities' in 30 days
    report = summaries.save_draft(world.user(Role.COUNTY), world.campaign, "work", stamp_seen="", **TEXT)
    summaries.submit(world.user(Role.COUNTY), report, stamp_seen=summaries.stamp(report))
    items = table(reports_due.items(world.user(Role.CITY), world.campaign))
    county = items[(world.user(Role.COUNTY).organization.name, K.WORK_SUMMARY)]
    assert county.state == "late" and county.done == timezone.localdate()
    assert items[(world.other_county_user.organization.name, K.WORK_SUMMARY)].state == "overdue"
    assert items[("保定市生态环境局", K.WORK_SUMMARY)].state == "open"
    assert county.url.startswith(reverse("summaries:received"))  # the city reads it where it receives it


def test_the_due_page_shows_the_reports_and_costs_the_same_with_more_departments(world, sign_in,
                                                                                  django_assert_num_queries):
    dated(world)
    categorise(world, lianchi="key")
    authority(world, "130606")
    client = sign_in(world.user(Role.CITY))
    page = client.get(reverse("supervision:due"), {"campaign": world.campaign.pk})
    assert page.status_code == 200
    rows = {(item.organization.name, item.kind): item.state for item in page.context["reports"]}
    assert rows[(world.other_county_user.organization.name, K.WORK_SUMMARY)] == "overdue"
    assert "报送事项" in page.content.decode() and page.context["reports_overdue"] >= 2
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("supervision:due"), {"campaign": world.campaign.pk})
    categorise(world, lianchi="key", zhuozhou="simplified")
    authority(world, "130681")
    with CaptureQueriesContext(connection) as more:
        page = client.get(reverse("supervision:due"), {"campaign": world.campaign.pk})
    assert sum(item.kind == K.PERMIT_REPORTED for item in page.context["reports"]) >= 2
    assert len(more) == len(few)


def test_the_enterprise_side_sees_no_reports(world, sign_in):
    page = sign_in(world.user(Role.ENTERPRISE)).get(reverse("supervision:due"))
    assert page.context["reports"] == []


def test_reports_are_reminded_before_and_noticed_when_overdue_once(world):
    today = timezone.localdate()
    dated(world, days_from_today_city=3, days_from_today_province=30)
    county = world.user(Role.COUNTY)
    reminders.run(today=today)
    reminded = Message.objects.filter(recipient=county, kind="reminder", title="还有 3 天：报送工作总结")
    assert reminded.count() == 1 and "涿州" in reminded.get().body
    reminders.run(today=today)
    assert reminded.count() == 1
    reminders.run(today=today + timedelta(days=4))  # one day late: the county and its city are told
    overdue = Message.objects.filter(kind="overdue", title__contains="报送工作总结")
    assert overdue.filter(recipient=county).count() == 1
    assert overdue.filter(recipient=world.user(Role.CITY), title__contains=county.organization.name).count() == 1
    assert not overdue.filter(recipient=world.other_city_user).exists()
    report = summaries.save_draft(world.other_county_user, world.campaign, "work", stamp_seen="", **TEXT)
    summaries.submit(world.other_county_user, report, stamp_seen=summaries.stamp(report))
    reminders.run(today=today + timedelta(days=11))  # a week later: 莲池 has sent it, 涿州 has not
    assert overdue.filter(recipient=county).count() == 2
    assert not overdue.filter(recipient=world.other_county_user, title__contains="已逾期 8 天").exists()


def test_a_permit_authority_has_the_permit_changes_of_its_place_as_a_step(world):
    """审核要求列入排污许可证: open with 0 of 1 changed; done the day its place's last permit changed."""
    from datetime import date

    from qingshen.permits import services as permits
    from qingshen.permits.tests.helpers import dates, member, pdf

    categorise(world, lianchi="key")
    authority_user = authority(world, "130606")
    dates(world, updated=date(2021, 12, 31))
    name = authority_user.organization.name
    before = table(reports_due.items(world.user(Role.CITY), world.campaign))[(name, K.PERMIT_UPDATED)]
    assert (before.due, before.done, before.state, before.progress) == (date(2021, 12, 31), None, "overdue",
                                                                         "已变更 0 / 1 家")
    permits.record_change(authority_user, member(world, world.e_lianchi), changed_on=date(2021, 12, 20),
                          permit_number="91130606TEST001P", upload=pdf())
    after = table(reports_due.items(authority_user, world.campaign))
    assert {organization for organization, _ in after} == {name}  # the authority sees its own only
    done = after[(name, K.PERMIT_UPDATED)]
    assert (done.done, done.state, done.progress) == (date(2021, 12, 20), "on_time", "已变更 1 / 1 家")


def test_the_due_page_shows_the_applications_waiting_for_the_officials_level(world, sign_in):
    from qingshen.reviews.tests.helpers import submit

    county = sign_in(world.user(Role.COUNTY))
    assert county.get(reverse("supervision:due"), {"campaign": world.campaign.pk}).context["intake"] is None
    submit(world, world.project)  # the evaluation application arrives at 涿州's intake
    page = county.get(reverse("supervision:due"), {"campaign": world.campaign.pk})
    assert page.context["intake"]["count"] == 1
    assert "有 1 件评估、验收申请等待本级办理" in page.content.decode()
    other = sign_in(world.other_county_user).get(reverse("supervision:due"), {"campaign": world.campaign.pk})
    assert other.context["intake"] is None  # 莲池 has nothing waiting
