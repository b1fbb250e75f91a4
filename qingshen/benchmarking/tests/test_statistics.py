"""对标统计 counts each stage's level (confirmed where confirmed; trials apart) per region, and
the pages and API lists cost the same number of queries with 2 projects as with 4."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qingshen.benchmarking import statistics
from qingshen.benchmarking.models import Benchmark
from qingshen.benchmarking.tests.helpers import import_made_up
from qingshen.core.roles import Role
from qingshen.options.tests.helpers import project_for

ENTERPRISES = ["e_zhuozhou", "e_lianchi", "e_changan", "e_dingzhou"]  # the campaign's four


def benchmark(project, stage, level="", *, trial=False, confirmed="", system=None):
    """A recorded benchmark written directly (its level is what is counted here)."""
    return Benchmark.objects.create(project=project, stage=stage, system=system, level=level, trial=trial,
                                    recorded_at=timezone.now(), confirmed_level=confirmed,
                                    confirmed_at=timezone.now() if confirmed else None)


def projects(world, count):
    """Projects of the campaign's enterprises in 涿州, 莲池, 长安 and 定州 (world.project first)."""
    made = [world.project]
    for n in range(1, count):
        made.append(project_for(world, getattr(world, ENTERPRISES[n]), f"2021130000{n:05d}"))
    return made


def test_counts_per_region_and_stage(world):
    system = import_made_up(world)
    zhuozhou, lianchi, changan = projects(world, 3)
    benchmark(zhuozhou, "before", "III", system=system)
    benchmark(zhuozhou, "after", "I", confirmed="II", system=system)  # counted at the confirmed level
    benchmark(lianchi, "before", "II", trial=True, system=system)      # a trial is not a level
    benchmark(changan, "before", confirmed=Benchmark.Level.PEER_ADVANCED)
    level, rows, total = statistics.table(world.user(Role.PROVINCE), world.campaign)
    assert level == "city"
    by_city = {row.region_name: row for row in rows}
    assert by_city["保定市"].counts[("before", "III")] == 1 and by_city["保定市"].counts[("before", "trial")] == 1
    assert by_city["保定市"].counts[("after", "II")] == 1 and by_city["保定市"].counts[("after", "I")] == 0
    assert by_city["石家庄市"].counts[("before", "peer_advanced")] == 1
    assert total.counts[("before", "recorded")] == 3 and total.counts[("after", "recorded")] == 1
    county_level, county_rows, _ = statistics.table(world.user(Role.COUNTY), world.campaign)
    assert county_level == "county" and [row.region_code for row in county_rows] == ["130681"]


def test_the_list_behind_a_figure(world, sign_in):
    system = import_made_up(world)
    zhuozhou, lianchi, _ = projects(world, 3)
    benchmark(zhuozhou, "after", "II", system=system)
    benchmark(lianchi, "after", "II", system=system)
    client = sign_in(world.user(Role.CITY))
    url = reverse("benchmarking:statistics_list", args=[world.campaign.pk])
    listed = client.get(url, {"stage": "after", "level": "II"}).context["object_list"]
    assert {b.project for b in listed} == {zhuozhou, lianchi}
    only = client.get(url, {"stage": "after", "level": "II", "region": "130681"}).context["object_list"]
    assert [b.project for b in only] == [zhuozhou]
    assert client.get(url, {"stage": "after", "level": "II", "region": "130100"}).status_code == 404
    page = client.get(reverse("benchmarking:statistics")).content.decode()
    assert '?stage=after&level=II&region=130681' in page.replace("&amp;", "&")


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


@pytest.mark.parametrize("role, name", [
    (Role.PROVINCE, "benchmarking:statistics"),
    (Role.CITY, "benchmarking:index"),
    (Role.CITY, "benchmark-list"),
    (Role.PROVINCE, "indicatorsystem-list"),
])
def test_constant_queries(world, sign_in, role, name):
    system = import_made_up(world)
    made = projects(world, 4)
    client = sign_in(world.user(role))
    url = reverse(name)

    def grow(chosen):
        for project in chosen:
            benchmark(project, "before", "II", system=system)
            benchmark(project, "after", "I", system=system)

    grow(made[:2])
    client.get(url)  # warm caches (content types, sessions)
    few = queries(client, url)
    grow(made[2:])
    import_made_up(world, name="虚构测试指标体系（仅用于测试，第二版）")
    assert queries(client, url) == few


def test_the_project_page_is_constant_too(world, sign_in):
    system = import_made_up(world)
    client = sign_in(world.user(Role.ENTERPRISE))
    url = reverse("benchmarking:project", args=[world.project.pk])
    client.get(url)
    empty = queries(client, url)
    benchmark(world.project, "before", "II", system=system)
    benchmark(world.project, "after", "I", system=system)
    assert queries(client, url) <= empty + 4  # the two stages' systems and campaigns, whatever the indicators
