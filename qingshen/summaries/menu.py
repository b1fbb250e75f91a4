from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import OFFICIAL_ROLES

ITEMS = [
    MenuEntry("统计分析", MenuItem("工作总结", "summaries:index", "summaries.view_summaryreport", roles=OFFICIAL_ROLES), 60),
    MenuEntry("统计分析", MenuItem("工作总结报送情况", "summaries:received", "summaries.return_summaryreport",
                               roles=OFFICIAL_ROLES), 61),
]
