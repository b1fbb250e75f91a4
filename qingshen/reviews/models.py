"""Evaluation and acceptance reviews (评估、验收审核) of a submitted application.

A Review is the handling of one submitted Application (one version): intake level by level
(county → city, and for a 省直管 enterprise → province), each level checking every step and
recording 无误 or the problem (IntakeCheck); then the handling level (the city for 市直管, the
province for 省直管) draws experts (ExpertDraw, each attempt kept with its verifiable record;
Assignment, the group with its leader, declines and substitutes), the experts review the
frozen application online (ExpertOpinion, with a score sheet where the campaign uses one),
the leader compiles the group opinion, the site review is recorded (SiteVisit, with
RectificationItem rows), and the handling level gives the result: 通过, 不通过 or 整改. A
return at intake or 整改 sends the project back to the enterprise, whose next submission is a
new Application version and a new Review; earlier ones stay readable.

The workflow is declared (django-fsm-2): every transition names who may take it.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_fsm import FSMField, transition

from qingshen.core.scoping import ScopedModel


class Level(models.TextChoices):
    COUNTY = "county", "县级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"


class Conclusion(models.TextChoices):
    PASSED = "passed", "通过"
    FAILED = "failed", "不通过"
    RECTIFY = "rectify", "整改"


def acting_level(user) -> str:
    """The level a signed-in official acts at ("" for everyone else)."""
    organization = getattr(user, "organization", None)
    region = getattr(organization, "region", None)
    if region is None or user.role not in ("province", "city", "county"):
        return ""
    return user.role


def _at(level):
    """A transition permission: the actor is an official at `level` (jurisdiction is checked by
    the service, which only finds reviews through restrict(actor))."""
    def check(review, user):
        return user.has_perm("reviews.handle_review") and acting_level(user) == level
    check.__name__ = f"official_at_{level}"
    return check


def _handling(review, user):
    """The handling level acts (the city for 市直管, the province for 省直管)."""
    return user.has_perm("reviews.handle_review") and acting_level(user) == review.handling_level


def _leader(review, user):
    """The group leader compiles the group opinion."""
    return review.assignments.filter(expert__user=user, role=Assignment.Role.LEADER,
                                     status=Assignment.Status.ACTIVE).exists()


class Review(ScopedModel):
    class Status(models.TextChoices):
        COUNTY_INTAKE = "county_intake", "待县级受理审核"
        CITY_INTAKE = "city_intake", "待市级受理审核"
        PROVINCE_INTAKE = "province_intake", "待省级受理审核"
        EXPERT_DRAW = "expert_draw", "待抽取专家"
        DOCUMENT_REVIEW = "document_review", "线上文审"
        SITE_REVIEW = "site_review", "现场审核"
        DECIDING = "deciding", "待出具审核结果"
        RETURNED = "returned", "受理退回"
        PASSED = "passed", "通过"
        FAILED = "failed", "不通过"
        RECTIFY = "rectify", "整改"

    INTAKE = (Status.COUNTY_INTAKE, Status.CITY_INTAKE, Status.PROVINCE_INTAKE)
    CLOSED = (Status.RETURNED, Status.PASSED, Status.FAILED, Status.RECTIFY)
    INTAKE_LEVEL = {Status.COUNTY_INTAKE: Level.COUNTY, Status.CITY_INTAKE: Level.CITY,
                    Status.PROVINCE_INTAKE: Level.PROVINCE}

    application = models.OneToOneField("applications.Application", verbose_name="申请", on_delete=models.PROTECT,
                                       related_name="review")
    project = models.ForeignKey("projects.AuditProject", verbose_name="审核项目", on_delete=models.PROTECT,
                                related_name="reviews")
    stage = models.CharField("阶段", max_length=12, choices=[("evaluation", "评估"), ("acceptance", "验收")])
    handling_level = models.CharField("办理机构", max_length=10, choices=[("province", "省直管"), ("city", "市直管")])
    status = FSMField("状态", default=Status.COUNTY_INTAKE, choices=Status.choices, protected=True)
    arrived_at = models.DateTimeField("到达本环节时间")
    # the result
    conclusion = models.CharField("审核结论", max_length=10, choices=Conclusion.choices, blank=True)
    group_opinion = models.TextField("专家组意见", blank=True)
    group_opinion_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="汇总人", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    group_opinion_at = models.DateTimeField("汇总时间", null=True, blank=True)
    result_opinion = models.TextField("审核意见", blank=True)
    rectify_by = models.DateField("整改后重新提交期限", null=True, blank=True)
    acceptance_deadline = models.DateField("验收期限", null=True, blank=True,
                                           help_text="评估通过时：完成方案实施并申请验收的期限")
    confirmed_level = models.CharField("确认的清洁生产水平", max_length=60, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("出具结果时间", null=True, blank=True)
    opinion_number = models.CharField("意见编号", max_length=40, blank=True)
    opinion_file = models.ForeignKey("files.StoredFile", verbose_name="审核意见（PDF）", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField("修改次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    jurisdiction_enterprise_lookup = "project__enterprise"

    class Meta:
        verbose_name = "评估、验收审核"
        verbose_name_plural = "评估、验收审核"
        ordering = ["-created_at", "pk"]
        permissions = [("handle_review", "办理评估、验收审核"), ("give_opinion", "专家审核意见"),
                       ("view_handover", "查看审核结果移交清单")]

    def __str__(self):
        return f"{self.project.number} {self.get_stage_display()}审核（第 {self.application.number} 版申请）"

    def get_absolute_url(self):
        return reverse("reviews:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.project.enterprise.region)
        super().save(*args, **kwargs)

    @classmethod
    def filter_for_expert(cls, queryset, jurisdiction):
        """An expert sees the reviews it is drawn for (and has not declined)."""
        # a subquery, not a join: no duplicates to remove, so the services can lock the rows
        # (PostgreSQL refuses FOR UPDATE with DISTINCT)
        return queryset.filter(pk__in=Assignment.objects.filter(
            expert__user_id=jurisdiction.user_id, status=Assignment.Status.ACTIVE).values("review_id"))

    @property
    def intake_level(self) -> str:
        return self.INTAKE_LEVEL.get(self.status, "")

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    # --- the workflow: services call these after has_transition_perm ---------------------------

    @transition(field=status, source=Status.COUNTY_INTAKE, target=Status.CITY_INTAKE, permission=_at(Level.COUNTY))
    def county_accepts(self):
        """县级受理通过: on to the city."""

    @transition(field=status, source=Status.CITY_INTAKE, target=Status.PROVINCE_INTAKE, permission=_at(Level.CITY),
                conditions=[lambda review: review.handling_level == "province"])
    def city_forwards(self):
        """市级受理通过, 省直管: on to the province."""

    @transition(field=status, source=Status.CITY_INTAKE, target=Status.EXPERT_DRAW, permission=_at(Level.CITY),
                conditions=[lambda review: review.handling_level == "city"])
    def city_accepts(self):
        """市级受理通过, 市直管: the city runs the full review (全流程审核)."""

    @transition(field=status, source=Status.PROVINCE_INTAKE, target=Status.EXPERT_DRAW,
                permission=_at(Level.PROVINCE))
    def province_accepts(self):
        """省级受理通过: the province runs the full review."""

    @transition(field=status, source=[Status.COUNTY_INTAKE, Status.CITY_INTAKE, Status.PROVINCE_INTAKE],
                target=Status.RETURNED, permission=lambda review, user: _at(review.intake_level)(review, user))
    def send_back(self):
        """受理不通过: back to the enterprise with the problems found."""

    @transition(field=status, source=Status.EXPERT_DRAW, target=Status.DOCUMENT_REVIEW, permission=_handling)
    def group_formed(self):
        """The group is drawn (and confirmed by the handling level): the experts review online."""

    @transition(field=status, source=Status.DOCUMENT_REVIEW, target=Status.SITE_REVIEW, permission=_leader)
    def opinion_compiled(self):
        """The leader has compiled the group's opinion of the documents: the site review follows."""

    @transition(field=status, source=Status.SITE_REVIEW, target=Status.DECIDING, permission=_handling)
    def site_reviewed(self):
        """The site review is recorded."""

    @transition(field=status, source=Status.DECIDING, target=Status.PASSED, permission=_handling)
    def pass_(self):
        """通过."""

    @transition(field=status, source=Status.DECIDING, target=Status.FAILED, permission=_handling)
    def fail(self):
        """不通过: the stage is closed and reported upward."""

    @transition(field=status, source=Status.DECIDING, target=Status.RECTIFY, permission=_handling)
    def rectify(self):
        """整改: back to the enterprise with the experts' opinions, to resubmit by a date."""


class IntakeCheck(models.Model):
    """One level's check of one step of the application: 无误, or the problem in words."""

    review = models.ForeignKey(Review, verbose_name="审核", on_delete=models.CASCADE, related_name="checks")
    level = models.CharField("审核层级", max_length=10, choices=Level.choices)
    step = models.CharField("审核步骤", max_length=40, help_text="application_form、project_start 或环节代码")
    ok = models.BooleanField("无误")
    problem = models.TextField("问题", blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT,
                                   related_name="+")
    checked_at = models.DateTimeField("审核时间", auto_now=True)

    class Meta:
        verbose_name = "受理审核意见"
        verbose_name_plural = "受理审核意见"
        ordering = ["review", "level", "pk"]
        constraints = [models.UniqueConstraint(fields=["review", "level", "step"], name="reviews_one_check_per_step")]


class ExpertDraw(models.Model):
    """One attempt at drawing (or substituting): the record `reviews.draw` can re-run."""

    class Kind(models.TextChoices):
        DRAW = "draw", "抽取"
        SUBSTITUTE = "substitute", "补抽"

    review = models.ForeignKey(Review, verbose_name="审核", on_delete=models.CASCADE, related_name="draws")
    number = models.PositiveSmallIntegerField("次序")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.DRAW)
    record = models.JSONField("抽取记录", help_text="候选名单、回避及理由、随机种子、算法版本和结果")
    succeeded = models.BooleanField("成功")
    message = models.TextField("说明", blank=True, help_text="未能抽取时的原因（哪条规则回避了谁）")
    reason = models.TextField("重新抽取理由", blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="抽取人", on_delete=models.PROTECT,
                                 related_name="+")
    drawn_at = models.DateTimeField("抽取时间", auto_now_add=True)

    class Meta:
        verbose_name = "专家抽取记录"
        verbose_name_plural = "专家抽取记录"
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="reviews_draw_number")]


class Assignment(models.Model):
    """An expert of the group (专家组): drawn, possibly declined and replaced."""

    class Role(models.TextChoices):
        LEADER = "leader", "组长"
        MEMBER = "member", "成员"

    class Status(models.TextChoices):
        ACTIVE = "active", "参加"
        DECLINED = "declined", "谢绝"

    review = models.ForeignKey(Review, verbose_name="审核", on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey("experts.Expert", verbose_name="专家", on_delete=models.PROTECT, related_name="assignments")
    draw = models.ForeignKey(ExpertDraw, verbose_name="抽取记录", on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField("职责", max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    declined_reason = models.CharField("谢绝原因", max_length=300, blank=True)
    declined_at = models.DateTimeField("谢绝时间", null=True, blank=True)
    # the expert's own document review
    opinion = models.TextField("审核意见", blank=True)
    scores = models.JSONField("评分", default=dict, blank=True)
    opinion_at = models.DateTimeField("提交意见时间", null=True, blank=True)

    class Meta:
        verbose_name = "专家组成员"
        verbose_name_plural = "专家组成员"
        ordering = ["review", "role", "pk"]  # the leader first ("leader" sorts before "member")
        constraints = [models.UniqueConstraint(fields=["review", "expert"], name="reviews_expert_once")]


class ScoreItem(models.Model):
    """A score sheet's item (评分表), as data per campaign and stage."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="清审批次", on_delete=models.CASCADE,
                                 related_name="score_items")
    stage = models.CharField("阶段", max_length=12, choices=[("evaluation", "评估"), ("acceptance", "验收")])
    order = models.PositiveSmallIntegerField("顺序", default=0)
    title = models.CharField("评分项", max_length=200)
    max_score = models.PositiveSmallIntegerField("分值")

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["campaign", "stage", "order", "pk"]


class SiteVisit(models.Model):
    """现场审核: when, where, who was there, what was checked and found."""

    review = models.OneToOneField(Review, verbose_name="审核", on_delete=models.CASCADE, related_name="site_visit")
    visited_on = models.DateField("现场审核日期")
    place = models.CharField("地点", max_length=200)
    present = models.ManyToManyField(Assignment, verbose_name="到场专家", related_name="+")
    checked = models.TextField("核查内容")
    findings = models.TextField("发现的问题", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now=True)

    class Meta:
        verbose_name = "现场审核"
        verbose_name_plural = "现场审核"


class SitePhoto(models.Model):
    """A photo of the site review's findings. Kept apart from the enterprise's evidence: it is
    the reviewers' record, not the enterprise's, and the enterprise cannot change it."""

    site_visit = models.ForeignKey(SiteVisit, verbose_name="现场审核", on_delete=models.CASCADE, related_name="photos")
    stored = models.ForeignKey("files.StoredFile", verbose_name="照片", on_delete=models.PROTECT, related_name="+")
    caption = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"
        ordering = ["site_visit", "pk"]


class RectificationItem(models.Model):
    """An item to rectify, with its deadline (from the site review or the result)."""

    review = models.ForeignKey(Review, verbose_name="审核", on_delete=models.CASCADE, related_name="rectification")
    text = models.TextField("整改要求")
    deadline = models.DateField("整改期限")
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "整改要求"
        verbose_name_plural = "整改要求"
        ordering = ["review", "order", "pk"]
