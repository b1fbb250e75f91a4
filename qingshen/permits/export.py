"""The .xlsx files of the permit pages (a few hundred rows at most: made at once, like the
handover list)."""

from qingshen.core import xlsx

LINE_HEADER = ["序号", "企业名称", "统一社会信用代码", "所在区县", "排污许可管理类别", "变更情况", "变更日期",
               "排污许可证编号", "截止日期", "完成情况"]


def line_cells(index, line) -> list:
    """A line of the list (`lines.Line`) or of a report's frozen snapshot (a dict)."""
    data = line if isinstance(line, dict) else line.snapshot()
    return [index, data["enterprise"], data["uscc"], data["region"], data["category"],
            "已变更" if data["changed"] else "未变更", data["changed_on"], data["permit_number"], data["due"],
            data["state"]]


def response(title: str, sheet_title: str, header, rows, notes=()):
    content = xlsx.single(sheet_title, title, xlsx.made_at(), header, rows, notes=notes)
    return xlsx.response(content, f"{title.strip()}.xlsx")
