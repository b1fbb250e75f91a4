"""任务统计: for each campaign, per county (per city for the province), how far the notice
has gone — enterprises on the roster, letters generated, stamped, dispatched (the enterprise
is notified), accepted, and notified but not yet accepted.

Every number is one `Count(filter=…)` of a single grouped query over the campaign's roster
lines in the user's jurisdiction (`CampaignEnterprise.objects.restrict(user)`), so the cost
does not depend on the number of enterprises; the list behind a number uses the same filter
(`STATUSES`), so the list and the number cannot disagree.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.scoping import jurisdiction_of
from qingshen.regions.models import Region


@dataclass(frozen=True)
class Status:
    key: str
    label: str
    condition: Q
    hint: str = ""


STATUSES = (
    Status("roster", "名单企业", Q(), "本批次名单中纳入的企业"),
    Status("generated", "已生成告知书", Q(letter__generated_at__isnull=False)),
    Status("stamped", "已上传盖章版", Q(letter__stamped_copy__isnull=False, letter__stamped_revision=F("letter__revision")),
           "盖章版对应最新一版告知书"),
    Status("dispatched", "已下发（已通知）", Q(letter__dispatched_at__isnull=False), "告知书已下发，企业已收到通知"),
    Status("accepted", "已接受", Q(project__isnull=False), "企业已接受清审任务，生成项目编号"),
    Status("not_accepted", "未接受", Q(letter__dispatched_at__isnull=False, project__isnull=True),
           "已下发告知书、尚未接受清审任务"),
)
STATUS_BY_KEY = {status.key: status for status in STATUSES}


@dataclass
class Row:
    region_code: str  # "" for the total row
    region_name: str
    counts: dict = field(default_factory=dict)

    def cells(self):
        """[(status, count)] in column order, for templates."""
        return [(status, self.counts.get(status.key, 0)) for status in STATUSES]


@dataclass
class Table:
    campaign: object
    group_level: str  # "city" or "county": what each row is
    rows: list[Row]
    total: Row

    @property
    def group_label(self) -> str:
        return "地市" if self.group_level == "city" else "区县"


def roster(user, campaign_ids=None):
    """The roster lines (纳入) the user may see, optionally for some campaigns."""
    queryset = CampaignEnterprise.objects.restrict(user).filter(status=CampaignEnterprise.Status.INCLUDED)
    if campaign_ids is not None:
        queryset = queryset.filter(campaign_id__in=campaign_ids)
    return queryset


def group_level(user) -> str:
    """The province (and the system administrator) sees a row per city; others per county."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction is not None and (jurisdiction.sees_everything or jurisdiction.level == "province"):
        return "city"
    return "county"


def tables(user, campaigns) -> list[Table]:
    """One table per campaign, from one grouped query plus one for the region names."""
    campaigns = list(campaigns)
    level = group_level(user)
    key = f"{level}_code"
    aggregates = {status.key: Count("pk", filter=status.condition) for status in STATUSES}
    fields = ["campaign_id", "city_code"] + ([key] if key != "city_code" else [])
    grouped = roster(user, [c.pk for c in campaigns]).order_by().values(*fields).annotate(**aggregates)
    by_campaign: dict[int, dict[str, dict]] = {}
    for line in grouped:
        # A city-level unit without counties (定州市, 辛集市) has no county code: its row is the city.
        code = line[key] or line["city_code"]
        counts = by_campaign.setdefault(line["campaign_id"], {}).setdefault(code, dict.fromkeys(aggregates, 0))
        for name in aggregates:
            counts[name] += line[name]
    codes = {code for per_region in by_campaign.values() for code in per_region}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    result = []
    for campaign in campaigns:
        per_region = by_campaign.get(campaign.pk, {})
        rows = [Row(code, names.get(code, code), counts) for code, counts in sorted(per_region.items())]
        total = Row("", "合计", {name: sum(row.counts[name] for row in rows) for name in aggregates})
        result.append(Table(campaign, level, rows, total))
    return result


def table(user, campaign) -> Table:
    return tables(user, [campaign])[0]


def region_in_jurisdiction(user, code: str) -> Region | None:
    """The region a drill-down link names, if it lies in the user's jurisdiction."""
    region = Region.objects.filter(code=code).first()
    jurisdiction = jurisdiction_of(user)
    if region is None or jurisdiction is None:
        return None
    if jurisdiction.sees_everything:
        return region
    if jurisdiction.level in ("province", "city", "county") and getattr(
            region, f"{jurisdiction.level}_code") == jurisdiction.code:
        return region
    return None


def enterprises(user, campaign, status: Status, region: Region | None = None):
    """The roster lines behind one number of the table."""
    queryset = roster(user, [campaign.pk]).filter(status.condition)
    if region is not None:
        queryset = queryset.filter(**{f"{region.level}_code": region.code})
    return queryset.select_related("enterprise__region", "letter", "project").order_by(
        "county_code", "city_code", "seq", "pk")
