from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import OFFICIAL_ROLES, Role

OFFICIALS_AND_ADMIN = OFFICIAL_ROLES | {Role.SYSADMIN}

ITEMS = [
    MenuEntry("接受清审任务", MenuItem("接受清审任务", "projects:tasks", "projects.view_auditproject",
                                 roles=frozenset({Role.ENTERPRISE, Role.CONSULTANCY})), 10),
    # The enterprise side's way to its project page, which leads to every part of its audit.
    MenuEntry("业务办理", MenuItem("我的清审项目", "projects:list", "projects.view_auditproject",
                               roles=frozenset({Role.ENTERPRISE, Role.CONSULTANCY})), 5),
    MenuEntry("任务管理", MenuItem("任务统计", "projects:statistics", "notices.view_noticetask",
                               roles=OFFICIALS_AND_ADMIN), 60),
    MenuEntry("任务管理", MenuItem("清审项目", "projects:list", "projects.view_auditproject",
                               roles=OFFICIALS_AND_ADMIN), 70),
]
