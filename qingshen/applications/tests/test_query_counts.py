"""The applications pages and API list cost the same number of queries for 2 or 12 versions."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qingshen.applications.models import Application
from qingshen.core.roles import Role


def versions(world, count):
    have = Application.objects.filter(project=world.project, stage="evaluation").count()
    for number in range(have + 1, count + 1):
        Application.objects.create(project=world.project, stage="evaluation", number=number, status="submitted",
                                   submitted_at=timezone.now(), submitted_by=world.user(Role.ENTERPRISE),
                                   contents={"evidence": [{"id": n, "name": f"材料{n}.pdf", "version": 1,
                                                           "sha256": "0" * 64} for n in range(number)]})


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_pages_and_api_do_not_grow_with_versions(campaign_world, client, login):
    world = campaign_world
    login(world.user(Role.ENTERPRISE))
    paths = [f"/applications/project/{world.project.pk}/evaluation/", "/api/applications/", "/applications/"]
    versions(world, 2)
    latest = Application.objects.filter(project=world.project).order_by("-number").first()
    small = [queries(client, path) for path in [*paths, f"/applications/{latest.pk}/"]]
    versions(world, 12)
    latest = Application.objects.filter(project=world.project).order_by("-number").first()
    large = [queries(client, path) for path in [*paths, f"/applications/{latest.pk}/"]]
    assert small == large
