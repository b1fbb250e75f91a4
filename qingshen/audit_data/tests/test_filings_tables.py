"""The tables are registered with the filings checklist: each counts the project's rows (a
balance only once it has a line) and points to its page."""

from qingshen.audit_data.tests import helpers
from qingshen.core.roles import Role
from qingshen.filings import tables

LABELS = {"raw_materials": "原辅材料和能源消耗", "water": "取水、重复利用和排水", "pollutants": "废水污染物",
          "audit_focus": "审核重点", "targets": "清洁生产目标", "material_balance": "物料平衡", "water_balance": "水平衡"}


def test_every_table_is_registered_with_its_label():
    for code, label in LABELS.items():
        table = tables.get(code)
        assert table is not None and table.label == label, code


def test_rows_and_pages(data_world, sign_in):
    project = data_world.project
    assert {code: tables.get(code).rows(project) for code in LABELS} == dict.fromkeys(LABELS, 0)
    helpers.material(project), helpers.material(project, kind="energy", name="电", unit="kWh")
    helpers.water(project), helpers.pollutant(project), helpers.focus(project), helpers.target(project)
    helpers.balance(project, "material", lines=())  # a balance without lines is not filled yet
    helpers.balance(project, "water"), helpers.balance(project, "water")
    helpers.material(data_world.lianchi_project)  # another project's rows do not count
    assert {code: tables.get(code).rows(project) for code in LABELS} == {
        "raw_materials": 2, "water": 1, "pollutants": 1, "audit_focus": 1, "targets": 1, "material_balance": 0,
        "water_balance": 2}
    helpers.balance(project, "material")
    assert tables.get("material_balance").rows(project) == 1
    client = sign_in(data_world.user(Role.ENTERPRISE))
    for code, label in LABELS.items():
        page = tables.get(code).url(project)
        assert page.startswith(f"/audit-data/{project.pk}/")
        response = client.get(page)
        assert response.status_code == 200 and response.context["spec"].label == label
