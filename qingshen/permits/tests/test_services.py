"""The permit linkage's services: recording and correcting a change, the report's life (draft,
submit, return by the right level, next version) and who may do each."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.enterprises.models import Enterprise
from qingshen.files.validation import FileRefused
from qingshen.permits import services
from qingshen.permits.models import PermitChange, PermitReport
from qingshen.permits.tests.helpers import authority, categorise, dates, member, pdf

TODAY = timezone.localdate


@pytest.fixture
def keyed(world):
    categorise(world, lianchi="key", zhuozhou="simplified", changan="key")
    return world


def record(world, user=None, enterprise=None, **values):
    values.setdefault("changed_on", TODAY() - timedelta(days=3))
    values.setdefault("permit_number", "91130606TEST001P")
    values.setdefault("upload", pdf())
    return services.record_change(user or world.user(Role.PERMIT_AUTHORITY), member(world, enterprise or world.e_lianchi),
                                  **values)


def test_record_writes_the_change_its_version_the_registry_and_the_trail(keyed):
    world = keyed
    change = record(world)
    assert change.version == 1 and change.permit_number == "91130606TEST001P"
    assert change.requirement == "白洋淀流域涉水企业2022年6月30日前通过清洁生产审核验收"
    assert change.file.mime == "application/pdf" and change.city_code == "130600"
    assert [v.version for v in change.versions.all()] == [1]
    assert Enterprise.objects.get(pk=world.e_lianchi.pk).permit_number == "91130606TEST001P"
    written = Event.objects.get(action="enterprise.permit_number", object_id=str(world.e_lianchi.pk))
    assert written.before == {"permit_number": ""} and written.after == {"permit_number": "91130606TEST001P"}
    event = Event.objects.get(action="permit.change", object_id=str(change.pk))
    assert event.before is None and event.after["version"] == 1


def test_correction_is_a_new_version_keeping_the_earlier_one(keyed):
    world = keyed
    first = record(world)
    first_file = first.file_id
    corrected = record(world, permit_number="91130606TEST002P", upload=None, expected_version=1, note="更正编号（测试）")
    assert corrected.version == 2 and corrected.file_id == first_file  # no new file: the current one kept
    old, new = corrected.versions.order_by("version")
    assert (old.permit_number, new.permit_number) == ("91130606TEST001P", "91130606TEST002P")
    event = Event.objects.get(action="permit.correct", object_id=str(corrected.pk))
    assert event.before["permit_number"] == "91130606TEST001P" and event.after["permit_number"] == "91130606TEST002P"
    assert Enterprise.objects.get(pk=world.e_lianchi.pk).permit_number == "91130606TEST002P"
    # a page still showing version 1 is stale
    with pytest.raises(ValidationError, match="已被他人登记或更正"):
        record(world, permit_number="91130606TEST003P", expected_version=1)
    # recording "for the first time" twice (double click) is refused the same way
    categorise(world, zhuozhou="key")
    record(world, enterprise=world.e_zhuozhou)
    with pytest.raises(ValidationError, match="已被他人登记或更正"):
        record(world, enterprise=world.e_zhuozhou)


def test_input_refused_in_chinese(keyed):
    world = keyed
    with pytest.raises(ValidationError) as caught:
        record(world, changed_on=TODAY() + timedelta(days=1), permit_number=" ")
    assert "晚于今天" in caught.value.message_dict["changed_on"][0]
    assert caught.value.message_dict["permit_number"] == ["请填写排污许可证编号。"]
    with pytest.raises(ValidationError, match="请上传“莲池测试企业”变更后的排污许可证页面"):
        record(world, upload=None)
    exe = SimpleUploadedFile("许可证.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(FileRefused, match="只能上传 PDF、JPG、PNG 文件"):
        record(world, upload=exe)
    assert not PermitChange.objects.exists()


def test_who_may_record(keyed):
    world = keyed
    with pytest.raises(PermissionDenied, match="不在您的辖区内"):
        record(world, enterprise=world.e_changan)  # 石家庄: outside 保定's authority
    with pytest.raises(PermissionDenied, match="只有排污许可发证部门"):
        record(world, user=world.user(Role.CITY))
    county_authority = authority(world, "130681")
    with pytest.raises(PermissionDenied):
        record(world, user=county_authority)  # 莲池 is not 涿州
    assert record(world, user=county_authority, enterprise=world.e_zhuozhou).version == 1
    categorise(world, lianchi="registration")
    with pytest.raises(ValidationError, match="不属于排污许可重点管理或简化管理"):
        record(world)


def _lines_digest(world, organization):
    from qingshen.permits import lines

    found, _ = lines.for_organization(organization, world.campaign)
    return services.digest(found)


def test_report_submit_needs_a_reason_for_unchanged_lines_and_freezes_the_lines(keyed):
    world = keyed
    user = world.user(Role.PERMIT_AUTHORITY)
    record(world)
    digest = _lines_digest(world, user.organization)
    with pytest.raises(ValidationError) as caught:
        services.submit_report(user, world.campaign, note="", expected_version=0, lines_digest=digest)
    assert "1 家企业未变更排污许可证，请说明未变更的原因" in caught.value.message_dict["note"][0]
    assert not PermitReport.objects.exists()  # the refused submission left no draft behind
    report = services.submit_report(user, world.campaign, note="涿州测试企业申请未受理（测试）", expected_version=0,
                                    lines_digest=digest)
    assert report.status == PermitReport.Status.SUBMITTED and report.version == 1
    assert report.counts["total"] == 2 and report.counts["changed"] == 1
    assert {line["enterprise"]: line["changed"] for line in report.lines} == {"莲池测试企业": True, "涿州测试企业": False}
    record(world, enterprise=world.e_zhuozhou)  # later changes do not touch the frozen lines
    report.refresh_from_db()
    assert report.counts["changed"] == 1
    with pytest.raises(ValidationError, match="已于 .* 报送，不能再修改"):
        services.submit_report(user, world.campaign, note="再次（测试）", expected_version=1, lines_digest=digest)
    assert Event.objects.filter(action="permit_report.submit", object_id=str(report.pk)).count() == 1


def test_a_stale_page_cannot_submit(keyed):
    world = keyed
    user = world.user(Role.PERMIT_AUTHORITY)
    digest = _lines_digest(world, user.organization)
    services.save_draft(user, world.campaign, note="草稿（测试）", expected_version=0)
    with pytest.raises(ValidationError, match="请刷新页面"):
        services.save_draft(user, world.campaign, note="另一页面（测试）", expected_version=0)
    record(world)  # the lines change after the page was opened
    with pytest.raises(ValidationError, match="许可证变更情况已有更新"):
        services.submit_report(user, world.campaign, note="说明（测试）", expected_version=1, lines_digest=digest)
    assert PermitReport.objects.get().status == PermitReport.Status.DRAFT


def _submitted(world, user):
    return services.submit_report(user, world.campaign, note="说明（测试）", expected_version=0,
                                  lines_digest=_lines_digest(world, user.organization))


def test_return_by_the_receiving_level_only_then_version_two(keyed):
    world = keyed
    city_authority = world.user(Role.PERMIT_AUTHORITY)  # 保定's city-level authority → the province
    report = _submitted(world, city_authority)
    with pytest.raises(PermissionDenied, match="由省生态环境厅接收"):
        services.return_report(world.user(Role.CITY), report, reason="补充（测试）")
    with pytest.raises(ValidationError):
        services.return_report(world.user(Role.PROVINCE), report, reason=" ")
    returned = services.return_report(world.user(Role.PROVINCE), report, reason="请补充未变更原因（测试）")
    assert returned.status == PermitReport.Status.RETURNED
    with pytest.raises(ValidationError, match="不能退回"):
        services.return_report(world.user(Role.PROVINCE), report, reason="再退（测试）")
    second = services.save_draft(city_authority, world.campaign, note="已补充（测试）", expected_version=1)
    assert second.version == 2 and second.status == PermitReport.Status.DRAFT
    first = PermitReport.objects.get(pk=report.pk)
    assert first.status == PermitReport.Status.RETURNED and first.lines == report.lines  # still readable
    event = Event.objects.get(action="permit_report.return", object_id=str(report.pk))
    assert event.before == {"status": "submitted"} and event.after["return_reason"] == "请补充未变更原因（测试）"


def test_a_county_authority_reports_to_its_city(keyed):
    world = keyed
    county_authority = authority(world, "130681")
    report = _submitted(world, county_authority)
    assert [line["enterprise"] for line in report.lines] == ["涿州测试企业"]
    with pytest.raises(PermissionDenied):
        services.return_report(world.other_city_user, report, reason="（测试）")  # 石家庄 does not see it
    with pytest.raises(PermissionDenied, match="由市生态环境局接收"):
        services.return_report(world.user(Role.PROVINCE), report, reason="（测试）")
    with pytest.raises(PermissionDenied):
        services.return_report(world.user(Role.COUNTY), report, reason="（测试）")
    assert services.return_report(world.user(Role.CITY), report, reason="（测试）").status == "returned"


def test_the_province_level_authority_does_not_report(keyed):
    world = keyed
    with pytest.raises(ValidationError, match="省级排污许可发证部门没有上级报送对象"):
        services.save_draft(authority(world, "130000"), world.campaign, note="", expected_version=0)
    with pytest.raises(PermissionDenied):
        services.save_draft(world.user(Role.CITY), world.campaign, note="", expected_version=0)


def test_due_items_states_and_first_submission(keyed, django_assert_max_num_queries):
    from qingshen.organizations.models import Organization
    from qingshen.permits import due

    world = keyed
    dates(world, reported=TODAY() - timedelta(days=1))
    city_authority = world.user(Role.PERMIT_AUTHORITY)
    report = _submitted(world, city_authority)  # submitted today: a day late
    services.return_report(world.user(Role.PROVINCE), report, reason="（测试）")
    services.save_draft(city_authority, world.campaign, note="第二版（测试）", expected_version=1)
    organizations = Organization.objects.filter(kind="permit_authority", region_id__in=["130600", "130100"])
    with django_assert_max_num_queries(3):
        found = {item.organization.region_id: item for item in due.items(world.campaign, organizations)}
    baoding, shijiazhuang = found["130600"], found["130100"]
    assert baoding.report.version == 2 and baoding.done == TODAY() and baoding.state == "late"
    assert shijiazhuang.report is None and shijiazhuang.state == "overdue"
    assert baoding.due == TODAY() - timedelta(days=1)
