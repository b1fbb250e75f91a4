"""GB/T 4754-2017 as loaded by the migration."""

import pytest

from qingshen.industries.models import Industry

pytestmark = pytest.mark.django_db


def test_the_whole_standard_is_loaded():
    counts = {level: Industry.objects.filter(level=level).count() for level, _ in Industry.Level.choices}
    assert counts == {"section": 20, "division": 97, "group": 473, "class": 1381}


def test_lineage_as_the_seed_screen_shows_it():
    cotton = Industry.objects.get(code="1713")
    assert [f"{i.code} | {i.name}" for i in cotton.lineage()] == ["17 | 纺织业", "171 | 棉纺织及印染精加工", "1713 | 棉印染精加工"]
    assert cotton.division_code == "17"


def test_codes_keep_leading_zeros():
    assert Industry.objects.get(code="0111").parent_id == "011"


def test_search_page(client, world):
    from qingshen.core.roles import Role

    client.force_login(world.user(Role.ENTERPRISE))
    content = client.get("/industries/", {"q": "棉印染"}).content.decode()
    assert "1713" in content and "0111" not in content
    content = client.get("/industries/", {"q": "3360"}).content.decode()
    assert "金属表面处理及热处理加工" in content


def test_api_search_serves_the_industry_picker(client, world):
    from qingshen.core.roles import Role

    client.force_login(world.user(Role.COUNTY))
    by_code = client.get("/api/industries/", {"level": "class", "search": "336"}).json()["results"]
    assert [i["code"] for i in by_code] == ["3360"]
    by_name = client.get("/api/industries/", {"level": "class", "search": "棉印染"}).json()["results"]
    assert {i["code"] for i in by_name} == {"1713"}


def test_enterprise_form_carries_only_the_chosen_industry(client, world):
    """The 1,381 classes are fetched as the user types, not rendered into every form."""
    from qingshen.core.roles import Role

    client.force_login(world.user(Role.COUNTY))
    html = client.get(f"/enterprises/{world.e_zhuozhou.pk}/edit/").content.decode()
    assert '<option value="3360" selected>3360 金属表面处理及热处理加工</option>' in html
    assert 'value="0111"' not in html and 'value="1713"' not in html
    response = client.post(f"/enterprises/{world.e_zhuozhou.pk}/edit/", {
        "name": "涿州测试企业", "region": "130681", "industry": "1713", "status": "running",
        "version": world.e_zhuozhou.version,
    })
    assert response.status_code == 302
    world.e_zhuozhou.refresh_from_db()
    assert world.e_zhuozhou.industry_id == "1713"
