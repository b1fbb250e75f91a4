"""The pages with the test client: the indicator system's table, import (preview, confirm,
bad files), export, the entry form (bad input kept), the review and the project page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from qingshen.benchmarking.formats import xlsx_format, yaml_format
from qingshen.benchmarking.models import Benchmark, IndicatorSystem
from qingshen.benchmarking.tests.helpers import REQ, import_made_up, made_up_definition
from qingshen.core.roles import Role
from qingshen.filings.models import Phase, PhaseFiling


@pytest.fixture
def shipped(db):
    return IndicatorSystem.objects.get(code="electroplating-comprehensive")


def yaml_upload(definition, name="made-up.yaml"):
    return SimpleUploadedFile(name, yaml_format.dump(definition).encode(), content_type="application/yaml")


def test_system_page_reads_like_the_official_table(world, sign_in, shipped):
    page = sign_in(world.user(Role.ENTERPRISE)).get(shipped.get_absolute_url()).content.decode()
    assert "本版本状态为“不完整”" in page
    assert page.count('data-seq="') == 12
    table = page[page.index('class="table table-bordered table-sm card-table system-table"'):page.index("评价规则")]
    assert table.count("（来源未载明）") == 3  # level III of rows 1, 2 and 4
    assert "≤8" in page and "≥82" in page and "0.8/n" in page
    assert "民用产品采用无氰镀锌" in page


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_export_reads_back_to_the_same_table(world, sign_in, shipped, fmt):
    from qingshen.benchmarking import definition as spec

    response = sign_in(world.user(Role.COUNTY)).get(reverse("benchmarking:export", args=[shipped.pk, fmt]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    read = yaml_format.load(body.decode()) if fmt == "yaml" else xlsx_format.read(body)
    assert read == spec.from_json(shipped.definition)
    if fmt == "xlsx":
        assert "综合电镀" in load_workbook(io.BytesIO(body)).active["A1"].value


def test_import_previews_then_saves_and_a_second_click_saves_nothing(world, sign_in):
    client = sign_in(world.user(Role.PROVINCE))
    preview = client.post(reverse("benchmarking:import"), {"file": yaml_upload(made_up_definition())})
    page = preview.content.decode()
    assert "将导入：" in page and "第 1 版" in page and 'id="confirm-form"' in page
    assert not IndicatorSystem.objects.filter(code="made-up-test-system").exists()  # nothing before confirming
    payload = preview.context["payload"]
    done = client.post(reverse("benchmarking:import_confirm"), {"payload": payload}, follow=True)
    system = IndicatorSystem.objects.get(code="made-up-test-system")
    assert done.redirect_chain[-1][0] == system.get_absolute_url()
    again = client.post(reverse("benchmarking:import_confirm"), {"payload": payload}, follow=True)
    assert "内容完全相同，未重复导入" in again.content.decode()
    assert IndicatorSystem.objects.filter(code="made-up-test-system").count() == 1


def test_a_tampered_payload_is_refused(world, sign_in):
    response = sign_in(world.user(Role.PROVINCE)).post(reverse("benchmarking:import_confirm"),
                                                      {"payload": "x:y"}, follow=True)
    assert "导入内容无效" in response.content.decode()


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("table.xlsx", b"%PDF-1.7 not a workbook"), "xlsx"),
    (SimpleUploadedFile("table.txt", b"name: x"), "只能导入 Excel（.xlsx）或 YAML"),
    (SimpleUploadedFile("table.yaml", "format: something-else/1\n".encode()), "qingshen-indicator-system/1"),
    (SimpleUploadedFile("table.yaml", b"\xff\xfe\x00bad"), "UTF-8"),
])
def test_unreadable_files_are_refused_in_chinese(world, sign_in, upload, message):
    response = sign_in(world.user(Role.PROVINCE)).post(reverse("benchmarking:import"), {"file": upload})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and message in errors[0]


def test_errors_name_the_rows_and_no_confirmation_is_offered(world, sign_in):
    definition = made_up_definition()
    definition["groups"][0]["indicators"][1]["unit"] = ""
    response = sign_in(world.user(Role.PROVINCE)).post(reverse("benchmarking:import"),
                                                       {"file": yaml_upload(definition)})
    page = response.content.decode()
    assert 'id="import-errors"' in page and "第 2 行（虚构单位产品取水量）" in page
    assert 'id="confirm-form"' not in page


def test_try_computes_without_saving(world, sign_in, shipped):
    data = {"a5_value": "20", "a6_applicable": "on", "a6_value": "83"}
    response = sign_in(world.user(Role.ENTERPRISE)).post(reverse("benchmarking:try", args=[shipped.pk]), data)
    result = response.context["result"]
    assert result["trial"] and result["indices"]["II"] == "45.90"  # rows 1–4 unanswered score 0
    assert "试算，不作为正式等级" in response.content.decode()
    assert not Benchmark.objects.exists()


# --- a project's 对标 ----------------------------------------------------------------------------


def entry(system, **values):
    data = {"system": system.pk, "version": "0", "a1_met": REQ, "a2_value": "3", "a3_value": "85",
            "a4_applicable": "on", "a4_value": "92"}
    data.update(values)
    return data


def test_the_enterprise_records_and_bad_input_is_kept(world, sign_in):
    system = import_made_up(world)
    client = sign_in(world.user(Role.ENTERPRISE))
    url = reverse("benchmarking:edit", args=[world.project.pk, "before"])
    form = client.get(url)
    assert form.context["system"] == system  # suggested: it covers the enterprise's class 3360
    bad = client.post(url, entry(system, a3_value="八十五"))
    assert bad.status_code == 200 and "请填写数字" in bad.content.decode()
    assert 'value="3"' in bad.content.decode()  # what was typed is kept
    assert not Benchmark.objects.exists()
    saved = client.post(url, entry(system), follow=True)
    benchmark = Benchmark.objects.get(project=world.project, stage="before")
    assert benchmark.level == "II" and benchmark.values.get(seq=5).applicable is False
    page = saved.content.decode()
    assert "对标结果（企业填报）" in page and "II级（国内清洁生产先进水平）" in page


def test_without_a_system_the_peer_comparison_is_asked_for(world, sign_in):
    client = sign_in(world.user(Role.ENTERPRISE))
    url = reverse("benchmarking:edit", args=[world.project.pk, "after"])
    response = client.post(url, {"system": "", "version": "0", "peer_comparison": ""})
    assert "请填写与同行业对比的说明" in response.content.decode()
    client.post(url, {"system": "", "version": "0", "peer_comparison": "与同行业三家企业对比。"})
    assert Benchmark.objects.get(stage="after").system is None


def test_switching_the_system_shows_its_table(world, sign_in, shipped):
    import_made_up(world)
    client = sign_in(world.user(Role.ENTERPRISE))
    url = reverse("benchmarking:edit", args=[world.project.pk, "before"])
    page = client.get(f"{url}?system={shipped.pk}").content.decode()
    assert "单位产品每次清洗取水量" in page and "试算，不产生正式等级" in page


def test_before_and_after_side_by_side(world, sign_in):
    system = import_made_up(world)
    client = sign_in(world.user(Role.ENTERPRISE))
    client.post(reverse("benchmarking:edit", args=[world.project.pk, "before"]), entry(system))
    client.post(reverse("benchmarking:edit", args=[world.project.pk, "after"]), entry(system, a2_value="1.5"))
    response = client.get(reverse("benchmarking:project", args=[world.project.pk]))
    rows = {row["seq"]: row for row in response.context["comparison"]}
    assert rows[2]["change"] == "up" and rows[3]["change"] == "same"
    page = response.content.decode()
    assert 'id="comparison"' in page and "提升" in page


def test_review_confirms_with_a_reason_for_a_correction(world, sign_in):
    system = import_made_up(world)
    sign_in(world.user(Role.ENTERPRISE)).post(reverse("benchmarking:edit", args=[world.project.pk, "before"]),
                                              entry(system))
    client = sign_in(world.user(Role.CITY))
    url = reverse("benchmarking:review", args=[world.project.pk, "before"])
    benchmark = Benchmark.objects.get()
    refused = client.post(url, {"version": benchmark.version, "a1_met": REQ[:2], "review_opinion": ""})
    assert "请填写理由" in refused.content.decode()
    client.post(url, {"version": benchmark.version, "a1_met": REQ[:2], "review_opinion": "核实：甲、乙已落实。"})
    benchmark.refresh_from_db()
    assert benchmark.confirmed_level == "II" and benchmark.values.get(seq=1).confirmed_met == sorted(REQ[:2])
    page = sign_in(world.user(Role.ENTERPRISE)).get(reverse("benchmarking:project", args=[world.project.pk]))
    assert "对标结果（审核确认）" in page.content.decode()
    assert 'id="edit-before"' not in page.content.decode()


def test_the_checklist_counts_the_benchmark(world, sign_in):
    """预审核 lists 对标（审核前） as a data table, filled once the enterprise records it."""
    system = import_made_up(world)
    client = sign_in(world.user(Role.ENTERPRISE))
    filing, _ = PhaseFiling.objects.get_or_create(project=world.project, phase=Phase.PRE_ASSESSMENT)
    phase_url = reverse("filings:phase", args=[filing.pk])
    assert "对标（审核前）" in client.get(phase_url).content.decode()
    from qingshen.filings.tables import get

    assert get("benchmark_before").rows(world.project) == 0
    client.post(reverse("benchmarking:edit", args=[world.project.pk, "before"]), entry(system))
    assert get("benchmark_before").rows(world.project) == 1
    assert get("benchmark_after").rows(world.project) == 0


def test_target_page_saves_the_campaign_target(world, sign_in):
    client = sign_in(world.user(Role.PROVINCE))
    url = reverse("benchmarking:target", args=[world.campaign.pk])
    client.post(url, {"overall_level": "I", "water_level_in_park": "I", "water_level_outside": "I", "note": "从严"})
    assert world.campaign.benchmark_target.overall_level == "I"
