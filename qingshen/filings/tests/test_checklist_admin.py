"""The province (or the administrator) keeps each campaign's checklist; nobody else does."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.filings import checklist, services
from qingshen.filings.models import CampaignChecklist, ChecklistItem, ItemKind, Phase

pytestmark = pytest.mark.django_db


def own(world, code):
    return ChecklistItem.objects.get(campaign=world.campaign, code=code)


def preparation_codes(world):
    return [item.code for item in checklist.items_for(world.campaign.pk, Phase.PREPARATION)]


def test_the_province_copies_edits_adds_reorders_and_removes_on_the_pages(world, login):
    client = login(world.user(Role.PROVINCE))
    campaign = world.campaign
    page = client.get(reverse("filings:checklist", args=[campaign.pk])).content.decode()
    assert "本批次使用<strong>默认清单</strong>" in page and "建立本批次清单" in page

    client.post(reverse("filings:checklist_copy", args=[campaign.pk]))
    assert checklist.has_own(campaign.pk)
    assert ChecklistItem.objects.filter(campaign=campaign).count() == ChecklistItem.objects.filter(
        campaign__isnull=True).count()

    plan = own(world, "prep_plan")
    response = client.post(reverse("filings:item_edit", args=[plan.pk]), {
        "title": "审核工作计划及进度表", "kind": "document", "table_code": "", "guidance": "按月列出。",
        "version": plan.version})  # "required" left unticked: becomes optional
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.required, plan.guidance, plan.version) == ("审核工作计划及进度表", False, "按月列出。", 2)

    response = client.post(reverse("filings:item_add", args=[campaign.pk]), {
        "phase": "preparation", "title": "审核启动会照片", "kind": "photo", "required": "on", "guidance": ""})
    assert response.status_code == 302
    added = ChecklistItem.objects.get(campaign=campaign, title="审核启动会照片")
    assert added.code == "preparation_1" and added.required
    assert preparation_codes(world)[-1] == "preparation_1"

    client.post(reverse("filings:item_move", args=[added.pk]), {"direction": "up"})
    assert preparation_codes(world)[-2:] == ["preparation_1", "prep_training_photos"]
    client.post(reverse("filings:item_delete", args=[own(world, "prep_team").pk]))
    assert "prep_team" not in preparation_codes(world)

    actions = list(Event.objects.filter(action__startswith="checklist.").order_by("seq")
                   .values_list("action", flat=True))
    assert actions == ["checklist.copy", "checklist.item_change", "checklist.item_add", "checklist.item_move",
                       "checklist.item_remove"]
    change = Event.objects.get(action="checklist.item_change")
    assert change.before["required"] is True and change.after["required"] is False

    client.post(reverse("filings:checklist_discard", args=[campaign.pk]))
    assert not checklist.has_own(campaign.pk) and not ChecklistItem.objects.filter(campaign=campaign).exists()
    assert Event.objects.filter(action="checklist.discard").exists()


def test_a_county_may_not_change_checklists(world, login):
    province, county = world.user(Role.PROVINCE), world.user(Role.COUNTY)
    services.copy_default(province, world.campaign)
    item = own(world, "prep_plan")
    client = login(county)
    for name, args, method in (("filings:checklists", [], "get"), ("filings:checklist", [world.campaign.pk], "get"),
                               ("filings:checklist_discard", [world.campaign.pk], "post"),
                               ("filings:item_add", [world.campaign.pk], "post"),
                               ("filings:item_edit", [item.pk], "post"), ("filings:item_delete", [item.pk], "post"),
                               ("filings:item_move", [item.pk], "post")):
        response = getattr(client, method)(reverse(name, args=args), {"title": "县级改的", "kind": "document",
                                                                      "direction": "up"})
        assert response.status_code == 403, name
    assert client.post(reverse("checklistitem-list"), {"campaign": world.campaign.pk, "phase": "preparation",
                                                       "title": "县级加的", "kind": "document"}).status_code == 403
    with pytest.raises(PermissionDenied, match="只有省级生态环境部门或系统管理员"):
        services.update_item(county, item, title="县级改的", kind="document", required=False)
    item.refresh_from_db()
    assert item.title == "审核工作计划" and checklist.has_own(world.campaign.pk)


def test_the_administrator_may_keep_checklists(world, login):
    client = login(world.user(Role.SYSADMIN))
    assert client.get(reverse("filings:checklists")).status_code == 200
    client.post(reverse("filings:checklist_copy", args=[world.campaign.pk]))
    assert CampaignChecklist.objects.get(campaign=world.campaign).created_by == world.user(Role.SYSADMIN)


def test_the_default_set_is_not_edited_here(world, login):
    default = ChecklistItem.objects.get(campaign__isnull=True, code="prep_plan")
    with pytest.raises(ValidationError, match="默认清单随系统发布"):
        services.update_item(world.user(Role.PROVINCE), default, title="改默认", kind="document", required=True)
    assert login(world.user(Role.PROVINCE)).get(reverse("filings:item_edit", args=[default.pk])).status_code == 404
    with pytest.raises(ValidationError, match="请先建立本批次清单"):
        services.add_item(world.user(Role.PROVINCE), world.campaign, phase="preparation", title="甲", kind="document")


def test_bad_input_is_shown_beside_the_field_with_what_was_typed_kept(world, login):
    services.copy_default(world.user(Role.PROVINCE), world.campaign)
    client = login(world.user(Role.PROVINCE))
    response = client.post(reverse("filings:item_add", args=[world.campaign.pk]), {
        "phase": "assessment", "title": "", "kind": "table", "table_code": "", "guidance": "保留这段说明"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "类型为数据表时，请选择数据表。" in html
    assert set(response.context["form"].errors) == {"title", "table_code"}
    assert "保留这段说明" in html and 'value="assessment" selected' in html
    assert not ChecklistItem.objects.filter(campaign=world.campaign, phase="assessment",
                                            guidance="保留这段说明").exists()


def test_a_stale_item_edit_is_refused(world, login):
    province = world.user(Role.PROVINCE)
    services.copy_default(province, world.campaign)
    item = own(world, "prep_plan")
    shown = item.version
    services.update_item(province, item, title="先改的", kind=ItemKind.DOCUMENT, required=True, expected_version=shown)
    response = login(province).post(reverse("filings:item_edit", args=[item.pk]), {
        "title": "后改的", "kind": "document", "required": "on", "version": shown})
    html = response.content.decode()
    assert response.status_code == 200 and "已被他人修改" in html and "后改的" in html
    item.refresh_from_db()
    assert item.title == "先改的"


def test_checklist_items_in_the_api(world, login):
    client = login(world.user(Role.PROVINCE))
    listed = client.get(reverse("checklistitem-list"), {"campaign": world.campaign.pk, "phase": "preparation"}).json()
    assert [row["code"] for row in listed["results"]] == ["prep_team", "prep_plan", "prep_training_records",
                                                           "prep_training_photos"]
    assert all(row["campaign"] is None for row in listed["results"])
    refused = client.post(reverse("checklistitem-list"), {"campaign": world.campaign.pk, "phase": "preparation",
                                                          "title": "甲", "kind": "document"})
    assert refused.status_code == 400 and "请先建立本批次清单" in str(refused.json())
    copied = client.post(reverse("checklistitem-copy-default"), {"campaign": world.campaign.pk},
                         content_type="application/json")
    assert copied.status_code == 201 and all(row["campaign"] == world.campaign.pk for row in copied.json())
    created = client.post(reverse("checklistitem-list"), {"campaign": world.campaign.pk, "phase": "preparation",
                                                          "title": "接口增加的", "kind": "table",
                                                          "table_code": "water"}, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["table_label"] == "取水、重复利用和排水"
    item_id = created.json()["id"]
    changed = client.patch(reverse("checklistitem-detail", args=[item_id]), {"required": False, "version": 1},
                           content_type="application/json")
    assert changed.status_code == 200 and changed.json()["required"] is False
    stale = client.patch(reverse("checklistitem-detail", args=[item_id]), {"title": "乙", "version": 1},
                         content_type="application/json")
    assert stale.status_code == 400
    assert client.delete(reverse("checklistitem-detail", args=[item_id])).status_code == 204
    enterprise = login(world.user(Role.ENTERPRISE))
    assert enterprise.get(reverse("checklistitem-list"), {"campaign": world.campaign.pk}).status_code == 200
    assert enterprise.delete(reverse("checklistitem-detail", args=[own(world, "prep_plan").pk])).status_code == 403
