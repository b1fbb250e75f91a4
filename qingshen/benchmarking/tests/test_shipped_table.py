"""The one real table we ship (综合电镀, 表1 rows 1–12): transcribed faithfully, nothing invented.

The CSV is parsed here again with the csv module alone and compared row by row with what
`read_source_csv()` makes of it."""

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest

from qingshen.benchmarking.definition import COMMON_LEVEL_RULES, LEVELS
from qingshen.benchmarking.formats import xlsx_format, yaml_format
from qingshen.benchmarking.formats.source_csv import SHIPPED_TABLE, read_source_csv
from qingshen.benchmarking.formats.validation import validate
from qingshen.benchmarking.tests.test_formats import _exactly

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "electroplating_comprehensive_PARTIAL.csv"
MARKS = re.compile("[①②③④⑤⑥⑦⑧⑨⑩]")


@pytest.fixture(scope="module")
def definition():
    return read_source_csv(CSV_PATH)


@pytest.fixture(scope="module")
def csv_rows():
    lines = CSV_PATH.read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader(lines[1:]))


def _by_seq(definition):
    return {i["seq"]: (group, i) for group in definition["groups"] for i in group["indicators"]}


def test_the_file_is_the_provenance_line_and_twelve_rows(csv_rows):
    first = CSV_PATH.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# Source: https://www.shea.cn/index.php?s=news&c=show&id=155 — page headed "
                            "\"表1 综合电镀清洁生产评价指标项目、权重及基准值\"")
    assert "PARTIAL: only rows 1-12 were visible" in first
    assert [row["seq"] for row in csv_rows] == [str(n) for n in range(1, 13)]
    assert SHIPPED_TABLE == CSV_PATH


def test_every_row_is_transcribed_exactly(definition, csv_rows):
    indicators = _by_seq(definition)
    assert sorted(indicators) == list(range(1, 13))
    for row in csv_rows:
        group, indicator = indicators[int(row["seq"])]
        assert group["name"] == row["first_level_indicator"]
        assert group["weight"] == Decimal(row["first_level_weight"])
        assert indicator["name"] == MARKS.sub("", row["second_level_indicator"])
        assert indicator["unit"] == row["unit"]
        weight, _, share = row["second_level_weight"].partition("/")
        assert (indicator["weight"], indicator["share"], indicator["optional"]) == (Decimal(weight), share, bool(share))
        assert indicator["restrictive"] is (row["is_limiting"] == "yes")
        comparator = row["level_I_benchmark"][:1]
        kind = {"≤": "lower_better", "≥": "higher_better"}.get(comparator, "qualitative")
        assert indicator["kind"] == kind
        for level in LEVELS:
            text = row[f"level_{level}_benchmark"]
            if not text:
                expected = None
            elif kind == "qualitative":
                pieces = re.split(r"(?:^|\s)\d+\.", text)
                expected = [MARKS.sub("", piece).strip() for piece in pieces if piece.strip()]
            else:
                assert text[0] == comparator
                expected = Decimal(text[1:])
            assert indicator["levels"][level] == expected, (row["seq"], level)


def test_the_values_as_read(definition):
    """A few values spelled out, so a wrong reading of the CSV cannot hide behind the test above."""
    indicators = _by_seq(definition)
    assert indicators[5][1]["levels"] == {"I": Decimal("8"), "II": Decimal("24"), "III": Decimal("40")}
    assert indicators[9][1]["levels"] == {"I": Decimal("60"), "II": Decimal("24"), "III": Decimal("20")}
    assert indicators[1][1]["levels"]["I"] == [
        "民用产品采用低铬或三价铬钝化", "民用产品采用无氰镀锌", "使用金属回收工艺", "电子元件采用无铅镀层替代铅锡合金"]
    assert indicators[3][1]["levels"]["III"] == ["电镀生产线采用节能措施"]
    assert [indicators[seq][1]["levels"]["III"] for seq in (1, 2, 4)] == [None, None, None]
    assert indicators[5][1]["unit"] == "L/m2"
    assert indicators[12][1]["name"] == "银利用率(含氰镀银)"


def test_footnote_marks_move_to_footnotes(definition):
    footnotes = {seq: indicator["footnotes"] for seq, (_, indicator) in _by_seq(definition).items()}
    assert footnotes == {
        1: "①；要求文字中：⑨（脚注原文未收录）", 2: "", 3: "要求文字中：②⑦（脚注原文未收录）", 4: "",
        5: "③（脚注原文未收录）", **{seq: "④（脚注原文未收录）" for seq in range(6, 13)}}


def test_flags(definition):
    indicators = _by_seq(definition)
    assert [seq for seq, (_, i) in indicators.items() if i["restrictive"]] == [5]
    assert [seq for seq, (_, i) in indicators.items() if i["water"]] == [5]
    assert [seq for seq, (_, i) in indicators.items() if i["optional"]] == list(range(6, 13))


def test_metadata(definition):
    assert {key: definition[key] for key in ("code", "name", "issuers", "document_number", "year", "industries",
                                             "status")} == {
        "code": "electroplating-comprehensive", "name": "综合电镀清洁生产评价指标（表1，前12项）", "issuers": "",
        "document_number": "", "year": None, "industries": ["3360"], "status": "incomplete"}
    source = definition["source"]
    assert source["file"] == "https://www.shea.cn/index.php?s=news&c=show&id=155"
    assert source["page"] == "表1 综合电镀清洁生产评价指标项目、权重及基准值"
    for said in ("第 1–12 行", "第 13 行及以后", "并非“无要求”", "脚注原文在摘录中不可见", "未经核实",
                 "清审所作的归类", "3360", "涉水指标"):
        assert said in source["note"]
    assert definition["level_rules"] == COMMON_LEVEL_RULES
    assert definition["level_rules"] is not COMMON_LEVEL_RULES


def test_it_validates_with_the_gaps_as_warnings(definition):
    report = validate(definition)
    assert report.errors == []
    assert report.warnings == [
        "一级指标「资源综合利用指标」的二级指标权重合计 0.8，不等于 1（指标体系不完整）。",
        "一级指标权重合计 0.61，不等于 1（指标体系不完整）。",
        "第 1 行（采用清洁生产工艺）：缺少 III级基准值（指标体系不完整）。",
        "第 2 行（清洁生产过程控制）：缺少 III级基准值（指标体系不完整）。",
        "第 4 行（有节水设施）：缺少 III级基准值（指标体系不完整）。",
    ]


def test_round_trips_are_exact(definition):
    assert _exactly(yaml_format.load(yaml_format.dump(definition))) == _exactly(definition)
    assert _exactly(xlsx_format.read(xlsx_format.write(definition))) == _exactly(definition)
