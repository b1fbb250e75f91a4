"""Reading an expert list (.xlsx, the template's columns) and checking it row by row.

Nothing here writes: `Checker(user).check(rows)` returns a Preview (every row with what would
happen and its errors, each naming the row and the column, in Chinese);
`services.apply_import()` checks again and writes a clean list.

A row is matched to an existing expert by 姓名 and 工作单位 within its 专家库; a matched row's
blank cells leave the stored value as it is, and a matched row whose filled cells all equal
what is stored is shown as 无变化. Rows whose 姓名 starts with 示例 (the template's example) are
skipped. The file is read by the enterprise import's reader; the lookups (regions, divisions,
consultancies, enterprises, experts) are loaded once per file, whatever its length.
"""

import re
from dataclasses import dataclass, field

from qingshen.enterprises import importing as enterprise_importing
from qingshen.enterprises.importing import (
    Column,
    FileRejected,
    normalise_name,
    read_table,
)
from qingshen.enterprises.models import Enterprise
from qingshen.experts import services
from qingshen.experts.models import Expert, Field
from qingshen.industries.models import Industry
from qingshen.organizations.models import Organization
from qingshen.regions.models import Region

COLUMNS = (
    Column("name", "姓名"),
    Column("employer", "工作单位"),
    Column("title", "职称"),
    Column("pool", "专家库", ("所属专家库",)),
    Column("home_region", "所在地区"),
    Column("fields", "专业领域"),
    Column("industries", "熟悉行业"),
    Column("phone", "联系电话"),
    Column("email", "电子邮箱"),
    Column("conflict_consultancies", "曾服务的咨询机构"),
    Column("conflict_enterprises", "曾服务或指导的企业"),
    Column("note", "备注"),
)
#: What each column takes, as the upload page shows it.
GUIDE = {
    "name": "必填",
    "employer": "必填；本单位即为回避单位",
    "title": "如 正高级工程师",
    "pool": "必填；河北省（省级专家库），或设区市名称（如 保定市）",
    "home_region": "必填；县（市、区）或设区市的名称或区划代码；同名区县前加市名，如 石家庄市桥西区",
    "fields": "清洁生产、节能、环保、行业工艺，可填多项",
    "industries": "GB/T 4754-2017 大类代码（两位）或大类名称，可填多项",
    "phone": "手机号码或带区号的固定电话",
    "email": "",
    "conflict_consultancies": "须为系统中已登记的咨询服务机构名称，可填多项",
    "conflict_enterprises": "企业名称或统一社会信用代码，须为您辖区内已登记的企业，可填多项",
    "note": "",
}
HEADER_TO_KEY = {name: c.key for c in COLUMNS for name in (c.header, *c.aliases)}
HEADERS = {c.key: c.header for c in COLUMNS}
REQUIRED = ("name", "employer", "pool", "home_region")
TEXT_KEYS = ("title", "phone", "email", "note")
EXAMPLE_MARK = "示例"
SEPARATORS = re.compile(r"[、，,;；\n]+")
INDUSTRY_TOKEN = re.compile(r"^(\d{1,4})\s*(.*)$")
FIELD_BY_WORD = {label: code for code, label in Field.choices} | {code: code for code in Field.values}


@dataclass
class RowResult:
    line: int
    name: str = ""
    employer: str = ""
    pool_label: str = ""
    action: str = ""  # "create" / "update" / "unchanged" / "" (the row has errors)
    expert_id: int | None = None
    data: dict = field(default_factory=dict)  # what the service is given
    errors: list[str] = field(default_factory=list)

    def error(self, key, message):
        self.errors.append(f"第 {self.line} 行（{HEADERS.get(key, key)}）：{message}")


@dataclass
class Preview(enterprise_importing.Preview):
    """The enterprise import's preview (its counts by action), with the example rows skipped."""

    skipped_lines: list[int] = field(default_factory=list)
    applied: bool = False


def read_xlsx(filename: str, content: bytes) -> list[list[str]]:
    """The workbook's first sheet as rows of strings. Only .xlsx: the template is one."""
    lowered = filename.lower()
    if lowered.endswith(".xls"):
        raise FileRejected("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传。")
    if not lowered.endswith(".xlsx"):
        raise FileRejected("只能导入 Excel 文件（.xlsx），请下载导入模板填写后上传。")
    return read_table(filename, content)


def split(text: str) -> list[str]:
    return [part.strip() for part in SEPARATORS.split(text) if part.strip()]


class Checker:
    """Holds the lookups one file needs and checks its rows against them."""

    def __init__(self, user):
        self.user = user
        self.regions = list(Region.objects.all())
        self.pool_codes = set(services.pools_for(user).values_list("code", flat=True))
        self._index_regions()
        self.divisions = {}
        for industry in Industry.objects.filter(level=Industry.Level.DIVISION):
            self.divisions[industry.code] = industry
            self.divisions[normalise_name(industry.name)] = industry
        self.consultancies = {}
        for organization in Organization.objects.filter(kind=Organization.Kind.CONSULTANCY).order_by("pk"):
            self.consultancies.setdefault(normalise_name(organization.name), []).append(organization)
        self.enterprises_by_name, self.enterprises_by_uscc = {}, {}
        for enterprise in Enterprise.objects.restrict(user).only("pk", "name", "uscc"):
            self.enterprises_by_name.setdefault(normalise_name(enterprise.name), []).append(enterprise)
            if enterprise.uscc:
                self.enterprises_by_uscc[enterprise.uscc] = enterprise
        self.experts = {}
        experts = (Expert.objects.restrict(user).filter(pool_id__in=self.pool_codes)
                   .prefetch_related("industries", "conflict_consultancies", "conflict_enterprises"))
        for expert in experts:
            self.experts[(expert.pool_id, expert.name, expert.employer)] = expert
        self.seen = {}

    def _index_regions(self):
        by_code = {r.code: r for r in self.regions}
        self.pools_by_word, self.places_by_word = {}, {}
        for region in self.regions:
            if region.level in (Region.Level.PROVINCE, Region.Level.CITY):
                words = {region.code, region.name, region.short_name}
                if region.level == Region.Level.PROVINCE:
                    words |= {"省级", "省"}
                for word in words:
                    self.pools_by_word[word] = region
            if region.level in (Region.Level.CITY, Region.Level.COUNTY):
                words = {region.code, region.name, region.short_name}
                parent = by_code.get(region.parent_id)
                if region.level == Region.Level.COUNTY and parent is not None:
                    words |= {f"{city}{region.name}" for city in (parent.name, parent.short_name)}
                for word in words:
                    self.places_by_word.setdefault(word, set()).add(region.code)
        self.regions_by_code = by_code

    # --- the file ------------------------------------------------------------------------

    def check(self, rows: list[list[str]]) -> Preview:
        header_index = next((i for i, row in enumerate(rows) if any(row)), None)
        if header_index is None:
            raise FileRejected("文件是空的。")
        headers = [h.strip() for h in rows[header_index]]
        keys = [HEADER_TO_KEY.get(h) for h in headers]
        missing = [HEADERS[k] for k in REQUIRED if k not in keys]
        if missing:
            raise FileRejected(f"找不到“{'”“'.join(missing)}”列。请使用导入模板（第一行为列名）。")
        ignored = [h for h, k in zip(headers, keys) if h and k is None]
        results, skipped = [], []
        for line, row in enumerate(rows[header_index + 1:], start=header_index + 2):
            if not any(row):
                continue
            raw = {k: (row[i].strip() if i < len(row) else "") for i, k in enumerate(keys) if k}
            if raw.get("name", "").startswith(EXAMPLE_MARK):
                skipped.append(line)
                continue
            results.append(self.check_row(line, raw))
        if not results:
            raise FileRejected("文件中没有专家数据行（示例行不导入）。")
        return Preview(rows=results, ignored_headers=ignored, skipped_lines=skipped)

    # --- one row -------------------------------------------------------------------------

    def check_row(self, line: int, raw: dict) -> RowResult:
        result = RowResult(line=line, name=raw.get("name", ""), employer=raw.get("employer", ""))
        pool = self._pool(raw.get("pool", ""), result)
        home = self._home(raw.get("home_region", ""), result)
        relations = {}
        if raw.get("fields"):
            fields = self._fields(raw["fields"], result)
        if raw.get("industries"):
            relations["industries"] = self._industries(raw["industries"], result)
        if raw.get("conflict_consultancies"):
            relations["conflict_consultancies"] = self._consultancies(raw["conflict_consultancies"], result)
        if raw.get("conflict_enterprises"):
            relations["conflict_enterprises"] = self._enterprises(raw["conflict_enterprises"], result)
        existing = self.experts.get((pool.code, result.name, result.employer)) if pool else None
        expert = Expert(pool=pool, home_region=home)
        if existing is not None:
            for name in services.FIELDS:
                if name not in ("pool", "home_region"):
                    setattr(expert, name, getattr(existing, name))
        given = {"name": result.name, "employer": result.employer}
        given.update({key: raw[key] for key in TEXT_KEYS if raw.get(key)})
        if raw.get("fields"):
            given["fields"] = fields
        for name, value in given.items():
            setattr(expert, name, value)
        for key, messages in services.field_errors(expert).items():
            if key == "home_region" and home is None:
                continue  # already said why
            for message in messages:
                result.error(key, message)
        if result.errors or pool is None or home is None:
            return result
        result.pool_label = services.pool_label(pool)
        key = (pool.code, expert.name, expert.employer)
        if key in self.seen:
            result.error("name", f"与第 {self.seen[key]} 行是同一专家库、同一工作单位的同名专家。")
            return result
        self.seen[key] = line
        data = {name: getattr(expert, name) for name in (*given, "home_region")}
        data.update(relations)
        if existing is None:
            result.action = "create"
            result.data = {**data, "pool": pool}
            return result
        result.expert_id = existing.pk
        result.data = {k: v for k, v in data.items() if k not in ("name", "employer")}
        result.action = "unchanged" if self._same(existing, result.data) else "update"
        return result

    def _same(self, existing, data) -> bool:
        for name, value in data.items():
            if name in services.RELATIONS:
                if {o.pk for o in value} != {o.pk for o in getattr(existing, name).all()}:
                    return False
            elif name == "home_region":
                if value.code != existing.home_region_id:
                    return False
            elif getattr(existing, name) != value:
                return False
        return True

    def _pool(self, text, result):
        if not text:
            result.error("pool", "请填写专家库（河北省，或设区市名称）。")
            return None
        word = text.removesuffix("专家库") or text
        pool = self.pools_by_word.get(word)
        if pool is None:
            result.error("pool", f"“{text}”不是专家库：请填写河北省（省级专家库），或设区市名称（如 保定市）。")
            return None
        if pool.code not in self.pool_codes:
            mine = [self.regions_by_code[c] for c in sorted(self.pool_codes)]
            own = "、".join(services.pool_label(r) for r in mine) or "任何专家库"
            result.error("pool", f"您只能维护{own}，不能导入到{services.pool_label(pool)}。")
            return None
        return pool

    def _home(self, text, result):
        if not text:
            result.error("home_region", "请填写所在地区（县（市、区）或设区市的名称，或区划代码）。")
            return None
        codes = self.places_by_word.get(text.replace(" ", "").replace("\u3000", ""), set())
        if not codes:
            result.error("home_region", f"找不到地区“{text}”：请填写河北省的县（市、区）或设区市名称，或区划代码。")
            return None
        if len(codes) > 1:
            result.error("home_region", f"“{text}”有多个同名地区，请在前面加上所在市（如 石家庄市{text}），或填写区划代码。")
            return None
        return self.regions_by_code[next(iter(codes))]

    def _fields(self, text, result) -> list[str]:
        codes = []
        for word in split(text):
            code = FIELD_BY_WORD.get(word)
            if code is None:
                result.error("fields", f"“{word}”不是专业领域，可填：{'、'.join(Field.labels)}。")
            elif code not in codes:
                codes.append(code)
        return codes

    def _industries(self, text, result) -> list:
        found = []
        for word in split(text):
            match = INDUSTRY_TOKEN.match(word)
            if match:
                code = match.group(1)
                division = self.divisions.get(code.zfill(2)) if len(code) <= 2 else None
                if division is None:
                    if len(code) > 2:
                        result.error("industries", f"“{word}”不是行业大类：请填写两位的大类代码（如 {code[:2]}）或大类名称。")
                    else:
                        result.error("industries", f"“{word}”不是 GB/T 4754-2017 的行业大类代码。")
                    continue
            else:
                division = self.divisions.get(normalise_name(word))
                if division is None:
                    result.error("industries", f"“{word}”不是 GB/T 4754-2017 的行业大类名称，可改填两位大类代码。")
                    continue
            if division not in found:
                found.append(division)
        return found

    def _consultancies(self, text, result) -> list:
        found = []
        for word in split(text):
            matches = self.consultancies.get(normalise_name(word), [])
            if not matches:
                result.error("conflict_consultancies", f"找不到咨询服务机构“{word}”：请核对名称，或先在“单位管理”中添加该机构。")
            elif len(matches) > 1:
                result.error("conflict_consultancies", f"有 {len(matches)} 家名为“{word}”的咨询服务机构，无法确定是哪一家，请导入后在专家信息页面上选择。")
            elif matches[0] not in found:
                found.append(matches[0])
        return found

    def _enterprises(self, text, result) -> list:
        found = []
        for word in split(text):
            enterprise = self.enterprises_by_uscc.get(word.upper())
            if enterprise is None:
                matches = self.enterprises_by_name.get(normalise_name(word), [])
                if not matches:
                    result.error("conflict_enterprises", f"找不到企业“{word}”（或该企业不在您的辖区内）：请核对企业名称或统一社会信用代码。")
                    continue
                if len(matches) > 1:
                    result.error("conflict_enterprises", f"有 {len(matches)} 家名为“{word}”的企业，请改填其统一社会信用代码。")
                    continue
                enterprise = matches[0]
            if enterprise not in found:
                found.append(enterprise)
        return found


def check_file(user, filename: str, content: bytes) -> tuple[list[list[str]], Preview]:
    """The file's rows (kept for the confirmation) and their check."""
    rows = read_xlsx(filename, content)
    return rows, Checker(user).check(rows)
