"""/api/enforcement-lists/ and /api/enforcement-handovers/: read-only, scoped, officials only."""

from qingshen.core.roles import Role
from qingshen.enforcement.services import record_handover
from qingshen.enforcement.tests.helpers import (
    calendar,
    days,
    dispatched_letter,
    set_status,
)


def _arrange(world):
    calendar(world, disclosure=-1)
    dispatched_letter(world, world.e_lianchi)
    set_status(world.e_lianchi, "suspended")
    set_status(world.e_changan, "suspended")


def test_lines_with_categories(world, sign_in):
    _arrange(world)
    client = sign_in(world.user(Role.CITY))
    body = client.get(f"/api/enforcement-lists/?campaign={world.campaign.pk}").json()
    rows = {row["enterprise"]: row for row in body["results"]}
    assert set(rows) == {"涿州测试企业", "莲池测试企业"} and body["count"] == 2
    lianchi = rows["莲池测试企业"]
    assert lianchi["categories"] == ["refused", "overdue", "suspended"]
    assert lianchi["accepted"] is False and lianchi["act_by"] == days(-1).isoformat()
    assert lianchi["history"].endswith(f"/enforcement/lines/{lianchi['id']}/history/")
    only = client.get(f"/api/enforcement-lists/?campaign={world.campaign.pk}&category=refused").json()
    assert [row["enterprise"] for row in only["results"]] == ["莲池测试企业"]


def test_bad_parameters_are_named(world, sign_in):
    client = sign_in(world.user(Role.COUNTY))
    response = client.get(f"/api/enforcement-lists/?campaign={world.campaign.pk}&category=nonsense")
    assert response.status_code == 400 and "移交类别“nonsense”不存在" in response.json()["category"]
    response = client.get("/api/enforcement-lists/?campaign=999999")
    assert response.status_code == 404 and "999999" in response.json()["detail"]
    assert sign_in(world.user(Role.ENTERPRISE)).get("/api/enforcement-lists/").status_code == 403


def test_handovers(world, sign_in):
    _arrange(world)
    handover, _ = record_handover(world.user(Role.CITY), world.campaign, category="suspended",
                                  recipient="保定市测试执法支队", handed_on=days(0))
    client = sign_in(world.user(Role.PROVINCE))
    listing = client.get(f"/api/enforcement-handovers/?campaign={world.campaign.pk}").json()
    assert [row["id"] for row in listing["results"]] == [handover.pk]
    assert "lines" not in listing["results"][0]
    assert listing["results"][0]["workbook_url"].endswith(f"/enforcement/handovers/{handover.pk}/file/")
    detail = client.get(f"/api/enforcement-handovers/{handover.pk}/").json()
    assert detail["category_display"] == "因停产未开展" and [r["enterprise"] for r in detail["lines"]] == ["莲池测试企业"]
    assert client.post("/api/enforcement-handovers/", {}).status_code == 405
    assert sign_in(world.user(Role.COUNTY)).get(f"/api/enforcement-handovers/{handover.pk}/").status_code == 404
