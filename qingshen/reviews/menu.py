from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import OFFICIAL_ROLES, Role

ITEMS = [
    MenuEntry("业务办理", MenuItem("评估、验收审核待办", "reviews:worklist", "reviews.view_review",
                               roles=OFFICIAL_ROLES | {Role.EXPERT}), 5),
    MenuEntry("业务办理", MenuItem("评估、验收审核", "reviews:list", "reviews.view_review"), 50),
    MenuEntry("统计分析", MenuItem("审核结果移交清单", "reviews:handover", "reviews.view_handover",
                               roles=OFFICIAL_ROLES | {Role.PERMIT_AUTHORITY}), 50),
]
