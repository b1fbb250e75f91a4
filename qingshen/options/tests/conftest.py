"""A CampaignWorld("accepted") built once per test module (its letters are real PDFs, so
building one takes seconds), inside a transaction rolled back at the end; each test runs in a
savepoint within it. `world.project` is 涿州测试企业's audit project (涿州市 130681)."""

import pytest

from qingshen.accounts.models import User


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker):
    from conftest import CampaignWorld, kept_for_module

    with kept_for_module(django_db_blocker):
        yield CampaignWorld("accepted")


@pytest.fixture
def world(_shared_world, db):
    return _shared_world


@pytest.fixture
def sign_in(client):
    """sign_in(user): the test client signed in as that user (reloaded from the database)."""

    def sign(user):
        client.force_login(User.objects.get(pk=user.pk))
        return client

    return sign
