"""A CampaignWorld("notified") built once per test module (letters are real PDFs, so building
one takes seconds), inside a transaction rolled back at the end; each test runs in a savepoint
within it. Tests sign in with `sign_in`, which reloads the user, since a test may have changed
the shared Python objects' rows (a password) and the rollback only restores the database.

Besides the world: `notified.lianchi_code`, a live activation code for 莲池测试企业's account
(QY1306060001), from a letter its county generated but has not dispatched.
"""

import pytest

from qingshen.accounts.models import User


@pytest.fixture(scope="module")
def _shared_notified(django_db_setup, django_db_blocker):
    from conftest import CampaignWorld, kept_for_module
    from qingshen.notices import services as notices

    with kept_for_module(django_db_blocker):
        world = CampaignWorld("notified")
        world.lianchi_letter, _, world.lianchi_code = notices.prepare_letter(
            world.other_county_user, world.notice_task("130606"), world.member(world.e_lianchi))
        yield world


@pytest.fixture
def notified(_shared_notified, db):
    return _shared_notified


def sign_in(client, user):
    client.force_login(User.objects.get(pk=user.pk))
    return client


@pytest.fixture
def accepted(notified):
    """The world after 涿州测试企业 accepted (inside this test's savepoint)."""
    notified._accepted()
    yield notified
    del notified.project
