import pytest

from qingshen.filings import tables


@pytest.fixture
def world(campaign_world):
    return campaign_world


@pytest.fixture
def made_up_table(monkeypatch):
    """A data table that exists only in this test ("made_up_rows"): its row count per project
    is whatever the test puts in the returned dict."""
    rows = {}
    monkeypatch.setitem(tables.TABLES, "made_up_rows", tables.Table(
        code="made_up_rows", label="虚构测试数据表", rows=lambda project: rows.get(project.pk, 0),
        url=lambda project: f"/made-up-table/{project.pk}/"))
    return rows
