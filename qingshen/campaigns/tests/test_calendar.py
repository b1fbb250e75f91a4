"""The calendar's rules: a lower level may set earlier dates than the level above, never later;
the date that applies in a place is the earliest of the province's, its city's and its
county's; a date relative to the roster's publication resolves once it is published; extra
milestones are listed where they apply."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qingshen.audit_trail.models import Event
from qingshen.campaigns import calendar, services
from qingshen.campaigns.models import Milestone, MilestoneKind, Party
from qingshen.core.roles import Role
from qingshen.regions.models import Region
from qingshen.rosters import services as rosters

K = MilestoneKind


def region(code):
    return Region.objects.get(code=code)


def applies(world, code, kind):
    return calendar.deadline_of(world.campaign, region(code), kind)


# --- earlier allowed, later refused ----------------------------------------------------------


def test_a_city_may_set_an_earlier_date(draft):
    city = draft.user(Role.CITY)
    services.set_milestone(city, draft.campaign, kind=K.EVALUATION_DONE, due_date=date(2022, 2, 28),
                           document_number="(2021)—34")
    deadline = applies(draft, "130681", K.EVALUATION_DONE)
    assert deadline.date == date(2022, 2, 28)
    assert deadline.region_name == "保定市" and deadline.document_number == "(2021)—34" and deadline.tightened


def test_the_same_date_as_the_level_above_is_allowed(draft):
    services.set_milestone(draft.user(Role.CITY), draft.campaign, kind=K.EVALUATION_DONE, due_date=date(2022, 3, 31))
    assert applies(draft, "130681", K.EVALUATION_DONE).date == date(2022, 3, 31)


def test_a_later_date_than_the_province_is_refused_with_the_reason(draft):
    with pytest.raises(ValidationError) as caught:
        services.set_milestone(draft.user(Role.CITY), draft.campaign, kind=K.ACCEPTANCE_DONE,
                               due_date=date(2022, 7, 1))
    message = caught.value.message_dict["due_date"][0]
    assert "不能晚于上级规定的日期：2022年06月30日" in message
    assert "河北省" in message and "下级只能提前，不能推迟" in message
    assert not Milestone.objects.filter(campaign=draft.campaign, region_id="130600", kind=K.ACCEPTANCE_DONE).exists()


def test_a_county_is_held_to_its_city_not_only_to_the_province(draft):
    """保定市 set 2022-02-01 for the evaluation application; 涿州市 may not set 2022-02-15, although
    the province allows 2022-03-01."""
    county = draft.user(Role.COUNTY)
    with pytest.raises(ValidationError) as caught:
        services.set_milestone(county, draft.campaign, kind=K.EVALUATION_APPLICATION, due_date=date(2022, 2, 15))
    message = caught.value.message_dict["due_date"][0]
    assert "2022年02月01日" in message and "保定市" in message and "(2021)—34" in message
    services.set_milestone(county, draft.campaign, kind=K.EVALUATION_APPLICATION, due_date=date(2022, 1, 25))
    assert applies(draft, "130681", K.EVALUATION_APPLICATION).date == date(2022, 1, 25)


def test_setting_a_step_again_changes_the_levels_own_entry(draft):
    city = draft.user(Role.CITY)
    services.set_milestone(city, draft.campaign, kind=K.EVALUATION_APPLICATION, due_date=date(2022, 1, 20))
    entries = Milestone.objects.filter(campaign=draft.campaign, region_id="130600", kind=K.EVALUATION_APPLICATION)
    assert [m.due_date for m in entries] == [date(2022, 1, 20)]
    event = Event.objects.filter(action="campaign.set_milestone").latest("seq")
    assert event.before["due_date"] == "2022-02-01" and event.after["due_date"] == "2022-01-20"


def test_only_departments_set_dates_and_cities_give_fixed_dates(draft):
    for role in (Role.PERMIT_AUTHORITY, Role.ENTERPRISE, Role.CONSULTANCY, Role.EXPERT, Role.SYSADMIN):
        with pytest.raises(PermissionDenied):
            services.set_milestone(draft.user(role), draft.campaign, kind=K.EVALUATION_DONE,
                                   due_date=date(2022, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.set_milestone(draft.user(Role.CITY), draft.campaign, kind=K.NOTIFY, days_after_publication=5)
    assert "具体日期" in caught.value.message_dict["due_date"][0]


# --- which date applies ----------------------------------------------------------------------


def test_the_earliest_of_province_city_and_county_applies(draft):
    services.set_milestone(draft.user(Role.COUNTY), draft.campaign, kind=K.EVALUATION_APPLICATION,
                           due_date=date(2022, 1, 10))
    assert applies(draft, "130681", K.EVALUATION_APPLICATION).date == date(2022, 1, 10)  # 涿州: its own
    assert applies(draft, "130606", K.EVALUATION_APPLICATION).date == date(2022, 2, 1)  # 莲池: 保定市's
    assert applies(draft, "130600", K.EVALUATION_APPLICATION).date == date(2022, 2, 1)  # 保定市 itself
    assert applies(draft, "130102", K.EVALUATION_APPLICATION).date == date(2022, 3, 1)  # 长安: the province's
    assert applies(draft, "130000", K.EVALUATION_APPLICATION).date == date(2022, 3, 1)
    assert not applies(draft, "130102", K.EVALUATION_APPLICATION).tightened


def test_when_the_city_later_sets_an_earlier_date_than_its_county_the_city_date_applies(draft):
    """The county set 2022-01-10; the city then moves its own date to 2022-01-05: the earliest applies."""
    services.set_milestone(draft.user(Role.COUNTY), draft.campaign, kind=K.EVALUATION_APPLICATION,
                           due_date=date(2022, 1, 10))
    services.set_milestone(draft.user(Role.CITY), draft.campaign, kind=K.EVALUATION_APPLICATION,
                           due_date=date(2022, 1, 5))
    deadline = applies(draft, "130681", K.EVALUATION_APPLICATION)
    assert deadline.date == date(2022, 1, 5) and deadline.region_name == "保定市"


def test_the_steps_come_in_the_notices_order_with_extras_last(draft):
    services.set_milestone(draft.user(Role.CITY), draft.campaign, kind=K.EXTRA, label="清洁生产审核合同原件报市生态环境局",
                           party=Party.COUNTY, due_date=date(2021, 10, 28), document_number="(2021)—34")
    kinds = [d.kind for d in calendar.deadlines(draft.campaign, region("130681"))]
    assert kinds == [K.NOTIFY, K.DISCLOSURE, K.EVALUATION_APPLICATION, K.EVALUATION_DONE, K.ACCEPTANCE_APPLICATION,
                     K.ACCEPTANCE_DONE, K.EXTRA]


# --- relative dates --------------------------------------------------------------------------


def test_a_relative_date_is_shown_as_such_until_the_roster_is_published(draft):
    deadline = applies(draft, "130681", K.NOTIFY)
    assert deadline.date is None and deadline.relative == "自企业名单公布后 10 日内"
    rosters.publish(draft.user(Role.PROVINCE), draft.roster, attested=True)
    draft.campaign.refresh_from_db()
    deadline = applies(draft, "130681", K.NOTIFY)
    assert deadline.date == timezone.localdate() + timedelta(days=10)
    assert draft.campaign.roster_published_on == timezone.localdate()


def test_a_fixed_city_date_wins_over_an_unresolved_relative_one_and_is_checked_once_it_resolves(draft):
    city = draft.user(Role.CITY)
    services.set_milestone(city, draft.campaign, kind=K.NOTIFY, due_date=date(2021, 10, 15))
    assert applies(draft, "130681", K.NOTIFY).date == date(2021, 10, 15)
    rosters.publish(draft.user(Role.PROVINCE), draft.roster, attested=True)
    draft.campaign.refresh_from_db()
    limit = timezone.localdate() + timedelta(days=10)
    with pytest.raises(ValidationError) as caught:
        services.set_milestone(city, draft.campaign, kind=K.NOTIFY, due_date=limit + timedelta(days=1))
    assert f"{limit:%Y年%m月%d日}" in caught.value.message_dict["due_date"][0]
    services.set_milestone(city, draft.campaign, kind=K.NOTIFY, due_date=limit)


# --- extra milestones ------------------------------------------------------------------------


def test_extra_milestones_apply_below_the_level_that_set_them(draft):
    services.set_milestone(draft.user(Role.CITY), draft.campaign, kind=K.EXTRA, label="清洁生产审核合同原件报市生态环境局",
                           party=Party.COUNTY, due_date=date(2021, 10, 28), document_number="(2021)—34")
    zhuozhou = [d for d in calendar.deadlines(draft.campaign, region("130681")) if d.kind == K.EXTRA]
    assert [(d.title, d.date, d.party_label) for d in zhuozhou] == [
        ("清洁生产审核合同原件报市生态环境局", date(2021, 10, 28), "县级生态环境部门")]
    assert not [d for d in calendar.deadlines(draft.campaign, region("130102")) if d.kind == K.EXTRA]


def test_an_extra_milestone_needs_a_name_and_several_may_be_added(draft):
    city = draft.user(Role.CITY)
    with pytest.raises(ValidationError) as caught:
        services.set_milestone(city, draft.campaign, kind=K.EXTRA, party=Party.COUNTY, due_date=date(2021, 11, 1))
    assert caught.value.message_dict["label"] == ["请填写该时间节点的名称。"]
    for label in ("合同原件报市", "培训签到表报市"):
        services.set_milestone(city, draft.campaign, kind=K.EXTRA, label=label, party=Party.COUNTY,
                               due_date=date(2021, 11, 1))
    assert Milestone.objects.filter(campaign=draft.campaign, kind=K.EXTRA).count() == 2


# --- who reads which entries -------------------------------------------------------------------


def test_milestones_are_read_along_the_region_path(draft):
    services.set_milestone(draft.user(Role.COUNTY), draft.campaign, kind=K.EVALUATION_DONE, due_date=date(2022, 3, 1))
    services.set_milestone(draft.other_city_user, draft.campaign, kind=K.EVALUATION_DONE, due_date=date(2022, 3, 2))

    def regions_for(user):
        return set(Milestone.objects.restrict(user).filter(campaign=draft.campaign).values_list("region_id", flat=True))

    assert regions_for(draft.user(Role.PROVINCE)) == {"130000", "130600", "130681", "130100"}
    assert regions_for(draft.user(Role.CITY)) == {"130000", "130600", "130681"}
    assert regions_for(draft.user(Role.COUNTY)) == {"130000", "130600", "130681"}
    assert regions_for(draft.other_county_user) == {"130000", "130600"}
    assert regions_for(draft.other_city_user) == {"130000", "130100"}
    assert regions_for(draft.user(Role.PERMIT_AUTHORITY)) == {"130000", "130600", "130681"}
    assert regions_for(draft.user(Role.ENTERPRISE)) == {"130000", "130600", "130681"}
    assert regions_for(draft.user(Role.CONSULTANCY)) == {"130000", "130600", "130681"}
    assert regions_for(draft.user(Role.EXPERT)) == set()


def test_each_reader_sees_the_steps_it_answers_for(rf, db):
    """The enterprise's box lists its own steps and its reviews, not the county's or the permit authority's."""
    from conftest import CampaignWorld
    from qingshen.campaigns.templatetags.campaigns import show_deadlines
    from qingshen.core.roles import Role

    world = CampaignWorld("draft")
    region = world.e_zhuozhou.region
    for role, expected, absent in (
        (Role.ENTERPRISE, {"disclosure", "evaluation_application", "evaluation_done"}, {"notify"}),
        (Role.COUNTY, {"notify", "disclosure", "evaluation_application"}, set()),
    ):
        request = rf.get("/")
        request.user = world.user(role)
        kinds = {d.kind for d, _, _ in show_deadlines({"request": request}, world.campaign, region)["rows"]}
        assert expected <= kinds and not (absent & kinds), (role, kinds)


def test_days_left_counts_calendar_days_in_china(settings):
    """A due date is read in China's calendar: at 23:30 UTC on the 1st it is already the 2nd in
    Beijing, so a date on the 2nd is due today there."""
    from unittest import mock

    from qingshen.campaigns.templatetags.campaigns import days_left

    settings.TIME_ZONE = "Asia/Shanghai"
    late_evening_utc = timezone.make_aware(timezone.datetime(2021, 10, 1, 23, 30), timezone.UTC)
    with mock.patch("django.utils.timezone.now", return_value=late_evening_utc):
        assert days_left(date(2021, 10, 2)) == ("今天截止", "text-orange")
        assert days_left(date(2021, 10, 30)) == ("还有 28 天", "text-green")
        assert days_left(date(2021, 10, 1)) == ("已过 1 天", "text-secondary")
    assert days_left(None) == ("", "")
