"""One CampaignWorld("accepted") per test module, built once inside a transaction rolled back
at the end; each test runs in a savepoint within it (as tests/test_jurisdiction.py does).
Building the world through the real services takes seconds; these tests only need its project."""

import pytest


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    from conftest import CampaignWorld, kept_for_module

    with kept_for_module(django_db_blocker):
        yield CampaignWorld("accepted")


@pytest.fixture
def world(shared_world, db):
    for user in (*shared_world.users.values(), shared_world.other_enterprise_user, shared_world.other_county_user):
        user.__dict__.pop("_jurisdiction_cache", None)
    return shared_world
