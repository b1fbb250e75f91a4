"""接受清审任务 as the enterprise sees it (seed 附件2 4.1): the list, 【详情】 with every level's
requirements, the letter and the dates, and 【确认】 with 企业项目负责人 and 移动电话."""

from conftest import blank_pdf
from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.enterprises.tests.helpers import messages_of, page_text
from qingshen.files.services import store
from qingshen.notices.models import NoticeLetter
from qingshen.projects.models import AuditProject
from qingshen.projects.tests.conftest import sign_in


def task_url(world, enterprise=None):
    return f"/projects/tasks/{world.member(enterprise or world.e_zhuozhou).pk}/"


def sign_in_lianchi(client, world):
    """莲池测试企业's account, activated (its letter is generated but not dispatched)."""
    from qingshen.notices import services as notices

    notices.activate("QY1306060001", world.lianchi_code, "Lianchi-2021!ok")
    return sign_in(client, world.other_enterprise_user)


def accept(client, world, lead="张三", mobile="13800138000"):
    return client.post(task_url(world), {"project_lead": lead, "project_lead_mobile": mobile})


# --- the list --------------------------------------------------------------------------------


def test_the_enterprise_sees_its_dispatched_task_waiting(notified, client):
    sign_in(client, notified.user(Role.ENTERPRISE))
    response = client.get("/projects/tasks/")
    assert [m.enterprise.name for m in response.context["object_list"]] == ["涿州测试企业"]
    text = page_text(response)
    assert "测试批次清洁生产审核" in text and "冀环测〔2021〕1号" in text and "待接受" in text
    assert "涿州市生态环境分局" in text or notified.notice_task("130681").organization.name in text
    assert f'href="{task_url(notified)}"' in response.content.decode()


def test_the_menu_has_its_own_group_for_the_enterprise(notified, client):
    sign_in(client, notified.user(Role.ENTERPRISE))
    page = client.get("/").content.decode()
    assert "接受清审任务" in page and 'href="/projects/tasks/"' in page
    assert 'href="/projects/statistics/"' not in page


def test_a_task_whose_letter_is_not_dispatched_is_not_shown(notified, client):
    sign_in_lianchi(client, notified)
    assert list(client.get("/projects/tasks/").context["object_list"]) == []
    assert client.get(task_url(notified, notified.e_lianchi)).status_code == 404


def test_another_enterprise_cannot_open_the_task(notified, client):
    sign_in_lianchi(client, notified)
    assert client.get(task_url(notified)).status_code == 404
    assert accept(client, notified).status_code == 404
    assert not AuditProject.objects.exists()


# --- 详情 ---------------------------------------------------------------------------------------


def test_the_detail_shows_every_levels_requirements_the_letter_and_the_dates(notified, client):
    task = notified.notice_task("130681")
    task.requirements = "请于10月30日前登录系统填报。"
    task.save()
    sign_in(client, notified.user(Role.ENTERPRISE))
    response = client.get(task_url(notified))
    assert [t.level for t in response.context["tasks"]] == ["province", "city", "county"]
    text = page_text(response)
    for words in ("省级任务要求", "市级任务要求", "县级任务要求", "按附件要求开展清洁生产审核。", "请于10月30日前登录系统填报。",
                  "强制性清洁生产审核事项告知书", notified.letter.number, "下载盖章版告知书", "下载告知书原件",
                  "时间节点", "2022年2月1日", "企业项目负责人", "移动电话（可接受短信）", "确认"):
        assert words in text, words
    assert "本地提前" in text  # Baoding's earlier date, shown as such


def test_the_detail_costs_the_same_queries_with_more_files(notified, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, notified.user(Role.ENTERPRISE))
    client.get(task_url(notified))
    with CaptureQueriesContext(connection) as few:
        client.get(task_url(notified))
    for level in ("130681", "130600"):
        for n in range(3):
            notified.notice_task(level).attachments.add(store(None, f"通知{n}.pdf", blank_pdf().read(), allowed=("pdf",)))
    with CaptureQueriesContext(connection) as many:
        response = client.get(task_url(notified))
    assert page_text(response).count("通知2.pdf") == 2
    assert len(many) == len(few)


# --- 【确认】 -----------------------------------------------------------------------------------


def test_accepting_creates_the_project_and_shows_its_number(notified, client):
    sign_in(client, notified.user(Role.ENTERPRISE))
    response = accept(client, notified, mobile="138 0013 8000")
    project = AuditProject.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert project.number == "202113068100001"
    assert (project.project_lead, project.project_lead_mobile) == ("张三", "13800138000")
    page = client.get(response["Location"])
    text = page_text(page)
    assert "已接受清审任务，项目编号 202113068100001。" in messages_of(page)
    for words in ("202113068100001", "张三", "13800138000", "测试批次清洁生产审核", "QY1306810001"):
        assert words in text, words
    assert Event.objects.filter(action="project.accept", object_id=str(project.pk)).count() == 1
    # The list and the detail now say it is accepted.
    assert "已接受" in page_text(client.get("/projects/tasks/"))
    detail = client.get(task_url(notified))
    assert "accept-form" not in detail.content.decode() and "202113068100001" in page_text(detail)


def test_a_second_click_makes_no_second_project(notified, client):
    sign_in(client, notified.user(Role.ENTERPRISE))
    first = accept(client, notified)
    second = accept(client, notified, lead="王五", mobile="13900139000")
    project = AuditProject.objects.get()
    assert second.status_code == 302 and second["Location"] == first["Location"] == f"/projects/{project.pk}/"
    shown = messages_of(client.get(second["Location"]))
    assert any(m.startswith("本企业已于") and m.endswith("接受该任务（项目编号 202113068100001）。") for m in shown), shown
    assert project.project_lead == "张三"


def test_a_bad_mobile_is_refused_in_chinese_and_what_was_typed_is_kept(notified, client):
    sign_in(client, notified.user(Role.ENTERPRISE))
    for bad in ("12345", "0311-86000000", "1380013800", "abcdefghijk", "+44 7700 900123"):
        response = accept(client, notified, lead="赵六", mobile=bad)
        assert response.status_code == 200
        assert response.context["form"].errors["project_lead_mobile"] == ["请填写能接收短信的 11 位手机号码。"]
        page = response.content.decode()
        assert 'value="赵六"' in page and f'value="{bad}"' in page
    assert not AuditProject.objects.exists()


def test_the_lead_is_required(notified, client):
    sign_in(client, notified.user(Role.ENTERPRISE))
    response = accept(client, notified, lead="   ")
    assert response.context["form"].errors["project_lead"]
    assert not AuditProject.objects.exists()


def test_a_staff_account_of_the_enterprise_may_accept(notified, client):
    from conftest import make_user

    staff = make_user("QY1306810001-wang", notified.enterprise_org, department=False)
    sign_in(client, staff)
    assert accept(client, notified).status_code == 302
    assert AuditProject.objects.get().accepted_by == staff


# --- the consultancy reads, and does not accept ----------------------------------------------


def test_the_consultancy_reads_the_task_but_cannot_accept(notified, client):
    sign_in(client, notified.user(Role.CONSULTANCY))
    assert [m.enterprise.name for m in client.get("/projects/tasks/").context["object_list"]] == ["涿州测试企业"]
    response = client.get(task_url(notified))
    page = response.content.decode()
    assert response.status_code == 200 and "accept-form" not in page and "接受任务须由企业本身确认" in page
    assert accept(client, notified).status_code == 403
    assert not AuditProject.objects.exists()


def test_officials_use_their_own_pages(notified, client):
    sign_in(client, notified.user(Role.COUNTY))
    assert client.get(task_url(notified)).status_code == 403
    assert accept(client, notified).status_code == 403


# --- the letter ------------------------------------------------------------------------------


def test_the_enterprise_downloads_its_letter_and_stamped_copy(notified, client):
    sign_in(client, notified.user(Role.ENTERPRISE))
    for suffix in ("letter/", "letter/stamped/"):
        response = client.get(task_url(notified) + suffix)
        assert response.status_code == 200, suffix
        assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_letter_with_a_live_code_is_for_the_enterprise_alone(notified, client):
    NoticeLetter.objects.filter(pk=notified.letter.pk).update(activation_code_hash="x", activated_at=None)
    sign_in(client, notified.user(Role.CONSULTANCY))
    assert client.get(task_url(notified) + "letter/").status_code == 404
    assert client.get(task_url(notified) + "letter/stamped/").status_code == 404
    assert "仅企业本身可以下载" in page_text(client.get(task_url(notified)))
    sign_in(client, notified.user(Role.ENTERPRISE))
    assert client.get(task_url(notified) + "letter/").status_code == 200


def test_notice_files_of_the_levels_above_are_downloadable_and_no_others(notified, client):
    city_file = store(None, "保定市通知.pdf", blank_pdf().read(), allowed=("pdf",))
    notified.notice_task("130600").attachments.add(city_file)
    other_file = store(None, "莲池区通知.pdf", blank_pdf().read(), allowed=("pdf",))
    notified.notice_task("130606").attachments.add(other_file)
    sign_in(client, notified.user(Role.ENTERPRISE))
    assert "保定市通知.pdf" in page_text(client.get(task_url(notified)))
    assert client.get(f"{task_url(notified)}files/{city_file.pk}/").status_code == 200
    assert client.get(f"{task_url(notified)}files/{other_file.pk}/").status_code == 404


def test_the_service_refuses_before_dispatch(notified):
    import pytest
    from django.core.exceptions import ValidationError

    from qingshen.projects import services

    NoticeLetter.objects.filter(pk=notified.letter.pk).update(dispatched_at=None)
    with pytest.raises(ValidationError, match="尚未下发"):
        services.accept(notified.user(Role.ENTERPRISE), notified.member(notified.e_zhuozhou),
                        project_lead="张三", project_lead_mobile="13800138000")
