import pytest

from conftest import CampaignWorld


@pytest.fixture
def draft(db):
    """The campaign world while the province still builds its roster (its task is 草稿)."""
    return CampaignWorld("draft")


@pytest.fixture
def published(db):
    """The province has published the roster: 保定市, 石家庄市 and 定州市 each have a task 待确认."""
    return CampaignWorld("published")


@pytest.fixture
def verified(db):
    """Every county and city has submitted once and been approved."""
    return CampaignWorld("verified")
