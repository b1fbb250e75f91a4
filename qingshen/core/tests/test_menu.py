"""The left menu follows the role: each role sees the entries it may use, and no others."""

import re

import pytest

from qingshen.core.roles import Role

pytestmark = pytest.mark.django_db


def menu_labels(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return {item.label for _, entries in response.context["menu"] for item, _, _ in entries}


def test_county_menu(world, client):
    labels = menu_labels(client, world.user(Role.COUNTY))
    assert {"企业名录", "导入企业", "账号管理", "审计日志", "行政区划", "行业分类", "使用帮助"} <= labels
    assert "登录锁定" not in labels and "单位管理" in labels


def test_enterprise_menu(world, client):
    labels = menu_labels(client, world.user(Role.ENTERPRISE))
    assert "本企业信息" in labels and "账号管理" in labels
    assert not {"企业名录", "导入企业", "审计日志", "登录锁定", "单位管理"} & labels


def test_expert_menu_has_no_registry(world, client):
    labels = menu_labels(client, world.user(Role.EXPERT))
    assert not {"企业名录", "导入企业", "账号管理", "审计日志"} & labels
    assert "使用帮助" in labels


def test_sysadmin_menu(world, client):
    labels = menu_labels(client, world.user(Role.SYSADMIN))
    assert {"登录锁定", "账号管理", "单位管理", "审计日志"} <= labels
    assert "导入企业" not in labels


def test_breadcrumbs_follow_the_seed_style(world, client):
    client.force_login(world.user(Role.COUNTY))
    response = client.get(f"/enterprises/{world.e_zhuozhou.pk}/edit/")
    assert [label for label, _ in response.context["breadcrumbs"]] == ["任务管理", "企业名录", "涿州测试企业", "修改"]
    assert "任务管理 " in response.content.decode() or "任务管理<" in response.content.decode()


def test_groups_keep_the_seed_order(world, client):
    client.force_login(world.user(Role.COUNTY))
    groups = [group.label for group, _ in client.get("/").context["menu"]]
    seed_order = ["任务管理", "业务办理", "接受清审任务", "项目启动", "统计分析", "系统管理", "帮助"]
    assert groups == [g for g in seed_order if g in groups]
    assert groups[0] == "任务管理" and groups[-1] == "帮助"


def test_fields_with_errors_are_marked_and_keep_what_was_typed(world, client):
    client.force_login(world.user(Role.COUNTY))
    response = client.post("/enterprises/add/", {"name": "半填企业", "working_days": "400", "status": "running"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="working_days" value="400"' in html and 'value="半填企业"' in html
    working_days = re.search(r'<input[^>]*name="working_days"[^>]*>', html).group(0)
    assert "is-invalid" in working_days
    name = re.search(r'<input[^>]*name="name"[^>]*>', html).group(0)
    assert "is-invalid" not in name
