from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import Role

#: Departments, permit authorities and the administrator; an enterprise reads its campaign
#: from 接受清审任务.
READERS = frozenset({Role.PROVINCE, Role.CITY, Role.COUNTY, Role.PERMIT_AUTHORITY, Role.SYSADMIN})

ITEMS = [
    MenuEntry("任务管理", MenuItem("清审批次", "campaigns:list", "campaigns.view_campaign", roles=READERS), 10),
    MenuEntry("任务管理", MenuItem("时间节点", "campaigns:current_calendar", "campaigns.view_campaign",
                               roles=READERS), 15),
]
