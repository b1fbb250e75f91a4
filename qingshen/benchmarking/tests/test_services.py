"""The services: importing versions, recording and confirming a project's 对标, the trail."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingshen.audit_trail.models import Event
from qingshen.benchmarking import services
from qingshen.benchmarking.models import Benchmark, IndicatorSystem
from qingshen.benchmarking.tests.helpers import (
    REQ,
    answers,
    import_made_up,
    made_up_definition,
)
from qingshen.core.roles import Role
from qingshen.options.tests.helpers import project_for

BEFORE, AFTER = Benchmark.Stage.BEFORE, Benchmark.Stage.AFTER


def events(action, obj):
    return Event.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk))


def record(world, system, stage=BEFORE, role=Role.ENTERPRISE, project=None, **changes):
    values = dict(system=system, answers=answers(), in_approved_park=False, centralized_treatment=False)
    values.update(changes)
    return services.save_benchmark(world.user(role), project or world.project, stage, **values)


# --- indicator systems ----------------------------------------------------------------------


def test_shipped_table_is_loaded_incomplete_by_the_migration(db):
    system = IndicatorSystem.objects.get(code="electroplating-comprehensive")
    assert system.status == IndicatorSystem.Status.INCOMPLETE and not system.is_official
    assert [i.code for i in system.industries.all()] == ["3360"]
    assert len([i for g in system.definition["groups"] for i in g["indicators"]]) == 12


def test_import_creates_versions_and_refuses_the_same_content_twice(world):
    first = import_made_up(world)
    assert (first.version, first.status, first.is_official) == (1, "verified", True)
    assert events("benchmarking.system_imported", first).get().after["version"] == 1
    with pytest.raises(ValidationError, match="与已有的第 1 版内容完全相同"):
        import_made_up(world)
    second = import_made_up(world, name="虚构测试指标体系（仅用于测试，修订）")
    assert second.version == 2 and IndicatorSystem.objects.filter(code=first.code).count() == 2


def test_import_names_the_rows_in_error(world):
    definition = made_up_definition()
    definition["groups"][0]["indicators"][1]["unit"] = ""
    definition["groups"][1]["indicators"][0]["levels"] = {"I": Decimal("70"), "II": Decimal("80"), "III": Decimal("90")}
    with pytest.raises(ValidationError) as caught:
        services.import_system(world.user(Role.PROVINCE), definition)
    text = "\n".join(caught.value.messages)
    assert "第 2 行（虚构单位产品取水量）" in text and "第 3 行（虚构水重复利用率）" in text
    assert not IndicatorSystem.objects.filter(code="made-up-test-system").exists()


def test_import_refuses_unknown_industry_classes(world):
    with pytest.raises(ValidationError, match="9999"):
        import_made_up(world, industries=["9999"])


@pytest.mark.parametrize("role", [Role.CITY, Role.COUNTY, Role.ENTERPRISE, Role.CONSULTANCY, Role.EXPERT])
def test_only_the_province_and_administrators_import(world, role):
    with pytest.raises(PermissionDenied):
        services.import_system(world.user(role), made_up_definition())


def test_sysadmin_imports(world):
    assert services.import_system(world.user(Role.SYSADMIN), made_up_definition()).version == 1


def test_verified_status_needs_a_complete_table(world):
    shipped = IndicatorSystem.objects.get(code="electroplating-comprehensive")
    with pytest.raises(ValidationError) as caught:
        services.set_status(world.user(Role.PROVINCE), shipped, "verified")
    assert "不能标为“已核对”" in caught.value.messages[0]
    assert any("权重" in message for message in caught.value.messages)
    shipped.refresh_from_db()
    assert shipped.status == "incomplete"


def test_a_version_in_use_is_frozen_and_its_results_stay(world):
    """A new version never changes results already recorded."""
    v1 = import_made_up(world)
    benchmark = record(world, v1)
    kept = benchmark.result
    assert kept["level"] == "II"
    with pytest.raises(ValidationError, match="已用于企业对标"):
        services.set_status(world.user(Role.PROVINCE), v1, "draft")
    definition = made_up_definition()
    definition["groups"][0]["indicators"][1]["levels"]["II"] = Decimal("2.5")  # a corrected value
    v2 = services.import_system(world.user(Role.PROVINCE), definition)
    benchmark.refresh_from_db()
    assert benchmark.system == v1 and benchmark.result == kept
    assert record(world, v2, stage=AFTER).result["level"] == "III"  # 3 m3/t is now only level III


# --- recording ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.CONSULTANCY])
def test_enterprise_side_records_and_the_result_is_kept(world, role):
    system = import_made_up(world)
    benchmark = record(world, system, role=role)
    assert (benchmark.level, benchmark.trial) == ("II", False)
    # Y_I = 0.4 × (0.5 × 100) + 0.6 × (0.6 × 100): the qualitative item and metal A (the only
    # metal plated, so the whole shared 0.6) meet I; water use and reuse only II.
    assert benchmark.result["indices"] == {"I": "56.00", "II": "100.00", "III": "100.00"}
    assert (benchmark.province_code, benchmark.county_code) == ("130000", "130681")
    assert sorted(benchmark.values.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    event = events("benchmarking.recorded", benchmark).get()
    assert event.actor == world.user(role)
    assert event.after["indicator_system"] == {"id": system.pk, "code": "made-up-test-system", "version": 1,
                                               "status": "verified"}
    assert event.after["level"] == "II" and event.before is None


@pytest.mark.parametrize("role", [Role.PROVINCE, Role.CITY, Role.COUNTY, Role.EXPERT, Role.SYSADMIN,
                                  Role.PERMIT_AUTHORITY])
def test_others_do_not_record(world, role):
    with pytest.raises(PermissionDenied):
        record(world, import_made_up(world), role=role)


def test_an_enterprise_cannot_record_for_another(world):
    other = project_for(world, world.e_lianchi, "202113060600009")
    with pytest.raises(PermissionDenied):
        record(world, import_made_up(world), project=other)


def test_stale_page_is_refused_and_nothing_changes(world):
    system = import_made_up(world)
    first = record(world, system, version=0)
    record(world, system, version=first.version, answers=answers(water=Decimal("1.5"), reuse=Decimal("95")))
    with pytest.raises(ValidationError, match="已被修改"):
        record(world, system, version=first.version, answers=answers(water=Decimal("9")))
    assert Benchmark.objects.get(pk=first.pk).level == "I"


def test_a_second_click_on_a_new_entry_is_refused(world):
    system = import_made_up(world)
    record(world, system, version=0)
    with pytest.raises(ValidationError, match="已被修改"):
        record(world, system, version=0)
    assert Benchmark.objects.filter(project=world.project, stage=BEFORE).count() == 1


def test_answer_errors_name_the_indicator(world):
    bad = answers()
    bad[2] = {"applicable": False, "value": None, "met": []}
    with pytest.raises(ValidationError, match="虚构单位产品取水量"):
        record(world, import_made_up(world), answers=bad)


def test_without_a_system_the_peer_comparison_is_required(world):
    with pytest.raises(ValidationError) as caught:
        record(world, None, peer_comparison="  ")
    assert "同行业对比" in caught.value.message_dict["peer_comparison"][0]
    benchmark = record(world, None, peer_comparison="对比省内三家同类企业，吨产品取水量处于中上水平。")
    assert benchmark.result is None and benchmark.level == "" and benchmark.values.count() == 0


def test_incomplete_system_gives_a_trial(world):
    shipped = IndicatorSystem.objects.get(code="electroplating-comprehensive")
    values = {5: {"applicable": True, "value": Decimal("20"), "met": []},
              6: {"applicable": True, "value": Decimal("83"), "met": []},
              **{seq: {"applicable": False} for seq in range(7, 13)}}
    benchmark = record(world, shipped, answers=values)
    assert benchmark.trial and benchmark.result["trial"]
    assert benchmark.result["unanswered"] == [1, 2, 3, 4]


# --- targets --------------------------------------------------------------------------------


@pytest.mark.parametrize("in_park, centralized, water, met", [
    (True, True, Decimal("3"), True),     # in a park: water at II is enough
    (False, True, Decimal("3"), False),   # outside: water must reach I
    (True, False, Decimal("3"), False),   # wastewater not to centralised treatment: I
    (False, False, Decimal("1.5"), False),  # water at I, but reuse 85 % is only II (also water)
])
def test_target_check_applies_the_water_rule(world, in_park, centralized, water, met):
    benchmark = record(world, import_made_up(world), answers=answers(water=water),
                       in_approved_park=in_park, centralized_treatment=centralized)
    check = services.target_check(benchmark)
    assert check["overall_met"] is True
    assert check["met"] is met
    assert check["water_level"] == ("II" if in_park and centralized else "I")


def test_campaign_target_is_the_seeds_until_changed(world):
    assert services.target_of(world.campaign) == {"overall_level": "II", "water_level_in_park": "II",
                                                  "water_level_outside": "I"}
    services.save_target(world.user(Role.PROVINCE), world.campaign, {"overall_level": "I", "note": "测试"})
    assert services.target_of(world.campaign)["overall_level"] == "I"
    assert Event.objects.filter(action="benchmarking.target_saved").count() == 1
    with pytest.raises(PermissionDenied):
        services.save_target(world.user(Role.CITY), world.campaign, {"overall_level": "III"})


# --- confirmation ---------------------------------------------------------------------------


def test_reviewer_confirms_and_a_correction_needs_a_reason(world):
    benchmark = record(world, import_made_up(world), answers=answers(water=Decimal("1.5"), reuse=Decimal("95")))
    assert benchmark.level == "I"
    city = world.user(Role.CITY)
    with pytest.raises(ValidationError, match="请填写理由"):
        services.confirm_benchmark(city, benchmark, confirmed_met={1: REQ[:2]})
    confirmed = services.confirm_benchmark(city, benchmark, confirmed_met={1: REQ[:2]},
                                           opinion="现场未见虚构要求丙的落实记录。", version=benchmark.version)
    assert confirmed.confirmed_level == "II" and confirmed.level == "I"  # the entry is kept as entered
    assert confirmed.values.get(seq=1).confirmed_met == sorted(REQ[:2])
    event = events("benchmarking.confirmed", confirmed).get()
    assert event.before["confirmed_level"] == "" and event.after["confirmed_level"] == "II"
    assert event.after["indicator_system"]["version"] == 1
    with pytest.raises(ValidationError, match="已经审核确认"):
        record(world, benchmark.system)


def test_return_reopens_the_entry(world):
    benchmark = record(world, import_made_up(world))
    confirmed = services.confirm_benchmark(world.user(Role.PROVINCE), benchmark)
    with pytest.raises(ValidationError, match="退回理由"):
        services.return_benchmark(world.user(Role.PROVINCE), confirmed, opinion="")
    returned = services.return_benchmark(world.user(Role.PROVINCE), confirmed, opinion="请补充取水计量记录。")
    assert not returned.is_confirmed and returned.confirmed_level == ""
    assert record(world, benchmark.system, version=returned.version).level == "II"


def test_an_incomplete_system_cannot_be_confirmed(world):
    shipped = IndicatorSystem.objects.get(code="electroplating-comprehensive")
    benchmark = record(world, shipped, answers={5: {"applicable": True, "value": Decimal("5"), "met": []},
                                                **{s: {"applicable": False} for s in range(6, 13)}})
    with pytest.raises(ValidationError, match="只能试算"):
        services.confirm_benchmark(world.user(Role.CITY), benchmark)


def test_peer_judgement_is_recorded_with_reasons(world):
    benchmark = record(world, None, peer_comparison="与两家同行业企业对比。")
    with pytest.raises(ValidationError):
        services.confirm_benchmark(world.user(Role.CITY), benchmark, opinion="理由")
    with pytest.raises(ValidationError):
        services.confirm_benchmark(world.user(Role.CITY), benchmark, peer_reached=True)
    done = services.confirm_benchmark(world.user(Role.CITY), benchmark, peer_reached=True,
                                      opinion="单位产品取水量低于对比企业。")
    assert done.confirmed_level == Benchmark.Level.PEER_ADVANCED


@pytest.mark.parametrize("role", [Role.COUNTY, Role.ENTERPRISE, Role.CONSULTANCY, Role.EXPERT])
def test_others_do_not_confirm(world, role):
    benchmark = record(world, import_made_up(world))
    with pytest.raises(PermissionDenied):
        services.confirm_benchmark(world.user(role), benchmark)


def test_a_city_cannot_confirm_outside_its_jurisdiction(world):
    other = project_for(world, world.e_changan, "202113010200009")
    system = import_made_up(world)
    benchmark = Benchmark.objects.create(project=other, stage=BEFORE, system=system, recorded_at=world.project.accepted_at)
    with pytest.raises(PermissionDenied):
        services.confirm_benchmark(world.user(Role.CITY), benchmark)


def test_an_application_freezes_the_benchmarking_with_its_confirmed_level(world):
    """The acceptance stage's frozen contents carry the confirmed level (the opinion's source)."""
    from qingshen.applications import contents

    benchmark = record(world, import_made_up(world), stage=AFTER)
    services.confirm_benchmark(world.user(Role.CITY), benchmark)
    frozen = contents.freeze(world.project)
    assert [row["seq"] for row in frozen["benchmarking"]["benchmarkvalue"]] == [1, 2, 3, 4, 5]
    [row] = contents.benchmarks_of(frozen)
    assert row == {"stage": "实施后（方案的实施）", "system": "虚构测试指标体系（仅用于测试）", "level": "II级",
                   "confirmed_level": "II级", "indices": {"I": "56.00", "II": "100.00", "III": "100.00"}}
