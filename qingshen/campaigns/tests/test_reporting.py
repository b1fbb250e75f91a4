"""When a report sent up is due: the earliest date for the step set by a level *above* the
sender — a county branch's 工作总结 by its city's date (or the province's), a city's by the
province's — never by a date the sender's own level set; and the state of a dated step."""

from datetime import date

from conftest import department
from qingshen.campaigns import services
from qingshen.campaigns.models import Milestone, MilestoneKind
from qingshen.campaigns.reporting import LATE, ON_TIME, OPEN, OVERDUE, report_due, state_of
from qingshen.core.roles import Role
from qingshen.organizations.models import Organization

K = MilestoneKind


def _province_date(world, kind, day):
    Milestone.objects.update_or_create(campaign=world.campaign, region_id="130000", kind=kind,
                                       defaults=dict(party="city", due_date=day))


def test_a_county_reports_by_its_citys_date_and_the_city_by_the_provinces(draft):
    """保定 (2021)—34: counties' 工作总结 by 2022-06-15; the province wants the cities' by 2022-07-15."""
    _province_date(draft, K.WORK_SUMMARY, date(2022, 7, 15))
    services.set_milestone(draft.user(Role.CITY), draft.campaign, kind=K.WORK_SUMMARY, due_date=date(2022, 6, 15))
    assert report_due(draft.campaign, K.WORK_SUMMARY, department("130681")) == date(2022, 6, 15)
    assert report_due(draft.campaign, K.WORK_SUMMARY, department("130600")) == date(2022, 7, 15)
    assert report_due(draft.campaign, K.WORK_SUMMARY, department("130102")) == date(2022, 7, 15)  # 长安: no city date
    assert report_due(draft.campaign, K.WORK_SUMMARY, department("130000")) is None  # nobody above the province


def test_a_date_the_senders_own_level_set_does_not_move_its_own_report(draft):
    """A county that sets itself an earlier 工作总结 date (for its own planning) is still held to the city's."""
    _province_date(draft, K.WORK_SUMMARY, date(2022, 7, 15))
    services.set_milestone(draft.user(Role.CITY), draft.campaign, kind=K.WORK_SUMMARY, due_date=date(2022, 6, 15))
    services.set_milestone(draft.user(Role.COUNTY), draft.campaign, kind=K.WORK_SUMMARY, due_date=date(2022, 6, 1))
    assert report_due(draft.campaign, K.WORK_SUMMARY, department("130681")) == date(2022, 6, 15)


def test_a_permit_authority_reports_by_the_date_of_the_level_it_reports_to(draft):
    _province_date(draft, K.PERMIT_REPORTED, date(2022, 1, 31))
    services.set_milestone(draft.user(Role.CITY), draft.campaign, kind=K.PERMIT_REPORTED, due_date=date(2022, 1, 15))
    county_authority = department("130681", Organization.Kind.PERMIT_AUTHORITY)
    city_authority = department("130600", Organization.Kind.PERMIT_AUTHORITY)
    assert report_due(draft.campaign, K.PERMIT_REPORTED, county_authority) == date(2022, 1, 15)
    assert report_due(draft.campaign, K.PERMIT_REPORTED, city_authority) == date(2022, 1, 31)


def test_no_date_anywhere_means_no_due_date(draft):
    Milestone.objects.filter(campaign=draft.campaign, kind=K.EVALUATION_SUMMARY).delete()
    assert report_due(draft.campaign, K.EVALUATION_SUMMARY, department("130681")) is None


def test_the_state_of_a_dated_step():
    due, today = date(2022, 6, 15), date(2022, 6, 20)
    assert state_of(due, None, date(2022, 6, 15)) == OPEN  # the due day itself is still in time
    assert state_of(due, None, today) == OVERDUE
    assert state_of(due, date(2022, 6, 15), today) == ON_TIME
    assert state_of(due, date(2022, 6, 16), today) == LATE
    assert state_of(None, None, today) == OPEN and state_of(None, today, today) == ON_TIME
