"""The pages' cost stays constant whatever the number of projects or files; the overview's
cells, filters and menus."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingshen.core.menu import menu_for
from qingshen.core.roles import Role
from qingshen.evidence import services as evidence
from qingshen.filings.models import Phase, PhaseFiling
from qingshen.filings.tests.helpers import fill_preparation, filing, jpeg, made_up_project

pytestmark = pytest.mark.django_db


def queries(client, url):
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


def grow_projects(world, start, count):
    for n in range(start, start + count):
        project = made_up_project(world, n)
        PhaseFiling.objects.filter(project=project, phase=Phase.PREPARATION).update(status="submitted")
        PhaseFiling.objects.filter(project=project, phase=Phase.ASSESSMENT).update(status="in_progress")


@pytest.mark.parametrize("url", [reverse("filings:progress"), reverse("phasefiling-list")])
def test_the_overview_and_the_api_list_cost_the_same_for_2_and_12_projects(world, login, url):
    client = login(world.user(Role.COUNTY))
    grow_projects(world, 0, 1)  # with world.project: 2
    few = queries(client, url)
    grow_projects(world, 1, 10)  # 12
    many = queries(client, url)
    assert few == many, f"{url}: {few} queries for 2 projects, {many} for 12"


def test_the_phase_and_project_pages_cost_the_same_for_2_and_12_files(world, login):
    enterprise = world.user(Role.ENTERPRISE)
    row = filing(world.project)
    client = login(enterprise)
    for n in range(2):
        evidence.attach(enterprise, row, jpeg(f"培训照片{n}.jpg", shade=n * 10), slot="prep_training_photos")
    few = [queries(client, reverse("filings:phase", args=[row.pk])),
           queries(client, reverse("filings:project", args=[world.project.pk]))]
    for n in range(2, 12):
        evidence.attach(enterprise, row, jpeg(f"培训照片{n}.jpg", shade=n * 10), slot="prep_training_photos")
    many = [queries(client, reverse("filings:phase", args=[row.pk])),
            queries(client, reverse("filings:project", args=[world.project.pk]))]
    assert few == many


def test_the_overview_shows_each_phase_and_filters_by_county_and_campaign(world, login):
    fill_preparation(world.user(Role.ENTERPRISE), filing(world.project))
    lianchi = made_up_project(world, 1, "130606")
    PhaseFiling.objects.filter(project=lianchi, phase=Phase.FEASIBILITY).update(status="submitted")
    client = login(world.user(Role.CITY))
    html = client.get(reverse("filings:progress")).content.decode()
    zhuozhou_row = html.split(f'data-project="{world.project.pk}"')[1].split("</tr>")[0]
    assert 'data-phase="preparation"><span class="badge bg-yellow-lt phase-status" data-status="in_progress">填报中' \
        in zhuozhou_row
    lianchi_row = html.split(f'data-project="{lianchi.pk}"')[1].split("</tr>")[0]
    assert 'data-status="submitted">已提交' in lianchi_row.split('data-phase="feasibility"')[1]
    assert "1 / 9" in lianchi_row
    only_lianchi = client.get(reverse("filings:progress"), {"region": "130606"}).content.decode()
    assert f'data-project="{lianchi.pk}"' in only_lianchi and f'data-project="{world.project.pk}"' not in only_lianchi
    by_campaign = client.get(reverse("filings:progress"), {"campaign": world.campaign.pk}).content.decode()
    assert f'data-project="{lianchi.pk}"' in by_campaign and f'data-project="{world.project.pk}"' in by_campaign
    county = login(world.user(Role.COUNTY)).get(reverse("filings:progress")).content.decode()
    assert f'data-project="{lianchi.pk}"' not in county  # another county's project


def test_the_menus(world):
    def labels(role):
        return [item.label for _, entries in menu_for(world.user(role), "/") for item, _, _ in entries]

    assert "工作过程痕迹" in labels(Role.ENTERPRISE) and "痕迹填报进度" not in labels(Role.ENTERPRISE)
    assert "工作过程痕迹" in labels(Role.CONSULTANCY)
    assert "痕迹填报进度" in labels(Role.COUNTY) and "痕迹清单" not in labels(Role.COUNTY)
    assert "痕迹清单" in labels(Role.PROVINCE) and "痕迹清单" in labels(Role.SYSADMIN)
    assert "痕迹填报进度" not in labels(Role.SYSADMIN)
