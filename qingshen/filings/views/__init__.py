"""工作过程痕迹 pages (`filings.py`) and the checklist administration (`checklists.py`)."""
