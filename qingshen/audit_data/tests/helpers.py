"""Made-up rows for the audit data tables (the names say they are test data), written directly:
only where they are matters to the tests that use these; the services are tested on their own."""

from datetime import date
from decimal import Decimal

from qingshen.audit_data.models import AuditFocus, Balance, BalanceLine, MaterialUse, PollutantRecord, Target, WaterUse

D = Decimal


def material(project, **extra):
    values = dict(kind="material", name="测试染料（编造）", unit="t", year=2021, amount=D("12.5"))
    return MaterialUse.objects.create(project=project, **{**values, **extra})


def water(project, year=2021, **extra):
    values = dict(surface_water=D(0), groundwater=D("8000"), tap_water=D("2000"), other_water=D(0),
                  reused_water=D("30000"), discharged_wastewater=D("7000"), product_output=D("500"),
                  product_unit="t")
    row, _ = WaterUse.objects.get_or_create(project=project, year=year, defaults={**values, **extra})
    return row


def pollutant(project, **extra):
    values = dict(year=2021, pollutant="cod", concentration=D("35"), annual_load=D("0.245"),
                  monitoring_basis="测试监测报告（编造）")
    return PollutantRecord.objects.create(project=project, **{**values, **extra})


def focus(project, **extra):
    values = dict(name="测试车间（编造）", reason="取水量占全厂 70%（编造）")
    return AuditFocus.objects.create(project=project, **{**values, **extra})


def target(project, **extra):
    values = dict(indicator="单位产品取水量（编造）", unit="m³/t", baseline_value=D("20"), near_term_value=D("18"),
                  deadline=date(2022, 12, 31))
    return Target.objects.create(project=project, **{**values, **extra})


def balance(project, kind="water", lines=(("in", "新鲜水", "100"), ("out", "废水", "96")), **extra):
    row = Balance.objects.create(project=project, kind=kind, name=f"测试车间{kind}平衡（编造）", **extra)
    for direction, item, quantity in lines:
        BalanceLine.objects.create(balance=row, direction=direction, item=item, quantity=D(quantity), unit="m³/d")
    return row


def line(project):
    return balance(project).lines.first()


FACTORIES = {"raw_materials": material, "water": water, "pollutants": pollutant, "audit_focus": focus,
             "targets": target, "material_balance": lambda p: balance(p, "material"), "water_balance": balance}
