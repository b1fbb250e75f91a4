"""A MADE-UP indicator system for the tests: its names say so and its numbers are invented; it
is not any industry's table. `made_up_definition()` gives it as a definition dict (status
verified, so it yields official levels), `import_made_up()` saves it through the service."""

from decimal import Decimal

from qingshen.benchmarking import definition as spec
from qingshen.benchmarking import services
from qingshen.core.roles import Role

D = Decimal
REQ = ["虚构要求甲", "虚构要求乙", "虚构要求丙"]


def made_up_definition(status="verified", **changes) -> dict:
    definition = {
        "code": "made-up-test-system", "name": "虚构测试指标体系（仅用于测试）", "issuers": "（虚构）",
        "document_number": "虚构〔2026〕1号", "year": 2026, "industries": ["3360"], "status": status,
        "source": {"file": "made-up-for-tests", "page": "表1（虚构）", "note": "测试用虚构数据"},
        "level_rules": [dict(rule) for rule in spec.COMMON_LEVEL_RULES],
        "groups": [
            {"name": "生产工艺及装备指标（虚构）", "weight": D("0.4"), "indicators": [
                {"seq": 1, "name": "虚构工艺要求", "unit": "", "kind": spec.QUALITATIVE, "weight": D("0.5"),
                 "share": "", "levels": {"I": list(REQ), "II": REQ[:2], "III": REQ[:1]},
                 "restrictive": False, "water": False, "optional": False, "footnotes": ""},
                {"seq": 2, "name": "虚构单位产品取水量", "unit": "m3/t", "kind": spec.LOWER_BETTER, "weight": D("0.5"),
                 "share": "", "levels": {"I": D("2"), "II": D("4"), "III": D("6")},
                 "restrictive": True, "water": True, "optional": False, "footnotes": ""},
            ]},
            {"name": "资源综合利用指标（虚构）", "weight": D("0.6"), "indicators": [
                {"seq": 3, "name": "虚构水重复利用率", "unit": "%", "kind": spec.HIGHER_BETTER, "weight": D("0.4"),
                 "share": "", "levels": {"I": D("90"), "II": D("80"), "III": D("70")},
                 "restrictive": False, "water": True, "optional": False, "footnotes": ""},
                {"seq": 4, "name": "虚构金属甲利用率", "unit": "%", "kind": spec.HIGHER_BETTER, "weight": D("0.6"),
                 "share": "n", "levels": {"I": D("90"), "II": D("80"), "III": D("70")},
                 "restrictive": False, "water": False, "optional": True, "footnotes": ""},
                {"seq": 5, "name": "虚构金属乙利用率", "unit": "%", "kind": spec.HIGHER_BETTER, "weight": D("0.6"),
                 "share": "n", "levels": {"I": D("95"), "II": D("85"), "III": D("75")},
                 "restrictive": False, "water": False, "optional": True, "footnotes": ""},
            ]},
        ],
    }
    definition.update(changes)
    return definition


def import_made_up(world, **changes):
    return services.import_system(world.user(Role.PROVINCE), made_up_definition(**changes))


def answers(qualitative=REQ, water=D("3"), reuse=D("85"), metal_a=D("92"), metal_b=None) -> dict:
    """Answers to the made-up system; by default level II overall (water use 3 m3/t is II)."""
    return {
        1: {"applicable": True, "value": None, "met": list(qualitative)},
        2: {"applicable": True, "value": water, "met": []},
        3: {"applicable": True, "value": reuse, "met": []},
        4: {"applicable": metal_a is not None, "value": metal_a, "met": []},
        5: {"applicable": metal_b is not None, "value": metal_b, "met": []},
    }
