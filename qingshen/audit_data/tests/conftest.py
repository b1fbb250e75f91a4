"""A CampaignWorld("accepted") built once per test module (its letters are real PDFs, so
building one takes seconds), inside a transaction rolled back at the end; each test runs in a
savepoint within it. `data_world.project` is 涿州测试企业's project; `data_world.lianchi_project`
is another county's (莲池区) project, for the "another enterprise → 404" checks."""

import pytest

from qingshen.accounts.models import User


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker):
    from conftest import CampaignWorld, kept_for_module
    from qingshen.projects.tests.jurisdiction import other_project

    with kept_for_module(django_db_blocker):
        world = CampaignWorld("accepted")
        world.lianchi_project = other_project(world, world.e_lianchi, "202113060600001")
        yield world


@pytest.fixture
def data_world(_shared_world, db):
    return _shared_world


@pytest.fixture
def sign_in(client):
    """sign_in(user): the test client as that user (reloaded: a test may have changed its row)."""

    def sign(user):
        client.force_login(User.objects.get(pk=user.pk))
        return client

    return sign
