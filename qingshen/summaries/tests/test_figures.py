"""The figures of a summary, from hand-built data (helpers.arrange): two enterprises of 保定市
with options, one evaluation passed (涿州), one failed (莲池); every figure exactly as expected,
bounded by the author's region, and the evaluation summary limited to the evaluation stage."""

from decimal import Decimal

from qingshen.options.models import Option
from qingshen.options.tests.helpers import make_option
from qingshen.regions.models import Region
from qingshen.reviews.models import Review
from qingshen.summaries import figures, tables
from qingshen.summaries.tests.helpers import arrange, reviewed


def region(code):
    return Region.objects.get(code=code)


def test_the_city_figures_exactly(world):
    arrange(world)
    data = figures.compute(world.campaign, region("130600"), "work")
    assert data["total"]["stages"] == {
        "roster": 2, "notified": 1, "accepted": 2, "evaluation_applied": 2, "evaluation_passed": 1,
        "evaluation_failed": 1, "evaluation_rectify": 0, "acceptance_applied": 0, "acceptance_passed": 0,
        "acceptance_failed": 0}
    options = data["total"]["options"]
    assert options["all"]["low"] == {"count": 1, "investment": "2.50", "economic_benefit": "3.00",
                                     "water_saved": "100.00", "cod_reduced": "0.500", "nh3n_reduced": "0.050",
                                     "energy_saved": "1.00"}
    assert options["all"]["high"]["count"] == 2 and options["all"]["high"]["investment"] == "200.00"
    assert options["all"]["total"]["investment"] == "202.50"  # the option given up (9.00) is not added
    implemented = options["implemented"]["total"]
    assert implemented == {"count": 2, "investment": "82.50", "economic_benefit": "23.00", "water_saved": "2100.00",
                           "cod_reduced": "1.750", "nh3n_reduced": "0.150", "energy_saved": "31.00"}
    assert data["row_label"] == "区县"
    assert [(row["code"], row["stages"]["evaluation_passed"], row["stages"]["evaluation_failed"])
            for row in data["rows"]] == [("130606", 0, 1), ("130681", 1, 0)]
    assert {line["name"]: line["stage"] for line in data["enterprises"]} == {
        "涿州测试企业": "评估通过", "莲池测试企业": "评估不通过"}


def test_a_county_sees_only_its_county(world):
    arrange(world)
    data = figures.compute(world.campaign, region("130681"), "work")
    assert data["total"]["stages"]["roster"] == 1 and data["total"]["stages"]["evaluation_failed"] == 0
    assert data["total"]["options"]["all"]["total"]["investment"] == "122.50"
    assert data["rows"] == [] and [line["name"] for line in data["enterprises"]] == ["涿州测试企业"]
    line = data["enterprises"][0]
    assert (line["low"], line["high"], line["implemented"], line["investment"], line["water_saved"]) == (
        1, 1, 1, "122.50", "100.00")  # benefits of what was implemented


def test_the_province_has_a_row_per_city(world):
    arrange(world)
    data = figures.compute(world.campaign, region("130000"), "work")
    assert data["row_label"] == "地市" and data["total"]["stages"]["roster"] == 4
    assert {row["code"]: row["stages"]["roster"] for row in data["rows"]} == {"130100": 1, "130600": 2, "130682": 1}


def test_rectify_counts_until_passed(world):
    lianchi = arrange(world)
    reviewed(lianchi, "acceptance", Review.Status.RECTIFY)  # another stage: not an evaluation 整改
    from qingshen.options.tests.helpers import project_for
    project = project_for(world, world.e_changan, "202113010200001")
    reviewed(project, "evaluation", Review.Status.RECTIFY)
    province = region("130000")
    assert figures.compute(world.campaign, province, "work")["total"]["stages"]["evaluation_rectify"] == 1
    reviewed(project, "evaluation", Review.Status.PASSED)
    stages = figures.compute(world.campaign, province, "work")["total"]["stages"]
    assert (stages["evaluation_rectify"], stages["evaluation_passed"]) == (0, 2)


def test_the_evaluation_summary_stops_at_evaluation(world):
    arrange(world)
    data = figures.compute(world.campaign, region("130600"), "evaluation")
    assert not any(key.startswith("acceptance") for key in data["total"]["stages"])
    assert set(data["total"]["options"]) == {"all"} and "benchmarks" not in data["total"]
    header, rows = tables.benefits(data)
    assert tables.basis_label(data) == "已制定方案（预期）"
    assert rows[0][-1] == Decimal("63.00")  # expected economic benefit of every option planned


def test_tables_read_the_same_figures(world):
    arrange(world)
    make_option(world.project, "F3", status=Option.Status.IMPLEMENTED, investment=Decimal("1.00"))
    data = figures.compute(world.campaign, region("130600"), "work")
    header, rows = tables.regions(data)
    assert header[0] == "区县" and [row[0] for row in rows] == ["莲池区", "涿州市", "合计"]
    assert rows[-1][header.index("投资（万元）")] == Decimal("203.50")
    header, rows = tables.options(data)
    assert rows[0] == ["无低费方案", 2, Decimal("3.50"), 2, Decimal("3.50")]
