"""评估、验收申请 in the API: the same rules and messages as the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from qingshen.applications.tests.helpers import FORM, phases_submitted, start_submitted
from qingshen.applications.tests.test_services import evaluation_due
from qingshen.core.roles import Role


@pytest.fixture
def world(campaign_world):
    evaluation_due(campaign_world, timezone.localdate() + timedelta(days=5))
    return campaign_world


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_draft_missing_and_submit_through_the_api(world):
    enterprise = api_as(world.user(Role.ENTERPRISE))
    saved = enterprise.post("/api/applications/draft/", {"project": world.project.pk, "stage": "evaluation",
                                                         "version": 0, **FORM}, format="json")
    assert saved.status_code == 200, saved.json()
    draft = saved.json()
    assert (draft["number"], draft["status"], draft["contact_person"]) == (1, "draft", "张建国")
    missing = enterprise.get(f"/api/applications/{draft['id']}/missing/").json()
    assert "项目启动尚未提交" in missing
    refused = enterprise.post(f"/api/applications/{draft['id']}/submit/", {"version": draft["version"]}, format="json")
    assert refused.status_code == 400 and "还不能提交评估申请" in refused.json()["non_field_errors"][0]
    start_submitted(world.project)
    phases_submitted(world.project, "evaluation")
    done = enterprise.post(f"/api/applications/{draft['id']}/submit/", {"version": draft["version"]}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    assert "options" in done.json()["contents"] and "evidence" in done.json()["contents"]
    again = enterprise.post(f"/api/applications/{draft['id']}/submit/", {"version": done.json()["version"]},
                            format="json")
    assert again.status_code == 400 and "请勿重复提交" in again.json()["non_field_errors"][0]


def test_a_consultancy_saves_but_cannot_submit_and_a_county_only_reads(world):
    consultancy = api_as(world.user(Role.CONSULTANCY))
    saved = consultancy.post("/api/applications/draft/", {"project": world.project.pk, "stage": "evaluation",
                                                          "version": 0, **FORM}, format="json")
    assert saved.status_code == 200
    pk = saved.json()["id"]
    assert consultancy.post(f"/api/applications/{pk}/submit/", {"version": 1}, format="json").status_code == 403
    county = api_as(world.user(Role.COUNTY))
    assert county.get(f"/api/applications/{pk}/").status_code == 200
    assert county.post("/api/applications/draft/", {"project": world.project.pk, "stage": "evaluation",
                                                    "version": 1}, format="json").status_code == 403
    other = api_as(world.other_county_user)
    assert other.get(f"/api/applications/{pk}/").status_code == 404


def test_a_stale_draft_is_refused_in_chinese(world):
    enterprise = api_as(world.user(Role.ENTERPRISE))
    first = enterprise.post("/api/applications/draft/", {"project": world.project.pk, "stage": "evaluation",
                                                         "version": 0, "summary": "一"}, format="json").json()
    enterprise.post("/api/applications/draft/", {"project": world.project.pk, "stage": "evaluation",
                                                 "version": first["version"], "summary": "二"}, format="json")
    stale = enterprise.post("/api/applications/draft/", {"project": world.project.pk, "stage": "evaluation",
                                                         "version": first["version"], "summary": "三"}, format="json")
    assert stale.status_code == 400 and "申请表已被修改" in stale.json()["non_field_errors"][0]
