from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import OFFICIAL_ROLES, Role

ITEMS = [
    MenuEntry("业务办理", MenuItem("评估、验收申请", "applications:list", "applications.view_application",
                               roles=OFFICIAL_ROLES | {Role.ENTERPRISE, Role.CONSULTANCY}), 50),
]
