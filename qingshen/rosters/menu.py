from qingshen.core.menu import MenuEntry, MenuItem

ITEMS = [
    MenuEntry("任务管理", MenuItem("名单核定任务", "rosters:list", "rosters.view_rostertask"), 10),
]
