"""The pages: new check (计算, bad input kept, save, conclude), detail, conclude, edit, list with
filters and counts, the .xlsx export read back, and the menu."""

import io
import uuid

from django.urls import reverse
from openpyxl import load_workbook

from qingshen.benchmarking.tests.helpers import REQ
from qingshen.core.menu import menu_for
from qingshen.core.roles import Role
from qingshen.enterprises.models import Enterprise
from qingshen.production_checks.models import ProductionCheck
from qingshen.production_checks.tests.helpers import (
    MET,
    NOT_MET,
    RESUMPTION,
    peer_check,
    record,
    trial_system,
    verified_system,
)

NEW = reverse("production_checks:new")


def post_data(world, chosen, action="calculate", **changes):
    data = {"enterprise": world.e_zhuozhou.pk, "kind": "new", "project_name": "年产 5 万吨测试产品项目（测试）",
            "campaign": "", "system": chosen.pk, "shown_system": chosen.pk, "shown_enterprise": world.e_zhuozhou.pk,
            "token": str(uuid.uuid4()), "action": action, "a1_met": REQ, "a2_value": "3", "a3_value": "85",
            "a4_applicable": "on", "a4_value": "92", "a5_value": "", "opinion": ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_new_page_defaults_the_water_context_from_the_enterprise(world, sign_in):
    Enterprise.objects.filter(pk=world.e_zhuozhou.pk).update(in_approved_park=True, centralized_treatment=True)
    system = verified_system(world)
    page = sign_in(world.user(Role.COUNTY)).get(f"{NEW}?enterprise={world.e_zhuozhou.pk}&system={system.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="in_approved_park" class="form-check-input" id="id_in_approved_park" checked' in html
    assert 'name="a2_value"' in html and "虚构单位产品取水量" in html
    assert "莲池测试企业" not in html  # another county's enterprise is not offered


def test_calculate_shows_indices_level_and_the_target_check(world, sign_in):
    client = sign_in(world.user(Role.COUNTY))
    response = client.post(NEW, post_data(world, verified_system(world)))
    html = response.content.decode()
    assert response.status_code == 200 and not ProductionCheck.objects.exists()
    assert "56.00" in html and "II级（国内清洁生产先进水平）" in html
    assert "未达到目标" in html and "≤2 m3/t" in html and 'data-seq="2"' in html


def test_bad_input_is_kept_and_named(world, sign_in):
    client = sign_in(world.user(Role.COUNTY))
    response = client.post(NEW, post_data(world, verified_system(world), action="save", a2_value="三点五",
                                          project_name="", a3_value="86"))
    html = response.content.decode()
    assert response.status_code == 200 and not ProductionCheck.objects.exists()
    assert "第 2 项（虚构单位产品取水量）：请填写数字。" in html
    assert "新建项目须填写项目名称。" in html
    assert 'value="三点五"' in html and 'value="86"' in html and "您已填写的内容都已保留" in html


def test_switching_the_system_redraws_without_saving(world, sign_in):
    client = sign_in(world.user(Role.COUNTY))
    trial = trial_system(world)
    response = client.post(NEW, post_data(world, verified_system(world), action="save", system=trial.pk))
    assert response.status_code == 200 and not ProductionCheck.objects.exists()
    assert "已切换企业或指标体系" in response.content.decode()
    assert "结果为试算，不能作出投产（复产）结论" in response.content.decode()


def test_conclude_on_the_new_page_follows_the_check(world, sign_in):
    client = sign_in(world.user(Role.COUNTY))
    data = post_data(world, verified_system(world), action="conclude", conclusion=MET)
    response = client.post(NEW, data)
    assert response.status_code == 200 and not ProductionCheck.objects.exists()
    assert "不能作出“达到”的结论" in response.content.decode()
    response = client.post(NEW, {**data, "conclusion": NOT_MET})
    check = ProductionCheck.objects.get()
    assert response.status_code == 302 and response["Location"] == check.get_absolute_url()
    assert check.conclusion == NOT_MET and check.recorded_by == world.user(Role.COUNTY)
    again = client.post(NEW, {**data, "conclusion": NOT_MET})  # the same page submitted twice
    assert "未重复保存" in again.content.decode() and ProductionCheck.objects.count() == 1


def test_detail_conclude_and_immutability(world, sign_in):
    check = record(world, in_approved_park=True, centralized_treatment=True)
    client = sign_in(world.user(Role.CITY))
    page = client.get(check.get_absolute_url()).content.decode()
    assert "尚未作出结论" in page and 'id="conclude-form"' in page and "本次达到清洁生产目标水平" in page
    stale = client.post(reverse("production_checks:conclude", args=[check.pk]),
                        {"conclusion": MET, "version": check.version - 1})
    assert "请刷新页面" in stale.content.decode()
    wrong = client.post(reverse("production_checks:conclude", args=[check.pk]),
                        {"conclusion": NOT_MET, "version": check.version})
    assert "结论应与核查结果一致" in wrong.content.decode()
    done = client.post(reverse("production_checks:conclude", args=[check.pk]),
                       {"conclusion": MET, "opinion": "测试意见", "version": check.version})
    assert done.status_code == 302
    page = client.get(check.get_absolute_url()).content.decode()
    assert "达到清洁生产目标水平，满足投产前置条件" in page and 'id="conclude-form"' not in page
    edit = client.get(reverse("production_checks:edit", args=[check.pk]))
    assert edit.status_code == 302 and edit["Location"] == check.get_absolute_url()


def test_trial_detail_says_no_conclusion(world, sign_in):
    check = record(world, system=trial_system(world))
    page = sign_in(world.user(Role.COUNTY)).get(check.get_absolute_url()).content.decode()
    assert "结果只是试算，不能作出投产（复产）结论" in page and "试算，不作为正式等级" in page


def test_edit_a_draft_keeps_its_values(world, sign_in):
    check = record(world)
    client = sign_in(world.user(Role.COUNTY))
    page = client.get(reverse("production_checks:edit", args=[check.pk])).content.decode()
    assert 'name="a2_value" value="3"' in page
    system = check.system
    response = client.post(reverse("production_checks:edit", args=[check.pk]),
                           post_data(world, system, action="save", version=check.version, in_approved_park="on",
                                     centralized_treatment="on", token=None))
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.target_met is True and check.version == 2 and ProductionCheck.objects.count() == 1


def test_resumption_warning_and_the_registry_link(world, sign_in):
    client = sign_in(world.user(Role.COUNTY))
    system = verified_system(world)
    page = client.post(NEW, post_data(world, system, kind=RESUMPTION, project_name=""))
    assert "状态为“运行”，不是“停产”" in page.content.decode()
    Enterprise.objects.filter(pk=world.e_zhuozhou.pk).update(status="suspended")
    check = record(world, kind=RESUMPTION, in_approved_park=True, centralized_treatment=True, conclusion=MET)
    html = client.get(check.get_absolute_url()).content.decode()
    assert "满足复产前置条件" in html and "系统不会自动修改" in html
    assert reverse("enterprises:edit", args=[world.e_zhuozhou.pk]) in html
    assert Enterprise.objects.get(pk=world.e_zhuozhou.pk).status == "suspended"


def test_the_enterprises_checks_are_listed_together_newest_first(world, sign_in):
    first = record(world, conclusion=NOT_MET)
    second = record(world, in_approved_park=True, centralized_treatment=True)
    html = sign_in(world.user(Role.COUNTY)).get(first.get_absolute_url()).content.decode()
    section = html[html.index('id="enterprise-checks"'):]
    assert section.index(f'data-pk="{second.pk}"') < section.index(f'data-pk="{first.pk}"')


def test_list_filters_and_counts(world, sign_in):
    record(world, conclusion=NOT_MET)
    record(world, in_approved_park=True, centralized_treatment=True, conclusion=MET)
    peer_check(world.e_zhuozhou, world.user(Role.COUNTY))
    peer_check(world.e_lianchi, world.user(Role.CITY))
    client = sign_in(world.user(Role.COUNTY))
    url = reverse("production_checks:list")
    response = client.get(url)
    assert response.context["counts"]["total"] == 3  # 莲池's check is not the county's
    assert (response.context["counts"]["met"], response.context["counts"]["not_met"],
            response.context["counts"]["pending"]) == (1, 1, 1)
    assert len(client.get(f"{url}?kind=resumption").context["object_list"]) == 1
    assert len(client.get(f"{url}?conclusion=pending").context["object_list"]) == 1
    met = client.get(f"{url}?conclusion=met")
    assert [c.conclusion for c in met.context["object_list"]] == [MET]
    assert "达到清洁生产目标水平，满足投产前置条件" in met.content.decode()
    assert sign_in(world.user(Role.CITY)).get(url).context["counts"]["total"] == 4


def test_export_reads_back(world, sign_in):
    record(world, conclusion=NOT_MET)
    peer_check(world.e_zhuozhou, world.user(Role.COUNTY))
    client = sign_in(world.user(Role.COUNTY))
    response = client.get(f"{reverse('production_checks:export')}?conclusion=not_met")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "投产/复产核查清单" and "涿州" in rows[1][0]
    assert rows[2][:4] == ("企业名称", "统一社会信用代码", "所属区县", "核查类型")
    assert len(rows) == 4
    line = dict(zip(rows[2], rows[3], strict=True))
    assert line["企业名称"] == "涿州测试企业" and line["核查类型"] == "新建项目"
    assert line["Y_I"] == 56 and line["对标等级"] == "II级" and line["对照目标"] == "未达到"
    assert "第 2 项 虚构单位产品取水量（涉水）需 I级：≤2 m3/t" in line["未达目标的指标及需达到"]
    assert line["核查结论"] == "未达到清洁生产目标水平，不满足投产前置条件"


def test_menu_for_officials_only(world):
    def labels(user):
        return [item.label for _, entries in menu_for(user, "/") for item, _, _ in entries]

    for role in (Role.PROVINCE, Role.CITY, Role.COUNTY):
        assert "投产/复产核查" in labels(world.user(role))
    for role in (Role.ENTERPRISE, Role.CONSULTANCY, Role.PERMIT_AUTHORITY, Role.SYSADMIN):
        assert "投产/复产核查" not in labels(world.user(role))
