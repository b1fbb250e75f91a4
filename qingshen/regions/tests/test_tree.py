"""The region tree as Hebei administers it, loaded from data files by the migration."""

import pytest

from qingshen.regions.loader import read_tree
from qingshen.regions.models import Region

pytestmark = pytest.mark.django_db


def test_counts_follow_the_nbs_file_plus_xiongan():
    assert Region.objects.count() == 203  # 202 NBS rows + 雄安新区
    assert Region.objects.filter(level="province").count() == 1
    assert Region.objects.filter(level="city").count() == 11 + 3  # + 雄安新区, 定州市, 辛集市


def test_xiongan_is_a_city_level_unit_over_three_counties():
    xiongan = Region.objects.get(code="133100")
    assert (xiongan.level, xiongan.parent_id, xiongan.is_official_code) == ("city", "130000", False)
    assert set(xiongan.children.values_list("name", flat=True)) == {"容城县", "安新县", "雄县"}
    rongcheng = Region.objects.get(code="130629")
    assert rongcheng.statistical_parent_code == "130600"  # kept for reference
    assert rongcheng.display_path == "河北省 河北雄安新区 容城县"
    assert (rongcheng.city_code, rongcheng.county_code) == ("133100", "130629")


@pytest.mark.parametrize("code,name", [("130682", "定州市"), ("130181", "辛集市")])
def test_province_administered_cities_act_at_city_level(code, name):
    region = Region.objects.get(code=code)
    assert (region.name, region.level, region.parent_id) == (name, "city", "130000")
    assert (region.city_code, region.county_code) == (code, "")
    assert not region.children.exists()


@pytest.mark.parametrize("code,short", [("130671", "保定高新区"), ("130672", "保定白沟新城")])
def test_functional_zones_are_county_level_units(code, short):
    region = Region.objects.get(code=code)
    assert (region.level, region.kind, region.short_name, region.parent_id) == ("county", "功能区", short, "130600")


def test_baoding_keeps_its_other_counties():
    names = set(Region.objects.filter(parent_id="130600").values_list("name", flat=True))
    assert {"涿州市", "莲池区", "竞秀区", "高碑店市", "保定高新技术产业开发区"} <= names
    assert not {"容城县", "定州市"} & names


def test_every_scope_code_points_to_a_region_of_that_level():
    levels = dict(Region.objects.values_list("code", "level"))
    for region in Region.objects.all():
        assert levels[region.province_code] == "province"
        if region.city_code:
            assert levels[region.city_code] == "city"
        if region.county_code:
            assert region.county_code == region.code and region.level == "county"


def test_loader_is_idempotent():
    from django.core.management import call_command

    before = list(Region.objects.order_by("code").values())
    call_command("load_regions", verbosity=0)
    assert list(Region.objects.order_by("code").values()) == before


def test_loader_refuses_a_dangling_parent(tmp_path):
    divisions = tmp_path / "divisions.csv"
    divisions.write_text("code,name,short_name,level,parent_code,kind\n130000,河北省,河北,province,,省\n", encoding="utf-8")
    adjustments = tmp_path / "adjustments.csv"
    adjustments.write_text(
        "code,name,short_name,level,parent_code,kind,official_code,note\n999901,测试区,测试,county,999900,县,no,虚构\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="999900"):
        read_tree(divisions, adjustments)


def test_region_page_lists_the_tree(client, world):
    from qingshen.core.roles import Role

    client.force_login(world.user(Role.COUNTY))
    content = client.get("/regions/").content.decode()
    assert "河北雄安新区" in content and "暂用代码" in content and "省直管" in content
