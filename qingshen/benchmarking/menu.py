from qingshen.core.menu import MenuEntry, MenuItem
from qingshen.core.roles import OFFICIAL_ROLES, Role

ITEMS = [
    MenuEntry("业务办理", MenuItem("对标", "benchmarking:index", "benchmarking.view_benchmark",
                               roles=frozenset({Role.ENTERPRISE, Role.CONSULTANCY})), 35),
    MenuEntry("业务办理", MenuItem("对标情况", "benchmarking:index", "benchmarking.view_benchmark",
                               roles=OFFICIAL_ROLES), 45),
    MenuEntry("统计分析", MenuItem("对标统计", "benchmarking:statistics", "benchmarking.view_benchmark",
                               roles=OFFICIAL_ROLES), 45),
    MenuEntry("系统管理", MenuItem("清洁生产评价指标体系", "benchmarking:systems", "benchmarking.view_indicatorsystem"), 70),
]
