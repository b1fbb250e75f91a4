"""The read-only API: scoped like the pages, with the result, the target check and the conclusion."""

from django.urls import reverse

from qingshen.core.roles import Role
from qingshen.production_checks.tests.helpers import NOT_MET, peer_check, record


def test_list_and_detail(world, sign_in):
    mine = record(world, conclusion=NOT_MET)
    other = peer_check(world.e_lianchi, world.user(Role.CITY))
    client = sign_in(world.user(Role.COUNTY))
    rows = client.get(reverse("productioncheck-list")).json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    row = rows[0]
    assert (row["kind"], row["kind_display"], row["level"], row["target_met"]) == ("new", "新建项目", "II", False)
    assert row["conclusion_text"] == "未达到清洁生产目标水平，不满足投产前置条件"
    assert row["shortfalls"][0] == "第 2 项 虚构单位产品取水量（涉水）需 I级：≤2 m3/t"
    assert row["result"]["indices"]["I"] == "56.00" and row["values"][1]["value"] == "3.0000"
    assert client.get(reverse("productioncheck-detail", args=[other.pk])).status_code == 404
    city = sign_in(world.user(Role.CITY))
    assert {r["id"] for r in city.get(reverse("productioncheck-list")).json()["results"]} == {mine.pk, other.pk}
    assert {r["id"] for r in city.get(reverse("productioncheck-list"), {"kind": "resumption"}).json()["results"]} \
        == {other.pk}
    assert [r["id"] for r in city.get(reverse("productioncheck-list"), {"conclusion": "not_met"}).json()["results"]] \
        == [mine.pk]


def test_read_only_and_officials_only(world, sign_in):
    client = sign_in(world.user(Role.COUNTY))
    assert client.post(reverse("productioncheck-list"), {}).status_code == 405
    assert sign_in(world.user(Role.ENTERPRISE)).get(reverse("productioncheck-list")).status_code == 403
