"""The API: the same services and rules as the pages (jurisdiction rows are in the harness)."""


from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingshen.audit_trail.models import Event
from qingshen.benchmarking.formats import yaml_format
from qingshen.benchmarking.models import Benchmark, IndicatorSystem
from qingshen.benchmarking.tests.helpers import REQ, import_made_up, made_up_definition
from qingshen.core.roles import Role

ANSWERS = [{"seq": 1, "met": REQ}, {"seq": 2, "value": "3"}, {"seq": 3, "value": "85"},
           {"seq": 4, "value": "92"}, {"seq": 5, "applicable": False}]


def test_systems_list_and_detail(world, sign_in):
    client = sign_in(world.user(Role.CONSULTANCY))
    listed = client.get(reverse("indicatorsystem-list")).json()
    shipped = next(row for row in listed["results"] if row["code"] == "electroplating-comprehensive")
    assert shipped["status"] == "incomplete" and shipped["is_official"] is False and shipped["industries"] == ["3360"]
    detail = client.get(reverse("indicatorsystem-detail", args=[shipped["id"]])).json()
    assert detail["definition"]["groups"][1]["indicators"][0]["levels"] == {"I": "8", "II": "24", "III": "40"}


def test_import_dry_run_then_import(world, sign_in):
    client = sign_in(world.user(Role.PROVINCE))
    url = reverse("indicatorsystem-import-file")
    text = yaml_format.dump(made_up_definition()).encode()
    checked = client.post(url, {"file": SimpleUploadedFile("t.yaml", text), "dry_run": "true"})
    assert checked.status_code == 200 and checked.json()["ok"] is True
    assert not IndicatorSystem.objects.filter(code="made-up-test-system").exists()
    saved = client.post(url, {"file": SimpleUploadedFile("t.yaml", text)})
    assert saved.status_code == 201 and saved.json()["version"] == 1
    again = client.post(url, {"file": SimpleUploadedFile("t.yaml", text)})
    assert again.status_code == 400 and "内容完全相同" in str(again.json())


def test_import_errors_name_rows(world, sign_in):
    definition = made_up_definition()
    definition["groups"][0]["weight"] = "约一半"
    response = sign_in(world.user(Role.PROVINCE)).post(
        reverse("indicatorsystem-import-file"),
        {"file": SimpleUploadedFile("t.yaml", yaml_format.dump(definition).encode())})
    assert response.status_code == 400 and "生产工艺及装备指标（虚构）" in str(response.json()["errors"])


def test_try_gives_the_result_and_the_target_check(world, sign_in):
    system = import_made_up(world)
    response = sign_in(world.user(Role.ENTERPRISE)).post(
        reverse("indicatorsystem-trial", args=[system.pk]), {"answers": ANSWERS}, content_type="application/json")
    body = response.json()
    assert body["result"]["level"] == "II" and body["result"]["indices"]["I"] == "56.00"
    assert body["target"]["water_level"] == "I" and not body["target"]["met"]
    assert {row["seq"] for row in body["target"]["water_shortfalls"]} == {2, 3}
    assert not Benchmark.objects.exists()


def test_record_confirm_and_send_back(world, sign_in):
    system = import_made_up(world)
    enterprise = sign_in(world.user(Role.ENTERPRISE))
    recorded = enterprise.post(reverse("benchmark-record"), {
        "project": world.project.pk, "stage": "before", "system": system.pk, "answers": ANSWERS,
        "in_approved_park": True, "centralized_treatment": True, "version": 0}, content_type="application/json")
    assert recorded.status_code == 200, recorded.json()
    body = recorded.json()
    assert body["level"] == "II" and body["target"]["met"] is True and len(body["values"]) == 5
    stale = enterprise.post(reverse("benchmark-record"), {
        "project": world.project.pk, "stage": "before", "system": system.pk, "answers": ANSWERS, "version": 0},
        content_type="application/json")
    assert stale.status_code == 400 and "已被修改" in str(stale.json())

    city = sign_in(world.user(Role.CITY))
    url = reverse("benchmark-confirm", args=[body["id"]])
    refused = city.post(url, {"confirmed_met": {"1": REQ[:1]}}, content_type="application/json")
    assert refused.status_code == 400 and "理由" in str(refused.json())
    confirmed = city.post(url, {"confirmed_met": {"1": REQ[:1]}, "opinion": "只核实了甲。"},
                          content_type="application/json").json()
    assert confirmed["confirmed_level"] == "III"  # the qualitative item falls to III: Y_II < 85
    back = city.post(reverse("benchmark-send-back", args=[body["id"]]), {"opinion": "请重新核实。"},
                     content_type="application/json").json()
    assert back["confirmed_level"] == "" and back["confirmed_at"] is None
    assert Event.objects.filter(action__startswith="benchmarking.").count() == 4  # import, record, confirm, return


def test_record_for_a_project_outside_is_not_found(world, sign_in):
    from qingshen.options.tests.helpers import project_for

    other = project_for(world, world.e_lianchi, "202113060600007")
    response = sign_in(world.user(Role.ENTERPRISE)).post(reverse("benchmark-record"), {
        "project": other.pk, "stage": "before", "system": None, "peer_comparison": "x"},
        content_type="application/json")
    assert response.status_code == 404


def test_the_county_reads_but_does_not_confirm(world, sign_in):
    system = import_made_up(world)
    sign_in(world.user(Role.ENTERPRISE)).post(reverse("benchmark-record"), {
        "project": world.project.pk, "stage": "before", "system": system.pk, "answers": ANSWERS},
        content_type="application/json")
    county = sign_in(world.user(Role.COUNTY))
    listed = county.get(reverse("benchmark-list")).json()["results"]
    assert [row["stage"] for row in listed] == ["before"]
    response = county.post(reverse("benchmark-confirm", args=[listed[0]["id"]]), {}, content_type="application/json")
    assert response.status_code == 403
