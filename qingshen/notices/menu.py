from qingshen.core.menu import MenuEntry, MenuItem

ITEMS = [
    MenuEntry("任务管理", MenuItem("清审任务管理", "notices:list", "notices.view_noticetask"), 20),
]
