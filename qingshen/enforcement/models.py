"""执法移交 (hand-over to the enforcement department): the record that an official handed a
campaign's enforcement list (执法移交清单) to the ecological-environment enforcement department,
as the seed's notices require ("将…审核结果和因停产未开展清洁生产的企业名单…移交…生态环境执法部门").

The lists themselves are computed, never stored (`qingshen.enforcement.lists`); a hand-over
freezes what was handed over — the lines as JSON and the .xlsx made at that moment — so a later
change to the data (an enterprise passing, a review decided) cannot alter what the enforcement
department received. A hand-over is immutable: the model refuses to be saved twice or deleted.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from qingshen.core.scoping import ScopedModel

#: The list's categories, in the order the page shows them.
REFUSED = "refused"
FAILED = "failed"
OVERDUE = "overdue"
SUSPENDED = "suspended"
ALL = "all"
CATEGORY_LABELS = {
    REFUSED: "拒不开展（未接受任务）",
    FAILED: "审核未通过",
    OVERDUE: "逾期未完成",
    SUSPENDED: "因停产未开展",
}
CATEGORY_CHOICES = [(ALL, "全部"), *CATEGORY_LABELS.items()]


class HandoverImmutable(ValidationError):
    def __init__(self):
        super().__init__("执法移交记录一经登记不能修改或删除。")


class EnforcementHandover(ScopedModel):
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="清审批次", on_delete=models.PROTECT,
                                 related_name="enforcement_handovers")
    organization = models.ForeignKey("organizations.Organization", verbose_name="移交单位", on_delete=models.PROTECT,
                                     related_name="+")
    category = models.CharField("移交类别", max_length=12, choices=CATEGORY_CHOICES, default=ALL)
    recipient = models.CharField("接收单位", max_length=200, help_text="如 保定市生态环境综合执法支队")
    handed_on = models.DateField("移交日期")
    note = models.TextField("说明", blank=True)
    lines = models.JSONField("移交时的清单", default=list, help_text="移交时刻的清单（冻结，之后的数据变化不影响）")
    line_count = models.PositiveIntegerField("企业数", default=0)
    workbook = models.ForeignKey("files.StoredFile", verbose_name="移交清单（Excel）", on_delete=models.PROTECT,
                                 related_name="+")
    form_token = models.CharField("表单标识", max_length=64, blank=True, editable=False,
                                  help_text="同一表单重复提交只登记一次")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法移交记录"
        verbose_name_plural = "执法移交记录"
        ordering = ["-created_at", "-pk"]
        permissions = [("view_enforcementlist", "查看执法移交清单")]
        constraints = [
            models.UniqueConstraint(fields=["created_by", "form_token"], condition=~models.Q(form_token=""),
                                    name="enforcement_handover_once_per_form"),
        ]

    def __str__(self):
        return f"{self.campaign.name} · {self.get_category_display()} · 移交{self.recipient}（{self.handed_on:%Y-%m-%d}）"

    def get_absolute_url(self):
        return reverse("enforcement:handover_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HandoverImmutable()
        self.set_scope_from_region(self.organization.region)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HandoverImmutable()
