"""Reading an enterprise list (.xlsx or .csv) and checking it row by row.

Nothing here writes: `check_file()` returns a Preview (every row with what would happen and
its errors and warnings, in Chinese); `services.apply_import()` writes a clean one.

Columns are matched by header; the export's headers, the seed's (序号, 企业名称, 所属城市,
所属区县, 行业大类名称, 行业名称, …) and a few aliases are understood, other columns are
ignored. A row is matched to an existing enterprise by 统一社会信用代码, else by name within
its county; then blank cells leave the stored value as it is, and a matched row whose filled
cells all equal what is stored is shown as 无变化 (an exported file imports back unchanged).
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from qingshen.enterprises.choices import NATURE_CHOICES, PermitCategory, Status
from qingshen.enterprises.models import Enterprise
from qingshen.enterprises.validators import validate_uscc
from qingshen.industries.models import Industry
from qingshen.regions.models import Region

MAX_ROWS = 10000
MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("name", "企业名称"),
    Column("uscc", "统一社会信用代码"),
    Column("city", "所属城市"),
    Column("county", "所属区县"),
    Column("region_code", "区划代码", ("county_code",)),
    Column("town", "乡镇（街道）", ("乡镇", "乡镇(街道)")),
    Column("village", "村（社区）", ("村", "村(社区)")),
    Column("address", "地址"),
    Column("legal_representative", "法定代表人", ("法人",)),
    Column("industry_code", "行业代码", ("industry_class_code",)),
    Column("division_name", "行业大类名称"),
    Column("industry_name", "行业名称"),
    Column("nature", "企业性质"),
    Column("employees", "从业人数"),
    Column("working_days", "年工作日（天）", ("年工作日", "年工作日(天)")),
    Column("status", "企业状态"),
    Column("double_exceed", "是否双超"),
    Column("double_toxic", "是否双有"),
    Column("water_related", "是否涉水企业", ("是否涉水",)),
    Column("in_approved_park", "是否位于规划环评通过的工业园区", ("是否在工业园区",)),
    Column("centralized_treatment", "废水是否进入污水集中治理设施", ("是否进入污水集中治理设施",)),
    Column("permit_number", "排污许可证编号"),
    Column("permit_category", "排污许可管理类别"),
)
HEADER_TO_KEY = {name: c.key for c in COLUMNS for name in (c.header, *c.aliases)}
BOOLEAN_KEYS = ("double_exceed", "double_toxic", "water_related", "in_approved_park", "centralized_treatment")
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "有"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "无"}
STATUS_BY_LABEL = {label: value for value, label in Status.choices}
PERMIT_BY_LABEL = {label: value for value, label in PermitCategory.choices} | {
    label[:2]: value for value, label in PermitCategory.choices
}
NATURES = {value for value, _ in NATURE_CHOICES}
TEXT_KEYS = ("town", "village", "address", "legal_representative", "permit_number")


class FileRejected(Exception):
    """The file as a whole cannot be read; the message says why, in Chinese."""


@dataclass
class RowResult:
    line: int
    name: str
    values: dict = field(default_factory=dict)
    action: str = ""  # "create" / "update" / "unchanged" / "" (row has errors)
    enterprise_id: int | None = None
    region_name: str = ""
    industry_label: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Preview:
    rows: list[RowResult]
    ignored_headers: list[str]

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    @property
    def is_clean(self) -> bool:
        return bool(self.rows) and self.error_count == 0

    def count(self, action) -> int:
        return sum(1 for r in self.rows if r.action == action and not r.errors)

    @property
    def create_count(self) -> int:
        return self.count("create")

    @property
    def update_count(self) -> int:
        return self.count("update")

    @property
    def unchanged_count(self) -> int:
        return self.count("unchanged")

    @property
    def warning_count(self) -> int:
        return sum(1 for r in self.rows if r.warnings)


# --- reading ---------------------------------------------------------------------------------

def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The file's rows as lists of stripped strings (header first)."""
    if len(content) > MAX_BYTES:
        raise FileRejected("文件超过 10 MB，请拆分后分批导入。")
    lowered = filename.lower()
    if lowered.endswith(".xlsx"):
        return _read_xlsx(content)
    if lowered.endswith(".csv"):
        return _read_csv(content)
    if lowered.endswith(".xls"):
        raise FileRejected("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传。")
    raise FileRejected("只能导入 .xlsx 或 .csv 文件。")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_xlsx(content: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRejected("无法读取该文件：它不是有效的 .xlsx 文件。") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(v) for v in row])
            if len(rows) > MAX_ROWS + 1:
                raise FileRejected(f"文件超过 {MAX_ROWS} 行，请拆分后分批导入。")
        return rows
    finally:
        workbook.close()


def _read_csv(content: bytes) -> list[list[str]]:
    if b"\x00" in content[:4096]:
        raise FileRejected("无法读取该文件：它不是文本格式的 .csv 文件。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRejected("无法识别文件编码，请以 UTF-8 或 GBK 编码保存 .csv 文件。")
    dialect = csv.excel_tab if text.split("\n", 1)[0].count("\t") > text.split("\n", 1)[0].count(",") else csv.excel
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    if len(rows) > MAX_ROWS + 1:
        raise FileRejected(f"文件超过 {MAX_ROWS} 行，请拆分后分批导入。")
    return rows


# --- checking --------------------------------------------------------------------------------

def normalise_name(text: str) -> str:
    """Parenthesis width and spaces do not distinguish names (瓶(罐) = 瓶（罐）)."""
    return text.replace("(", "（").replace(")", "）").replace(" ", "").replace("\u3000", "")


class Checker:
    """Holds the lookups one file needs (three queries in all) and checks rows against them."""

    def __init__(self, user):
        self.user = user
        self.regions = list(Region.objects.select_related("parent"))
        self.regions_by_code = {r.code: r for r in self.regions}
        self.assignable = set(Region.objects.enterprise_locations(user).values_list("code", flat=True))
        self.industries = {i.code: i for i in Industry.objects.all()}
        self.classes_by_name = {}
        self.divisions_by_name = {}
        for industry in self.industries.values():
            if industry.level == Industry.Level.CLASS:
                self.classes_by_name.setdefault(normalise_name(industry.name), industry)
            elif industry.level == Industry.Level.DIVISION:
                self.divisions_by_name[normalise_name(industry.name)] = industry
        visible = Enterprise.objects.restrict(user).only("pk", "name", "region_id", "uscc")
        self.by_key, self.by_uscc = {}, {}
        for enterprise in visible:
            self.by_key[(enterprise.region_id, normalise_name(enterprise.name))] = enterprise
            if enterprise.uscc:
                self.by_uscc[enterprise.uscc] = enterprise
        self.seen_keys, self.seen_uscc, self.seen_enterprises = {}, {}, {}

    def check(self, rows: list[list[str]]) -> Preview:
        header_index = next((i for i, row in enumerate(rows) if any(row)), None)
        if header_index is None:
            raise FileRejected("文件是空的。")
        headers = rows[header_index]
        keys = [HEADER_TO_KEY.get(h.strip()) for h in headers]
        if "name" not in keys:
            raise FileRejected("找不到“企业名称”列。请使用导入模板的列名（第一行为列名）。")
        if "county" not in keys and "region_code" not in keys:
            raise FileRejected("找不到“所属区县”或“区划代码”列。")
        ignored = [h for h, k in zip(headers, keys) if h and k is None]
        results = []
        for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
            if not any(row):
                continue
            raw = {k: (row[i] if i < len(row) else "") for i, k in enumerate(keys) if k}
            results.append(self.check_row(offset, raw))
        if not results:
            raise FileRejected("文件中没有企业数据行。")
        self._check_uscc_elsewhere(results)
        self._mark_unchanged(results)
        return Preview(rows=results, ignored_headers=ignored)

    def _check_uscc_elsewhere(self, results):
        """Rows whose code is already registered outside the user's jurisdiction (one query):
        new rows, and rows that would give a matched enterprise a code it does not have yet."""
        wanted = {
            r.values["uscc"]: r for r in results
            if r.action in ("create", "update") and r.values.get("uscc") and r.values["uscc"] not in self.by_uscc
        }
        if not wanted:
            return
        for uscc in Enterprise.objects.filter(uscc__in=list(wanted)).values_list("uscc", flat=True):
            row = wanted[uscc]
            row.action = ""
            row.enterprise_id = None
            row.errors.append("该统一社会信用代码已登记在其他辖区的企业名下，请联系上级部门核实")

    def _mark_unchanged(self, results):
        """Matched rows whose every filled cell equals what is stored change nothing (one query)."""
        ids = [r.enterprise_id for r in results if r.action == "update"]
        if not ids:
            return
        stored = Enterprise.objects.in_bulk(ids)
        for row in results:
            if row.action != "update":
                continue
            enterprise = stored[row.enterprise_id]
            current = {
                key: getattr(enterprise, "region_id" if key == "region" else "industry_id" if key == "industry" else key)
                for key in row.values
            }
            if current == row.values:
                row.action = "unchanged"

    def check_row(self, line: int, raw: dict) -> RowResult:
        result = RowResult(line=line, name=raw.get("name", ""))
        values = result.values
        if not result.name:
            result.errors.append("企业名称不能为空")
        else:
            values["name"] = result.name
        region = self._region(raw, result)
        self._industry(raw, result)
        self._uscc(raw, result)
        self._choices(raw, result)
        for key in TEXT_KEYS:
            if raw.get(key):
                values[key] = raw[key]
        for key in ("name", *TEXT_KEYS):
            limit = Enterprise._meta.get_field(key).max_length
            if len(values.get(key, "")) > limit:
                label = Enterprise._meta.get_field(key).verbose_name
                result.errors.append(f"{label}超过 {limit} 个字符")
                values.pop(key)
        if region is None or not result.name or "name" not in values:
            return result
        self._match(region, result)
        return result

    def _names_around(self, region) -> set[str]:
        """The names a row may give as 所属城市 for this region: the region itself (a city-level
        unit without counties), its parent, and its statistical parent (容城县 → 雄安新区 or 保定市)."""
        names = set()
        for code in (region.code, region.parent_id, region.statistical_parent_code):
            around = self.regions_by_code.get(code) if code else None
            if around is not None and around.level != Region.Level.PROVINCE:
                names.update((around.name, around.short_name))
        return names

    def _region(self, raw, result):
        code, county, city = raw.get("region_code", ""), raw.get("county", ""), raw.get("city", "")
        if code:
            region = self.regions_by_code.get(code)
            if region is None:
                result.errors.append(f"区划代码“{code}”不存在")
                return None
            if county and county not in (region.name, region.short_name):
                result.errors.append(f"区划代码“{code}”是{region.name}，与所属区县“{county}”不一致")
                return None
            if city and city not in self._names_around(region):
                result.errors.append(f"区划代码“{code}”是{region.name}，不属于所属城市“{city}”")
                return None
        elif county or city:
            name = county or city
            candidates = [r for r in self.regions if r.level != Region.Level.PROVINCE and name in (r.name, r.short_name)]
            if not candidates:
                result.errors.append(f"找不到区县“{name}”")
                return None
            if city:
                candidates = [r for r in candidates if city in self._names_around(r)]
                if not candidates:
                    result.errors.append(f"所属城市“{city}”下没有区县“{name}”")
                    return None
            if len(candidates) > 1:
                result.errors.append(f"区县“{name}”不唯一，请填写所属城市或区划代码")
                return None
            region = candidates[0]
        else:
            result.errors.append("所属区县不能为空")
            return None
        if region.code not in self.assignable:
            if region.level == Region.Level.CITY and any(r.parent_id == region.code for r in self.regions):
                result.errors.append(f"“{region.name}”是市级区划，请填写到区县")
            else:
                result.errors.append(f"{region.name}不在您的辖区内")
            return None
        result.values["region"] = region.code
        result.region_name = region.name
        return region

    def _industry(self, raw, result):
        code, name, division_name = raw.get("industry_code", ""), raw.get("industry_name", ""), raw.get("division_name", "")
        industry = None
        if code:
            industry = self.industries.get(code) or (self.industries.get(code.zfill(4)) if code.isdigit() else None)
            if industry is None:
                result.errors.append(f"行业代码“{code}”不在 GB/T 4754-2017 中")
                return
        elif name:
            industry = self.classes_by_name.get(normalise_name(name))
            if industry is None:
                division = self.divisions_by_name.get(normalise_name(division_name)) if division_name else None
                if division is None:
                    result.errors.append(f"行业名称“{name}”在 GB/T 4754-2017 中没有对应的小类，请填写行业代码")
                    return
                industry = division
                result.warnings.append(
                    f"行业名称“{name}”在 GB/T 4754-2017 中没有对应的小类，已暂按大类“{division}”登记，请核实后补充小类"
                )
        elif division_name:
            industry = self.divisions_by_name.get(normalise_name(division_name))
            if industry is None:
                result.errors.append(f"行业大类名称“{division_name}”不在 GB/T 4754-2017 中")
                return
        if industry is None:
            return
        if code and name and industry.level == Industry.Level.CLASS and normalise_name(name) != normalise_name(industry.name):
            result.warnings.append(f"行业名称“{name}”与行业代码 {industry.code}（{industry.name}）不一致，已按行业代码登记")
        if division_name and industry.level != Industry.Level.DIVISION:
            division = self.industries.get(industry.division_code)
            if division and normalise_name(division.name) != normalise_name(division_name):
                result.warnings.append(
                    f"行业大类名称“{division_name}”与标准不一致（{industry.code} 属于“{division.name}”），已按行业代码/名称登记"
                )
        result.values["industry"] = industry.code
        result.industry_label = str(industry)

    def _uscc(self, raw, result):
        value = raw.get("uscc", "").upper().replace(" ", "")
        if not value:
            return
        try:
            validate_uscc(value)
        except Exception as exc:  # django ValidationError, message already in Chinese
            result.errors.append(f"统一社会信用代码“{value}”：{exc.messages[0]}")
            return
        if value in self.seen_uscc:
            result.errors.append(f"统一社会信用代码与第 {self.seen_uscc[value]} 行重复")
            return
        self.seen_uscc[value] = result.line
        result.values["uscc"] = value

    def _choices(self, raw, result):
        values = result.values
        if raw.get("nature"):
            if raw["nature"] in NATURES:
                values["nature"] = raw["nature"]
            else:
                result.errors.append(f"企业性质“{raw['nature']}”不在可选项中")
        for key, label, upper in (("employees", "从业人数", 10_000_000), ("working_days", "年工作日", 366)):
            if raw.get(key):
                text = raw[key].replace(",", "")
                if text.isdigit() and int(text) <= upper:
                    values[key] = int(text)
                else:
                    result.errors.append(f"{label}“{raw[key]}”应为 0–{upper} 的整数")
        if raw.get("status"):
            if raw["status"] in STATUS_BY_LABEL:
                values["status"] = STATUS_BY_LABEL[raw["status"]]
            else:
                result.errors.append(f"企业状态“{raw['status']}”应为 运行、停产 或 关闭")
        if raw.get("permit_category"):
            if raw["permit_category"] in PERMIT_BY_LABEL:
                values["permit_category"] = PERMIT_BY_LABEL[raw["permit_category"]]
            else:
                result.errors.append(f"排污许可管理类别“{raw['permit_category']}”应为 重点管理、简化管理 或 登记管理")
        for key in BOOLEAN_KEYS:
            text = raw.get(key, "").lower()
            if not text:
                continue
            if text in TRUE_WORDS:
                values[key] = True
            elif text in FALSE_WORDS:
                values[key] = False
            else:
                header = next(c.header for c in COLUMNS if c.key == key)
                result.errors.append(f"{header}“{raw[key]}”应为 是 或 否")

    def _match(self, region, result):
        key = (region.code, normalise_name(result.name))
        if key in self.seen_keys:
            result.errors.append(f"与第 {self.seen_keys[key]} 行是同一区县的同名企业")
            return
        self.seen_keys[key] = result.line
        uscc = result.values.get("uscc")
        by_uscc = self.by_uscc.get(uscc) if uscc else None
        by_name = self.by_key.get(key)
        if by_uscc is not None and by_name is not None and by_uscc.pk != by_name.pk:
            result.errors.append(
                f"统一社会信用代码属于已登记的“{by_uscc.name}”，而该区县已有另一家同名企业“{by_name.name}”，请核实"
            )
            return
        if by_uscc is None and by_name is not None and uscc and by_name.uscc:
            result.errors.append(
                f"该区县已登记同名企业“{by_name.name}”，其统一社会信用代码为 {by_name.uscc}，与本行不一致，请核实"
            )
            return
        existing = by_uscc or by_name
        if existing is None:
            result.action = "create"
            return
        if existing.pk in self.seen_enterprises:
            result.errors.append(f"与第 {self.seen_enterprises[existing.pk]} 行对应同一家已登记企业“{existing.name}”")
            return
        self.seen_enterprises[existing.pk] = result.line
        result.enterprise_id = existing.pk
        result.action = "update"


def check_file(user, filename: str, content: bytes) -> Preview:
    return Checker(user).check(read_table(filename, content))
