"""Roster verification (名单核定任务): province → cities → counties and back up.

One RosterTask per department and campaign. The province publishes the roster to its cities;
a city checks its enterprises and dispatches to its counties; each county checks and submits
its stamped final list; the city approves or returns each county, then submits its own list;
the province approves or returns each city. Statuses as in the seed: 待确认, 已下发, 已提交,
已通过, 已退回. The workflow is declared with django-fsm-2; every transition names who may take
it (`may_act` for the department's own steps, `may_review` for the level above).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django_fsm import FSMField, FSMModelMixin, transition

from qingshen.campaigns.models import CampaignEnterprise, CampaignTask

LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级"}


def may_act(task, user) -> bool:
    """The department's own steps: its own accounts, with the verification permission."""
    return user.has_perm("rosters.verify_roster") and user.organization_id == task.organization_id


def may_review(task, user) -> bool:
    """Approving or returning a lower level's submission: the level above."""
    return (
        user.has_perm("rosters.review_roster")
        and task.parent_id is not None
        and user.organization_id == task.parent.organization_id
    )


class RosterTask(FSMModelMixin, CampaignTask):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PENDING = "pending", "待确认"
        DISPATCHED = "dispatched", "已下发"
        SUBMITTED = "submitted", "已提交"
        APPROVED = "approved", "已通过"
        RETURNED = "returned", "已退回"

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="清审批次", on_delete=models.PROTECT,
                                 related_name="roster_tasks")
    organization = models.ForeignKey("organizations.Organization", verbose_name="承办单位", on_delete=models.PROTECT,
                                     related_name="roster_tasks")
    status = FSMField("状态", default=Status.PENDING, choices=Status.choices, protected=True)
    requirements = models.TextField("本级任务要求", blank=True)
    round = models.PositiveSmallIntegerField("提交轮次", default=0)

    class Meta:
        verbose_name = "名单核定任务"
        verbose_name_plural = "名单核定任务"
        ordering = ["campaign", "organization__account_code"]
        permissions = [
            ("verify_roster", "核定本级名单"),
            ("review_roster", "审核下级名单"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="one_roster_task_per_department"),
        ]

    def get_absolute_url(self):
        return reverse("rosters:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        """The department may still change its list (checks, requirements)."""
        return self.status in (self.Status.DRAFT, self.Status.PENDING, self.Status.DISPATCHED, self.Status.RETURNED)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)

    @property
    def lower_level_label(self) -> str:
        """What the seed calls the level below: 市级 under the province, 区县 under a city."""
        return "市级" if self.level == "province" else "区县"

    @property
    def upper_level_label(self) -> str:
        return "省级" if self.level == "city" else "市级"

    @cached_property
    def has_lower_level(self) -> bool:
        return self.level in ("province", "city") and self.organization.region.children.exists()

    def members(self):
        """The campaign's enterprises in this department's region."""
        return self.members_in_region(CampaignEnterprise.objects.filter(campaign_id=self.campaign_id))

    # --- transitions: the service calls them after checking has_transition_perm ----------------

    @transition(field=status, source=Status.DRAFT, target=Status.DISPATCHED, permission=may_act)
    def publish(self):
        """Province: publish the roster to the cities (下发任务)."""

    @transition(field=status, source=Status.PENDING, target=Status.DISPATCHED, permission=may_act)
    def dispatch(self):
        """City: dispatch to its counties (下发任务)."""

    @transition(field=status, source=[Status.PENDING, Status.DISPATCHED, Status.RETURNED], target=Status.SUBMITTED,
                permission=may_act)
    def submit(self):
        """Submit the stamped final list upward (提交)."""
        self.round += 1

    @transition(field=status, source=Status.SUBMITTED, target=Status.APPROVED, permission=may_review)
    def approve(self):
        """The level above approves (通过)."""

    @transition(field=status, source=[Status.SUBMITTED, Status.APPROVED], target=Status.RETURNED,
                permission=may_review)
    def send_back(self):
        """The level above returns it with comments (退回)."""


class ThroughTaskQuerySet(models.QuerySet):
    """Rows that belong to a roster task are seen by whoever may see the task."""

    def restrict(self, user):
        return self.filter(task__in=RosterTask.objects.restrict(user).values("pk"))


class RosterSubmission(models.Model):
    """One round of a task's submission and its review; earlier rounds stay readable."""

    class Decision(models.TextChoices):
        PENDING = "", "待审核"
        APPROVED = "approved", "通过"
        RETURNED = "returned", "退回"

    task = models.ForeignKey(RosterTask, verbose_name="任务", on_delete=models.PROTECT, related_name="submissions")
    round = models.PositiveSmallIntegerField("轮次")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField("提交时间")
    stamped_list = models.ForeignKey("files.StoredFile", verbose_name="最终名单（盖章扫描件）",
                                     on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField("名单快照", default=list)
    decision = models.CharField("审核结果", max_length=10, choices=Decision.choices, blank=True, default="")
    comments = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)

    objects = ThroughTaskQuerySet.as_manager()

    class Meta:
        verbose_name = "名单提交"
        verbose_name_plural = "名单提交"
        ordering = ["task", "-round"]
        constraints = [models.UniqueConstraint(fields=["task", "round"], name="one_submission_per_round")]

    def __str__(self):
        return f"{self.task} 第 {self.round} 轮"


class RosterDecision(models.Model):
    """What a level did to one enterprise of its list, with the old and new value kept."""

    class Action(models.TextChoices):
        KEEP = "keep", "保留"
        EXCLUDE = "exclude", "标注为否"
        CORRECT = "correct", "修正信息"
        ADD = "add", "增补"

    task = models.ForeignKey(RosterTask, verbose_name="任务", on_delete=models.PROTECT, related_name="decisions")
    member = models.ForeignKey("campaigns.CampaignEnterprise", verbose_name="名单企业", on_delete=models.PROTECT,
                               related_name="decisions")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    reason = models.TextField("情况说明", blank=True)
    evidence = models.ManyToManyField("files.StoredFile", verbose_name="佐证材料", blank=True, related_name="+")
    field = models.CharField("修正项目", max_length=50, blank=True)
    old_value = models.CharField("原值", max_length=300, blank=True)
    new_value = models.CharField("新值", max_length=300, blank=True)
    round = models.PositiveSmallIntegerField("轮次", default=0)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField("时间", auto_now_add=True)

    objects = ThroughTaskQuerySet.as_manager()

    class Meta:
        verbose_name = "名单核定记录"
        verbose_name_plural = "名单核定记录"
        ordering = ["-decided_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.member.enterprise.name}"
