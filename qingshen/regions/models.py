"""The region tree: province → city-level units → county-level units.

The tree is data (`data/hebei_divisions.csv` from the NBS 2023 statistical codes, adjusted by
`data/hebei_adjustments.csv` for how Hebei administers), loaded by `loader.py`. Nothing in the
code slices region codes: a region's city and county codes are stored on it when the tree is
loaded, and every scoped row copies them from its region.
"""

from django.db import models


class RegionQuerySet(models.QuerySet):
    def enterprise_locations(self, user):
        """Where this user may place an enterprise: county-level units, and city-level units
        without counties (定州市, 辛集市), inside the user's jurisdiction."""
        from qingshen.core.scoping import jurisdiction_of

        jurisdiction = jurisdiction_of(user)
        if jurisdiction is None or jurisdiction.level not in ("province", "city", "county"):
            return self.none()
        queryset = self.filter(
            models.Q(level=Region.Level.COUNTY) | models.Q(level=Region.Level.CITY, children__isnull=True)
        )
        if jurisdiction.level != "province":
            queryset = queryset.filter(**{f"{jurisdiction.level}_code": jurisdiction.code})
        return queryset.distinct().order_by("code")


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"

    code = models.CharField("区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=50)
    short_name = models.CharField("简称", max_length=30)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    kind = models.CharField("类型", max_length=10, help_text="省、地级市、市辖区、县、县级市、功能区、新区等")
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    statistical_parent_code = models.CharField(
        "统计用上级代码", max_length=6, blank=True, help_text="国家统计局数据中的上级；与管理上级不同时保留备查"
    )
    is_official_code = models.BooleanField("官方代码", default=True)
    note = models.TextField("说明", blank=True)
    province_code = models.CharField("所属省代码", max_length=6, db_index=True)
    city_code = models.CharField("所属市代码", max_length=6, db_index=True, blank=True)
    county_code = models.CharField("所属县代码", max_length=6, db_index=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def display_path(self) -> str:
        """"河北省 雄安新区 容城县", as the seed's screens show a region."""
        names = []
        region = self
        while region is not None:
            names.append(region.name)
            region = region.parent
        return " ".join(reversed(names))
