from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import OFFICIAL_ROLES, Role

OFFICIALS_AND_ADMIN = OFFICIAL_ROLES | {Role.SYSADMIN}

ITEMS = [
    MenuEntry("接受清审任务", MenuItem("接受清审任务", "projects:tasks", "projects.view_auditproject",
                                 roles=frozenset({Role.ENTERPRISE, Role.CONSULTANCY})), 10),
    MenuEntry("任务管理", MenuItem("任务统计", "projects:statistics", "notices.view_noticetask",
                               roles=OFFICIALS_AND_ADMIN), 60),
    MenuEntry("任务管理", MenuItem("清审项目", "projects:list", "projects.view_auditproject",
                               roles=OFFICIALS_AND_ADMIN), 70),
]
