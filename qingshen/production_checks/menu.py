from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import OFFICIAL_ROLES

ITEMS = [
    MenuEntry("业务办理", MenuItem("投产/复产核查", "production_checks:list", "production_checks.view_productioncheck",
                               roles=OFFICIAL_ROLES), 80),
]
