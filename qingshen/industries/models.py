"""GB/T 4754-2017 国民经济行业分类: sections, divisions, groups and classes, as data."""

from django.db import models


class Industry(models.Model):
    class Level(models.TextChoices):
        SECTION = "section", "门类"
        DIVISION = "division", "大类"
        GROUP = "group", "中类"
        CLASS = "class", "小类"

    code = models.CharField("行业代码", max_length=4, primary_key=True)
    name = models.CharField("行业名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    division_code = models.CharField("大类代码", max_length=2, blank=True, db_index=True)

    class Meta:
        verbose_name = "行业"
        verbose_name_plural = "行业"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def lineage(self) -> list["Industry"]:
        """Division → group → class, as the seed's screen shows 所属行业 (17 | 纺织业 …)."""
        chain = []
        node = self
        while node is not None and node.level != self.Level.SECTION:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))
