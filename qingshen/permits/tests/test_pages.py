"""The permit pages: the list with its counts, filter and .xlsx; the record form (re-rendered
filled on error); the report page, its .xlsx; the receiving level's page and the return."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.core.roles import Role
from qingshen.permits import services
from qingshen.permits.models import PermitChange, PermitReport
from qingshen.permits.tests.helpers import (
    categorise,
    dates,
    member,
    pdf,
    read_xlsx,
)

TODAY = timezone.localdate


@pytest.fixture
def keyed(world):
    categorise(world, lianchi="key", zhuozhou="simplified", changan="key")
    dates(world, updated=TODAY() - timedelta(days=2), reported=TODAY() + timedelta(days=20))
    return world


def record(world, enterprise, **values):
    values = {"changed_on": TODAY() - timedelta(days=5), "permit_number": "91130606TEST001P", "upload": pdf(), **values}
    return services.record_change(world.user(Role.PERMIT_AUTHORITY), member(world, enterprise), **values)


def test_list_counts_filter_and_export(keyed, sign_in):
    world = keyed
    record(world, world.e_lianchi)
    client = sign_in(world.user(Role.PERMIT_AUTHORITY))
    page = client.get(reverse("permits:list"), {"campaign": world.campaign.pk}).content.decode()
    assert "莲池测试企业" in page and "涿州测试企业" in page and "长安测试企业" not in page
    assert "已变更" in page and "未变更" in page and "按时完成" in page and "已逾期" in page
    assert "91130606TEST001P" in page and reverse("permits:file", args=[PermitChange.objects.get().pk]) in page
    assert "另有" not in page  # 定州 is not 保定's; every 保定 line is listed
    categorise(world, zhuozhou="registration")
    page = client.get(reverse("permits:list"), {"campaign": world.campaign.pk}).content.decode()
    assert "另有 1 家登记管理或未填管理类别" in page and "涿州测试企业" not in page
    categorise(world, zhuozhou="simplified")
    only = client.get(reverse("permits:list"), {"campaign": world.campaign.pk, "state": "overdue"}).content.decode()
    assert "涿州测试企业" in only and "莲池测试企业" not in only
    response = client.get(reverse("permits:export"), {"campaign": world.campaign.pk})
    rows = read_xlsx(response.content)
    assert rows[0][0].strip().endswith("排污许可证变更情况")
    header = rows.index(next(r for r in rows if r[0] == "序号"))
    body = {r[1]: r for r in rows[header + 1:]}
    assert body["莲池测试企业"][5] == "已变更" and body["莲池测试企业"][7] == "91130606TEST001P"
    assert body["涿州测试企业"][5] == "未变更" and body["涿州测试企业"][9] == "已逾期"


def test_officials_and_the_enterprise_read_their_part(keyed, sign_in):
    world = keyed
    record(world, world.e_lianchi)
    record(world, world.e_zhuozhou, permit_number="91130681TEST001P")
    county = sign_in(world.user(Role.COUNTY)).get(reverse("permits:list")).content.decode()
    assert "涿州测试企业" in county and "莲池测试企业" not in county and "登记变更" not in county
    own = sign_in(world.user(Role.ENTERPRISE)).get(reverse("permits:list")).content.decode()
    assert "91130681TEST001P" in own and "莲池测试企业" not in own
    change = PermitChange.objects.get(member__enterprise=world.e_zhuozhou)
    response = sign_in(world.user(Role.ENTERPRISE)).get(reverse("permits:file", args=[change.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_record_form_re_renders_filled_and_then_saves(keyed, sign_in):
    world = keyed
    client = sign_in(world.user(Role.PERMIT_AUTHORITY))
    line = member(world, world.e_lianchi)
    url = reverse("permits:record", args=[line.pk])
    page = client.get(url).content.decode()
    assert "白洋淀流域涉水企业2022年6月30日前通过清洁生产审核验收" in page
    future = (TODAY() + timedelta(days=3)).isoformat()
    response = client.post(url, {"changed_on": future, "permit_number": "91130606TYPED01P", "requirement": "测试要求原文",
                                 "note": "测试备注", "version": 0, "file": pdf()})
    page = response.content.decode()
    assert response.status_code == 200 and "晚于今天" in page
    assert 'value="91130606TYPED01P"' in page and "测试要求原文" in page and "测试备注" in page and future in page
    response = client.post(url, {"changed_on": TODAY().isoformat(), "permit_number": "91130606TYPED01P",
                                 "requirement": "测试要求原文", "version": 0})
    assert response.status_code == 200 and "请上传“莲池测试企业”变更后的排污许可证页面" in response.content.decode()
    response = client.post(url, {"changed_on": TODAY().isoformat(), "permit_number": "91130606TYPED01P",
                                 "requirement": "测试要求原文", "version": 0, "file": pdf()})
    assert response.status_code == 302
    change = PermitChange.objects.get(member=line)
    assert change.requirement == "测试要求原文" and change.recorded_by == world.user(Role.PERMIT_AUTHORITY)
    page = client.get(url).content.decode()
    assert "第 1 版" in page and f"{reverse('permits:file', args=[change.pk])}?version=1" in page


def test_report_page_submit_export_return_and_received(keyed, sign_in):
    world = keyed
    record(world, world.e_lianchi)
    client = sign_in(world.user(Role.PERMIT_AUTHORITY))
    url = reverse("permits:report")
    page = client.get(url, {"campaign": world.campaign.pk})
    text = page.content.decode()
    assert "省生态环境厅" in text and (TODAY() + timedelta(days=20)).isoformat() in text and "未到期" in text
    digest = page.context["digest"]
    response = client.post(url, {"campaign": world.campaign.pk, "note": "", "version": 0, "digest": digest,
                                 "action": "submit"})
    assert response.status_code == 200 and "请说明未变更的原因" in response.content.decode()
    response = client.post(url, {"campaign": world.campaign.pk, "note": "涿州企业尚未申请（测试）", "version": 0,
                                 "digest": digest, "action": "submit"})
    assert response.status_code == 302
    report = PermitReport.objects.get()
    assert report.status == "submitted"
    again = client.post(url, {"campaign": world.campaign.pk, "note": "涿州企业尚未申请（测试）", "version": 0,
                              "digest": digest, "action": "submit"})
    assert again.status_code == 200 and "请刷新页面" in again.content.decode()
    rows = read_xlsx(client.get(reverse("permits:report_export", args=[report.pk])).content)
    assert any(r[1] == "莲池测试企业" and r[5] == "已变更" for r in rows)
    assert any("情况说明：涿州企业尚未申请（测试）" == r[0] for r in rows)

    province = sign_in(world.user(Role.PROVINCE))
    received = province.get(reverse("permits:received"), {"campaign": world.campaign.pk}).content.decode()
    assert "保定市行政审批局" in received and "按时完成" in received and "查看 / 退回" in received
    detail = province.get(reverse("permits:report_detail", args=[report.pk])).content.decode()
    assert "退回原因" in detail
    response = province.post(reverse("permits:report_return", args=[report.pk]), {"reason": "", "version": 1})
    assert response.status_code == 200 and "请填写退回原因" in response.content.decode()
    response = province.post(reverse("permits:report_return", args=[report.pk]), {"reason": "补充（测试）", "version": 1})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "returned"
    city_page = sign_in(world.user(Role.CITY)).get(reverse("permits:received")).content.decode()
    assert "保定市行政审批局" in city_page and "涿州" in city_page and "石家庄" not in city_page
    page = sign_in(world.user(Role.PERMIT_AUTHORITY)).get(url, {"campaign": world.campaign.pk}).content.decode()
    assert "已被退回：补充（测试）" in page and "起草第 2 版" in page
