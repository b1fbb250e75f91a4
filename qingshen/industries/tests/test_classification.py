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
