"""下发任务 rules: the attestation, who may dispatch, the counties a city reaches, and a notifying
department refused until every enterprise has a stamped copy of its current letter."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import CampaignWorld, blank_pdf, make_enterprise
from qingshen.audit_trail.models import Event
from qingshen.campaigns import services as campaigns
from qingshen.core.roles import Role
from qingshen.notices import services
from qingshen.notices.models import NoticeLetter, NoticeTask
from qingshen.notices.tests.test_views_support import notified_world

pytestmark = pytest.mark.django_db


def test_a_city_reaches_the_counties_of_its_enterprises():
    world = CampaignWorld("verified")
    services.issue(world.user(Role.PROVINCE), world.campaign)
    task = world.notice_task("130600")
    with pytest.raises(ValidationError, match="请先阅读并勾选"):
        services.dispatch(world.user(Role.CITY), task, attested=False)
    with pytest.raises(PermissionDenied):
        services.dispatch(world.user(Role.COUNTY), task, attested=True)
    children = services.dispatch(world.user(Role.CITY), task, attested=True)
    assert [c.organization.region_id for c in children] == ["130606", "130681"]
    assert all(c.status == NoticeTask.Status.PENDING and c.parent_id == task.pk for c in children)
    event = Event.objects.get(action="notice.dispatch", object_id=str(task.pk))
    assert event.after["attestation"].startswith("电子形式内容完全等同于纸质效力") and event.actor == world.user(Role.CITY)
    task = NoticeTask.objects.get(pk=task.pk)
    assert task.attested_by == world.user(Role.CITY) and task.attested_at is not None


def test_a_county_needs_every_current_stamped_copy():
    world = notified_world()
    county, task = world.county, world.task
    members = list(task.members().select_related("enterprise").order_by("seq"))
    with pytest.raises(ValidationError) as refused:
        services.dispatch(county, task, attested=True)
    assert refused.value.messages == [
        f"还有 3 家企业没有上传盖章版告知书：{'、'.join(m.enterprise.name for m in members)}。全部上传后才能下发。"]
    letters = []
    for member in members:
        letter, _ = services.generate_letter(county, task, member.pk, expected_revision=0)
        services.attach_stamped_copy(county, letter, blank_pdf())
        letters.append(letter)
    # a stamped copy of an older revision does not count
    services.generate_letter(county, task, members[1].pk, expected_revision=1)
    with pytest.raises(ValidationError, match=f"还有 1 家企业没有上传盖章版告知书：{members[1].enterprise.name}。"):
        services.dispatch(county, task, attested=True)
    assert NoticeTask.objects.get(pk=task.pk).status == NoticeTask.Status.PENDING
    assert not NoticeLetter.objects.filter(dispatched_at__isnull=False).exists()
    services.attach_stamped_copy(county, NoticeLetter.objects.get(member=members[1]), blank_pdf())
    assert services.dispatch(county, task, attested=True) == []
    assert NoticeLetter.objects.filter(task=task, dispatched_at__isnull=False).count() == 3


def test_the_message_names_ten_and_says_there_are_more():
    world = notified_world(extra=False)
    province = world.user(Role.PROVINCE)
    for n in range(11):
        enterprise = make_enterprise(f"名单企业{n:02d}", "130681")
        campaigns.add_member(province, world.campaign, enterprise, reasons=["key_task"], handling_level="city")
    with pytest.raises(ValidationError) as refused:
        services.dispatch(world.county, world.task, attested=True)
    message = refused.value.messages[0]
    assert message.startswith("还有 12 家企业没有上传盖章版告知书：") and "等。全部上传后才能下发。" in message
    assert message.count("、") == 9


def test_a_county_without_enterprises_has_nothing_to_dispatch():
    world = notified_world(extra=False)
    from qingshen.campaigns.models import CampaignEnterprise

    CampaignEnterprise.objects.filter(pk=world.member(world.e_zhuozhou).pk).update(
        status=CampaignEnterprise.Status.EXCLUDED)
    with pytest.raises(ValidationError, match="本级名单中没有企业。"):
        services.dispatch(world.county, world.task, attested=True)


def test_readiness_lists_what_the_dispatch_page_shows():
    world = notified_world()
    members, missing = services.readiness(world.task)
    assert len(members) == 3 and len(missing) == 3
