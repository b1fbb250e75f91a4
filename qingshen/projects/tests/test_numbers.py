"""项目编号: year + county code + five-digit sequence (202113068100001), unique even when the
enterprises of one county accept at the same moment.

The concurrent acceptances are in test_numbers_concurrency.py (they commit).
"""

from django.db import transaction
from django.utils import timezone

from conftest import make_enterprise, make_user
from qingshen.campaigns.models import CampaignEnterprise
from qingshen.notices.models import NoticeLetter
from qingshen.organizations.models import Organization
from qingshen.projects import services


def test_the_number_is_year_county_and_sequence(accepted):
    assert accepted.project.number == "202113068100001"
    assert len(accepted.project.number) == 15


def test_the_sequence_counts_per_county_and_year(accepted):
    with transaction.atomic():
        assert services.next_number(2021, "130681") == "202113068100002"
        assert services.next_number(2021, "130606") == "202113060600001"
        assert services.next_number(2022, "130681") == "202213068100001"
        assert services.next_number(2021, "130681") == "202113068100003"


def test_the_next_enterprise_of_the_county_gets_the_next_number(accepted):
    enterprise = make_enterprise("涿州第二企业", "130681")
    org = Organization.objects.create(kind=Organization.Kind.ENTERPRISE, name=enterprise.name,
                                      account_code="QY1306810002", region=enterprise.region, enterprise=enterprise)
    user = make_user("QY1306810002", org)
    member = CampaignEnterprise.objects.create(campaign=accepted.campaign, enterprise=enterprise, reasons=["key_task"])
    NoticeLetter.objects.create(task=accepted.notice_task("130681"), member=member, account=user, number="ZZ-002",
                                generated_at=timezone.now(), dispatched_at=timezone.now())
    assert services.accept(user, member, project_lead="孙八", project_lead_mobile="13600136000").number == \
        "202113068100002"


def test_a_city_without_counties_uses_its_own_code(notified):
    """定州市 (省直管, no counties): 2021 + 130682 + 00001."""
    enterprise = notified.e_dingzhou
    org = Organization.objects.create(kind=Organization.Kind.ENTERPRISE, name=enterprise.name,
                                      account_code="QY1306820001", region=enterprise.region, enterprise=enterprise)
    user = make_user("QY1306820001", org)
    member = notified.member(enterprise)
    NoticeLetter.objects.create(task=notified.notice_task("130682"), member=member, account=user, number="DZ-001",
                                generated_at=timezone.now(), dispatched_at=timezone.now())
    project = services.accept(user, member, project_lead="钱七", project_lead_mobile="13700137000")
    assert project.number == "202113068200001"
