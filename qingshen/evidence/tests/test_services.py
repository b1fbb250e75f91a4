"""attach / replace / withdraw / lock_for_project: versions, duplicates, locks, permissions and
the audit trail, with real files."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.evidence import services
from qingshen.evidence.images import SHANGHAI
from qingshen.evidence.models import Evidence
from qingshen.evidence.tests.helpers import project_slots, upload
from qingshen.files.models import StoredFile
from qingshen.files.tests import samples
from qingshen.files.validation import FileRefused
from qingshen.projects.models import AuditProject
from qingshen.projects.tests.jurisdiction import other_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(world):
    return world.user(Role.ENTERPRISE)


def events(action, obj):
    return Event.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk))


def test_attach_keeps_a_first_version_placed_in_the_enterprise_county(world, enterprise):
    content = samples.pdf_bytes(3)
    evidence = services.attach(enterprise, world.project, upload("审核报告（虚构）.pdf", content), slot="general",
                               title="审核报告", document_date=datetime.date(2022, 1, 15))
    evidence.refresh_from_db()
    assert (evidence.version, evidence.slot, evidence.title) == (1, "general", "审核报告")
    assert evidence.owner == world.project and evidence.project == world.project
    assert (evidence.province_code, evidence.city_code, evidence.county_code) == ("130000", "130600", "130681")
    assert evidence.stored.open_content() == content and evidence.stored.pages == 3
    assert evidence.document_date == datetime.date(2022, 1, 15)
    assert evidence.thumbnail is None and evidence.captured_at is None
    assert list(services.current(world.project)) == [evidence]
    event = events("evidence.attach", evidence).get()
    assert event.actor == enterprise and "审核报告" in event.summary and event.after["version"] == 1


def test_a_photo_gets_a_thumbnail_and_its_capture_time(world, enterprise):
    photo = samples.jpeg_bytes(size=(1280, 960), taken="2022:01:15 10:30:00", orientation=6)
    evidence = services.attach(enterprise, world.project, upload("现场照片（虚构）.jpg", photo), slot="general")
    assert evidence.captured_at == datetime.datetime(2022, 1, 15, 10, 30, tzinfo=SHANGHAI)
    assert evidence.thumbnail.mime == "image/jpeg"
    with evidence.thumbnail.file.open("rb") as handle, Image.open(handle) as image:
        assert image.size == (240, 320)  # upright, at most 320 px
    assert evidence.is_image


def test_replace_adds_a_version_and_keeps_the_old_one_readable(world, enterprise):
    first_content = samples.pdf_bytes(1)
    first = services.attach(enterprise, world.project, upload("监测报告（虚构）.pdf", first_content), slot="general",
                            document_date=datetime.date(2022, 1, 1))
    second = services.replace(enterprise, first, upload("监测报告-修订（虚构）.docx", samples.docx_bytes()))
    third = services.replace(enterprise, second, upload("监测报告-再修订（虚构）.xlsx", samples.xlsx_bytes()),
                             document_date=datetime.date(2022, 3, 1))
    first.refresh_from_db()
    second.refresh_from_db()
    assert [e.version for e in services.versions(third)] == [3, 2, 1]
    assert first.series == second.series == third.series
    assert first.superseded_at is not None and second.superseded_at is not None and third.superseded_at is None
    assert first.stored.open_content() == first_content  # still readable
    assert second.document_date == datetime.date(2022, 1, 1)  # carried over when not given
    assert third.document_date == datetime.date(2022, 3, 1)
    assert list(services.current(world.project)) == [third]
    assert services.current(world.project).get().version_count == 3
    event = events("evidence.replace", third).get()
    assert event.before["version"] == 2 and event.after["version"] == 3


def test_replacing_a_version_that_was_already_replaced_is_refused(world, enterprise):
    first = services.attach(enterprise, world.project, upload(), slot="general")
    services.replace(enterprise, first, upload("新版（虚构）.png", samples.png_bytes()))
    with pytest.raises(ValidationError) as caught:
        services.replace(enterprise, first, upload("另一版（虚构）.docx", samples.docx_bytes()))
    assert "已被替换为第 2 版，请刷新页面后再替换" in caught.value.messages[0]
    assert Evidence.objects.filter(series=first.series).count() == 2


def test_the_same_file_twice_in_one_slot_is_refused_naming_the_earlier_one(world, enterprise):
    content = samples.pdf_bytes(2)
    services.attach(enterprise, world.project, upload("原件（虚构）.pdf", content), slot="general")
    with pytest.raises(ValidationError) as caught:
        services.attach(enterprise, world.project, upload("副本（虚构）.pdf", content), slot="general")
    assert caught.value.messages[0].startswith("文件“副本（虚构）.pdf”与已上传的“原件（虚构）.pdf”（")
    assert caught.value.messages[0].endswith("上传）内容相同，无需重复上传。")
    assert Evidence.objects.count() == 1


def test_the_same_file_may_go_in_another_slot_or_again_after_withdrawal(world, enterprise):
    content = samples.pdf_bytes(2)
    with project_slots({"general": "其他材料", "photos": "现场照片"}):
        first = services.attach(enterprise, world.project, upload("原件（虚构）.pdf", content), slot="general")
        services.attach(enterprise, world.project, upload("原件（虚构）.pdf", content), slot="photos")
        services.withdraw(enterprise, first)
        again = services.attach(enterprise, world.project, upload("原件（虚构）.pdf", content), slot="general")
        assert list(services.current(world.project, "general")) == [again]
        assert services.current(world.project).count() == 2


def test_replacing_with_the_current_content_is_refused(world, enterprise):
    content = samples.pdf_bytes()
    evidence = services.attach(enterprise, world.project, upload("原件（虚构）.pdf", content), slot="general")
    with pytest.raises(ValidationError, match="内容相同"):
        services.replace(enterprise, evidence, upload("原件（虚构）.pdf", content))


def test_withdraw_keeps_the_history(world, enterprise):
    first = services.attach(enterprise, world.project, upload(), slot="general")
    second = services.replace(enterprise, first, upload("二版（虚构）.png", samples.png_bytes()))
    services.withdraw(enterprise, second)
    second.refresh_from_db()
    assert second.withdrawn_at is not None
    assert not services.current(world.project).exists()
    assert Evidence.objects.filter(series=first.series).count() == 2
    assert events("evidence.withdraw", second).get().before["withdrawn_at"] is None
    with pytest.raises(ValidationError, match="已被删除"):
        services.withdraw(enterprise, second)
    with pytest.raises(ValidationError, match="已被删除"):
        services.replace(enterprise, second, upload("三版（虚构）.docx", samples.docx_bytes()))


def test_locked_evidence_cannot_be_replaced_or_withdrawn(world, enterprise):
    kept = services.attach(enterprise, world.project, upload("申请材料（虚构）.pdf"), slot="general")
    old = services.attach(enterprise, world.project, upload("旧材料（虚构）.png", samples.png_bytes()), slot="general")
    services.replace(enterprise, old, upload("新材料（虚构）.docx", samples.docx_bytes()))
    official = world.user(Role.COUNTY)
    assert services.lock_for_project(world.project, official) == 2  # current versions only
    old.refresh_from_db()
    assert old.locked_at is None
    assert services.lock_for_project(world.project, official) == 0  # nothing new to lock
    for action in (lambda e: services.replace(enterprise, e, upload("改（虚构）.xlsx", samples.xlsx_bytes())),
                   lambda e: services.withdraw(enterprise, e)):
        with pytest.raises(ValidationError, match="材料已锁定"):
            action(kept)
    event = events("evidence.lock", world.project).get()
    assert event.actor == official and kept.pk in event.after["evidence"]
    # New files may still be added (the owner decides through evidence_editable).
    services.attach(enterprise, world.project, upload("补充材料（虚构）.jpg", samples.jpeg_bytes()), slot="general")


def test_lock_for_some_owners_only(world, enterprise):
    services.attach(enterprise, world.project, upload(), slot="general")
    other = other_project(world, world.e_lianchi, "202113060600001")
    assert services.lock_for_project(world.project, world.user(Role.COUNTY), owners=[other]) == 0
    assert services.lock_for_project(world.project, world.user(Role.COUNTY), owners=[world.project]) == 1


def test_consultancy_adds_for_its_delegated_enterprise(world):
    consultancy = world.user(Role.CONSULTANCY)
    evidence = services.attach(consultancy, world.project, upload(), slot="general")
    assert evidence.uploaded_by == consultancy
    assert services.may_add(consultancy, world.project)


@pytest.mark.parametrize("role", [Role.PROVINCE, Role.CITY, Role.COUNTY, Role.EXPERT, Role.SYSADMIN,
                                  Role.PERMIT_AUTHORITY])
def test_officials_and_others_may_not_add(world, role):
    with pytest.raises(PermissionDenied, match="没有上传或修改佐证材料的权限"):
        services.attach(world.user(role), world.project, upload(), slot="general")
    assert not services.may_add(world.user(role), world.project)


def test_another_enterprise_may_not_add_to_this_project(world):
    with pytest.raises(PermissionDenied, match="不在您的管辖或委托范围内"):
        services.attach(world.other_enterprise_user, world.project, upload(), slot="general")


def test_an_owner_that_is_not_editable_refuses_changes(world, enterprise, monkeypatch):
    evidence = services.attach(enterprise, world.project, upload(), slot="general")
    monkeypatch.setattr(AuditProject, "evidence_editable", lambda self, user: False, raising=False)
    assert not services.may_add(enterprise, world.project)
    for action in (lambda: services.attach(enterprise, world.project, upload("新（虚构）.png", samples.png_bytes()),
                                           slot="general"),
                   lambda: services.replace(enterprise, evidence, upload("新（虚构）.png", samples.png_bytes())),
                   lambda: services.withdraw(enterprise, evidence)):
        with pytest.raises(ValidationError, match="该部分已提交"):
            action()


def test_slots_may_come_from_the_class_attribute(world, enterprise, monkeypatch):
    from qingshen.evidence import registry

    monkeypatch.delitem(registry._REGISTERED, "projects.auditproject")
    monkeypatch.setattr(AuditProject, "evidence_slots", {"report": "报告"}, raising=False)
    assert services.attach(enterprise, world.project, upload(), slot="report").slot == "report"
    with pytest.raises(ValidationError, match="未知的材料类别“general”"):
        services.attach(enterprise, world.project, upload("另（虚构）.png", samples.png_bytes()), slot="general")


def test_a_refused_file_leaves_nothing_behind(world, enterprise):
    files_before = StoredFile.objects.count()
    with pytest.raises(FileRefused, match="实际是 EXE 文件"):
        services.attach(enterprise, world.project, upload("报告.pdf", samples.EXE), slot="general")
    with pytest.raises(FileRefused, match="是空的"):
        services.attach(enterprise, world.project, upload("空.pdf", b""), slot="general")
    assert StoredFile.objects.count() == files_before
    assert not Evidence.objects.exists()
    assert not Event.objects.filter(action__startswith="evidence.").exists()


def test_restrict_follows_the_project_enterprise(world, enterprise):
    evidence = services.attach(enterprise, world.project, upload(), slot="general")
    assert Evidence.objects.restrict(world.user(Role.COUNTY)).filter(pk=evidence.pk).exists()
    assert Evidence.objects.restrict(world.user(Role.CONSULTANCY)).filter(pk=evidence.pk).exists()
    assert not Evidence.objects.restrict(world.other_county_user).filter(pk=evidence.pk).exists()
    assert not Evidence.objects.restrict(world.other_enterprise_user).filter(pk=evidence.pk).exists()
    assert not Evidence.objects.restrict(world.user(Role.EXPERT)).filter(pk=evidence.pk).exists()
