"""The enterprise's wizard: 1 基本信息 … 6 提交任务, 保存 / 下一步 / 上一步, the missing list, 提交."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.industries.models import Industry
from qingshen.project_start import services
from qingshen.project_start.models import EiaApproval, Product, ProjectStart
from qingshen.project_start.tests.conftest import fill_everything, fresh, pdf, sign_in

SEED = "/work/shared/seed/000_aa8e774fbaf3fe17.txt"


def url(name, pk):
    return reverse(f"project_start:{name}", args=[pk])


def test_first_visit_creates_the_start_prefilled_from_the_registry(world, client):
    enterprise = world.e_zhuozhou
    enterprise.legal_representative, enterprise.town, enterprise.address = "庄测试", "测试镇", "涿州市测试镇1号"
    enterprise.employees, enterprise.working_days, enterprise.nature = 35, 300, "股份合作"
    enterprise.industry = Industry.objects.get(code="1713")
    enterprise.save()
    sign_in(client, world.user(Role.ENTERPRISE))
    assert not ProjectStart.objects.filter(pk=world.project.pk).exists()
    response = client.get(url("detail", world.project.pk))
    assert response.status_code == 200
    start = ProjectStart.objects.get(pk=world.project.pk)
    assert (start.enterprise_name, start.legal_representative, start.town, start.address) == (
        "涿州测试企业", "庄测试", "测试镇", "涿州市测试镇1号")
    assert (start.employees, start.working_days, start.nature, start.industry_id) == (35, 300, "股份合作", "1713")
    # delegated to ZX0001 in the registry: the audit mode follows
    assert start.audit_mode == "consultancy" and start.consultancy == world.consultancy_org
    assert start.status == "draft" and start.version == 1
    html = response.content.decode()
    # 所属行业 in three levels, as the seed's screen shows it (the seed shortens 1713's GB/T name
    # 棉印染精加工 to 棉印染加工); 行政区划 from the registry's county
    assert "17 | 纺织业 171 | 棉纺织及印染精加工 1713 | 棉印染精加工" in html
    assert "河北省 保定市 涿州市" in html
    assert f'data-draft="project-start-{start.pk}-basic"' in html
    assert 'class="card mb-3 deadlines"' in html  # the deadlines box
    assert Event.objects.filter(action="project_start.create", object_id=str(start.pk)).count() == 1
    client.get(url("detail", world.project.pk))  # a second visit creates nothing more
    assert Event.objects.filter(action="project_start.create", object_id=str(start.pk)).count() == 1


def test_nature_choices_are_the_seeds_list_in_its_order(world):
    with open(SEED, encoding="utf-8") as seed:
        line = seed.read().splitlines()[543]
    assert line.startswith("*企业性质:")
    expected = line.split(":", 1)[1].split()
    assert [value for value, _ in ProjectStart._meta.get_field("nature").choices] == expected


def test_save_keeps_a_half_filled_draft(world, client):
    sign_in(client, world.user(Role.ENTERPRISE))
    client.get(url("detail", world.project.pk))
    start = ProjectStart.objects.get(pk=world.project.pk)
    response = client.post(url("detail", start.pk), {
        "version": start.version, "enterprise_name": "", "legal_representative": "半填法人", "town": "",
        "village": "", "address": "", "industry": "", "nature": "", "employees": "", "working_days": "",
        "audit_mode": "consultancy", "consultancy": world.consultancy_org.pk, "action": "save"})
    assert response.status_code == 302 and response["Location"] == url("detail", start.pk)
    start.refresh_from_db()
    assert start.legal_representative == "半填法人" and start.enterprise_name == "" and start.employees is None
    assert start.version == 2
    event = Event.objects.filter(action="project_start.update", object_id=str(start.pk)).latest("seq")
    assert event.before["legal_representative"] == "" and event.after["legal_representative"] == "半填法人"
    assert event.before["enterprise_name"] == "涿州测试企业" and event.after["enterprise_name"] == ""


def test_next_and_prev_save_then_move(world, client):
    sign_in(client, world.user(Role.ENTERPRISE))
    client.get(url("detail", world.project.pk))
    start = ProjectStart.objects.get(pk=world.project.pk)
    data = {"version": start.version, "enterprise_name": "涿州测试企业", "legal_representative": "下一步法人",
            "audit_mode": "consultancy", "consultancy": world.consultancy_org.pk, "action": "next"}
    response = client.post(url("detail", start.pk), data)
    assert response["Location"] == url("products", start.pk)
    start.refresh_from_db()
    assert start.legal_representative == "下一步法人"
    # on a row step, 下一步 with a filled form adds the row, then moves on
    response = client.post(url("products", start.pk), {"new-name": "测试坯布", "new-unit": "吨", "action": "next"})
    assert response["Location"] == url("eia", start.pk)
    assert Product.objects.filter(project=world.project, name="测试坯布").exists()
    # an empty form adds nothing and only moves
    response = client.post(url("eia", start.pk), {"action": "prev"})
    assert response["Location"] == url("products", start.pk)
    assert not EiaApproval.objects.filter(project=world.project).exists()
    # 上一步 on step 1 does not exist; step 6 has no 下一步
    page = client.get(url("detail", start.pk)).content.decode()
    assert 'value="prev"' not in page and 'value="next"' in page


def test_bad_values_are_refused_beside_the_field_and_kept(world, client):
    sign_in(client, world.user(Role.ENTERPRISE))
    client.get(url("detail", world.project.pk))
    start = ProjectStart.objects.get(pk=world.project.pk)
    response = client.post(url("detail", start.pk), {
        "version": start.version, "enterprise_name": "保留的名称", "working_days": "400", "employees": "-3",
        "audit_mode": "consultancy", "consultancy": world.consultancy_org.pk, "action": "next"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "保留的名称" in html
    assert "is-invalid" in html
    start.refresh_from_db()
    assert start.enterprise_name == "涿州测试企业" and start.version == 1


def test_a_product_row_refuses_a_negative_output_and_keeps_what_was_typed(world, client):
    sign_in(client, world.user(Role.ENTERPRISE))
    client.get(url("detail", world.project.pk))
    response = client.post(url("products", world.project.pk), {
        "new-name": "负数产品", "new-unit": "吨", "new-output_1": "-5", "action": "save"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "负数产品" in html and "is-invalid" in html
    assert not Product.objects.filter(project=world.project).exists()


def test_stale_edit_is_refused_and_typed_values_kept(world, client):
    user = fresh(world.user(Role.ENTERPRISE))
    sign_in(client, user)
    client.get(url("detail", world.project.pk))
    start = ProjectStart.objects.get(pk=world.project.pk)
    shown = start.version
    services.save_basic(user, start, legal_representative="别人先改")  # someone saves meanwhile
    response = client.post(url("detail", start.pk), {
        "version": shown, "enterprise_name": "我填的名称", "legal_representative": "我填的法人",
        "audit_mode": "consultancy", "consultancy": world.consultancy_org.pk, "action": "save"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "已被他人修改" in html and "您填写的内容仍保留在下方" in html
    assert "我填的名称" in html and "我填的法人" in html
    start.refresh_from_db()
    assert start.legal_representative == "别人先改"


def test_rows_are_added_with_a_file_edited_and_deleted(world, client):
    user = fresh(world.user(Role.ENTERPRISE))
    sign_in(client, user)
    client.get(url("detail", world.project.pk))
    response = client.post(url("eia", world.project.pk), {
        "new-project_name": "测试项目", "new-document_number": "测环审〔2015〕9号", "new-approved_on": "2015-06-01",
        "new-authority": "测试环保局", "new-file": pdf("批复-行.pdf"), "action": "save"})
    assert response.status_code == 302
    row = EiaApproval.objects.get(project=world.project)
    assert [e.stored.original_name for e in services.evidence.current(row, "file")] == ["批复-行.pdf"]
    page = client.get(url("eia", world.project.pk)).content.decode()
    assert "批复-行.pdf" in page and "测环审〔2015〕9号" in page
    edit = reverse("project_start:eia_edit", args=[row.pk])
    response = client.post(edit, {"row-version": row.version, "row-document_number": "测环审〔2015〕10号",
                                  "row-approved_on": "2015-06-01", "row-authority": "测试环保局"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.document_number == "测环审〔2015〕10号" and row.version == 2
    event = Event.objects.filter(action="project_start.eia.update").latest("seq")
    assert event.before["document_number"] == "测环审〔2015〕9号" and event.after["document_number"] == "测环审〔2015〕10号"
    assert event.object_type == "project_start.projectstart" and event.after["id"] == row.pk
    # deleting with an old version is refused; with the current one it goes, its file withdrawn
    client.post(reverse("project_start:eia_delete", args=[row.pk]), {"version": 1})
    assert EiaApproval.objects.filter(pk=row.pk).exists()
    client.post(reverse("project_start:eia_delete", args=[row.pk]), {"version": 2})
    assert not EiaApproval.objects.filter(pk=row.pk).exists()
    assert not services.evidence.current(row, "file").exists()
    assert Event.objects.filter(action="project_start.eia.delete").latest("seq").before["id"] == row.pk


def test_a_refused_file_keeps_the_row_fields_and_adds_nothing(world, client):
    sign_in(client, world.user(Role.ENTERPRISE))
    client.get(url("detail", world.project.pk))
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("监测报告.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(url("monitoring", world.project.pk), {
        "new-report_date": "2021-03-01", "new-body": "保留的监测机构", "new-pollutants": "COD", "new-file": fake,
        "action": "save"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "保留的监测机构" in html and "请重新选择" in html
    assert re.search(r'invalid-feedback[^>]*>[^<]*(PDF|文件)', html)
    assert not world.project.monitoring_reports.exists()


def test_missing_list_then_submit_refused_until_complete_then_read_only(world, client):
    user = fresh(world.user(Role.ENTERPRISE))
    sign_in(client, user)
    client.get(url("detail", world.project.pk))
    start = ProjectStart.objects.get(pk=world.project.pk)
    services.save_basic(user, start, legal_representative="")
    page = client.get(url("submit", start.pk)).content.decode()
    assert "请填写法人" in page and "请至少添加一条产品" in page and "请至少添加一条环评批复" in page
    assert f'href="{url("detail", start.pk)}"' in page and f'href="{url("products", start.pk)}"' in page
    start.refresh_from_db()
    response = client.post(url("submit", start.pk), {"version": start.version})
    assert response.status_code == 200
    assert "未能提交" in response.content.decode() and "基本信息：请填写法人" in response.content.decode()
    start.refresh_from_db()
    assert start.status == "draft"

    fill_everything(user, start)
    services.save_basic(user, start, legal_representative="测试法人")
    start.refresh_from_db()
    page = client.get(url("submit", start.pk)).content.decode()
    assert "所有必填内容均已完成" in page
    response = client.post(url("submit", start.pk), {"version": start.version})
    assert response.status_code == 302
    start.refresh_from_db()
    assert start.status == "submitted" and start.submitted_by_id == user.pk and start.submitted_at
    event = Event.objects.filter(action="project_start.submit").latest("seq")
    assert event.before["status"] == "draft" and event.after["status"] == "submitted"

    # read-only afterwards: no forms, and posts are refused with the reason
    page = client.get(url("detail", start.pk)).content.decode()
    assert 'id="start-form"' not in page and "项目启动已提交" in page
    response = client.post(url("detail", start.pk), {"legal_representative": "提交后再改", "action": "save"},
                           follow=True)
    assert "项目启动已提交，不能再修改" in response.content.decode()
    start.refresh_from_db()
    assert start.legal_representative == "测试法人"
    product = Product.objects.get(project=world.project)
    response = client.get(reverse("project_start:products_edit", args=[product.pk]))
    assert response.status_code == 302
    client.post(reverse("project_start:products_delete", args=[product.pk]), {"version": product.version})
    assert Product.objects.filter(pk=product.pk).exists()
    # a second submission (a double click) says it was submitted already
    response = client.post(url("submit", start.pk), {"version": start.version})
    assert "无需再次提交" in response.content.decode()
    # the rows' files are frozen with it (the evidence app asks the row)
    row = EiaApproval.objects.get(project=world.project)
    assert not services.evidence.may_add(user, row)
    with pytest.raises(ValidationError, match="已提交"):
        services.evidence.attach(user, row, pdf("提交后补传.pdf"), slot="file")


def test_missing_names_an_incomplete_row_and_a_missing_file(world):
    user = fresh(world.user(Role.ENTERPRISE))
    start = services.start_for(user, world.project)
    services.add_row(user, Product, world.project, name="缺产量产品", unit="吨", design_capacity=100)
    services.add_row(user, EiaApproval, world.project, document_number="无文件批复", approved_on="2015-01-01",
                     authority="测试局")
    texts = [item.text for item in services.missing(start)]
    assert any("缺产量产品" in t and "2018年实际产量" in t for t in texts)
    assert any("无文件批复" in t and "环评批复文件" in t for t in texts)


def test_list_page_links_each_project_to_its_start(world, client):
    sign_in(client, world.user(Role.ENTERPRISE))
    html = client.get(reverse("project_start:list")).content.decode()
    assert world.project.number in html and "未开始" in html
    assert f'href="{url("detail", world.project.pk)}"' in html and ">详情<" in html
    assert f'href="{url("disclosures", world.project.pk)}"' in html
    client.get(url("detail", world.project.pk))
    assert "草稿" in client.get(reverse("project_start:list")).content.decode()
    menu = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("project_start:list")}">项目启动</a>' in menu
