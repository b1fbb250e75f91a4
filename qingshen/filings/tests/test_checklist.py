"""The default checklist (data file → migration) and which set applies to a project."""

import pytest

from qingshen.core.roles import Role
from qingshen.filings import checklist, services, tables
from qingshen.filings.models import PHASE_STAGE, ChecklistItem, ItemKind, Phase, PhaseFiling, Stage

pytestmark = pytest.mark.django_db


def test_phases_in_the_seeds_order_and_stages():
    assert [p.label for p in Phase] == ["审核准备", "预审核", "审核", "方案产生和筛选", "评估报告", "方案的确定",
                                        "方案的实施", "持续清洁生产", "验收报告"]
    assert [p for p in Phase if PHASE_STAGE[p] == Stage.ACCEPTANCE] == [
        Phase.IMPLEMENTATION, Phase.CONTINUOUS_IMPROVEMENT, Phase.ACCEPTANCE_REPORT]


def test_default_checklist_is_loaded_and_covers_every_phase():
    defaults = list(ChecklistItem.objects.filter(campaign__isnull=True))
    assert len(defaults) == len(checklist.read_file())
    for phase in Phase:
        required = [item for item in defaults if item.phase == phase and item.required]
        assert required, f"{phase.label} 没有必填项"
    by_code = {item.code: item for item in defaults}
    assert by_code["prep_team"].title == "审核领导小组和工作小组成立文件"
    assert by_code["prep_training_photos"].kind == ItemKind.PHOTO
    assert by_code["assess_material_balance"].table_code == "material_balance"
    used = {item.table_code for item in defaults if item.kind == ItemKind.TABLE}
    assert used == set(tables.DEFAULT_LABELS)
    assert all(item.guidance for item in defaults)


def test_a_bad_data_file_is_refused_with_its_line(tmp_path):
    bad = tmp_path / "made_up_checklist.csv"
    bad.write_text("phase,order,code,title,kind,required,table_code,guidance\n"
                   "preparation,10,a,甲,document,1,,说明\n"
                   "made_up_phase,20,b,乙,table,1,,说明\n", encoding="utf-8")
    with pytest.raises(checklist.ChecklistFileError, match="第 3 行.*未知阶段.*table_code"):
        checklist.read_file(bad)


def test_reloading_the_file_updates_the_default_and_leaves_campaign_sets(world, tmp_path):
    services.copy_default(world.user(Role.PROVINCE), world.campaign)
    lines = (checklist.DEFAULT_FILE.read_text(encoding="utf-8").splitlines())
    kept = [line.replace("审核工作计划,", "审核工作计划（修订）,") for line in lines if not line.startswith("acceptance_report")]
    changed = tmp_path / "made_up_revision.csv"
    changed.write_text("\n".join(kept) + "\n", encoding="utf-8")
    checklist.load_default(path=changed)
    defaults = ChecklistItem.objects.filter(campaign__isnull=True)
    assert defaults.get(code="prep_plan").title == "审核工作计划（修订）"
    assert not defaults.filter(code="acc_report").exists()
    own = ChecklistItem.objects.filter(campaign=world.campaign)
    assert own.get(code="prep_plan").title == "审核工作计划"
    assert own.filter(code="acc_report").exists()


def test_the_campaigns_own_set_applies_once_it_has_one_even_when_emptied(world):
    campaign = world.campaign
    assert [i.code for i in checklist.items_for(campaign.pk, Phase.EVALUATION_REPORT)] == ["eval_report"]
    assert all(i.campaign_id is None for i in checklist.items_for(campaign.pk))
    province = world.user(Role.PROVINCE)
    services.copy_default(province, campaign)
    own = checklist.items_for(campaign.pk)
    assert own and all(i.campaign_id == campaign.pk for i in own)
    services.remove_item(province, ChecklistItem.objects.get(campaign=campaign, code="eval_report"))
    assert checklist.items_for(campaign.pk, Phase.EVALUATION_REPORT) == []


def test_every_project_gets_its_nine_filings_when_accepted(world):
    filings = PhaseFiling.objects.filter(project=world.project)
    assert sorted(f.phase for f in filings) == sorted(Phase.values)
    assert all(f.status == PhaseFiling.Status.NOT_STARTED for f in filings)
    assert {f.county_code for f in filings} == {"130681"}
    assert services.ensure_filings(world.project)[0].phase == Phase.PREPARATION  # idempotent
    assert filings.count() == 9


def test_evidence_slots_are_the_phases_file_items(world):
    filing = PhaseFiling.objects.get(project=world.project, phase=Phase.PRE_ASSESSMENT)
    slots = filing.evidence_slots
    assert slots["pre_survey"] == "企业现状调研（生产、工艺、设备）"
    assert slots["pre_quick_wins"] == "无低费方案的实施（边审边改）"
    assert "pre_raw_materials" not in slots  # a data table, not a file
