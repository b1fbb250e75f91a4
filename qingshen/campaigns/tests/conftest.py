import pytest

from conftest import CampaignWorld


@pytest.fixture
def draft(db):
    """The campaign world while the province is still building its roster (草稿)."""
    return CampaignWorld("draft")


@pytest.fixture
def published(db):
    """The campaign world once the province has published the roster to the cities."""
    return CampaignWorld("published")
