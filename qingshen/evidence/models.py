"""佐证材料: the files that back something in an enterprise's audit project.

One `Evidence` row is one version of one document. All versions of a document share a
`series`; replacing a file adds version n+1 and stamps the old one `superseded_at`, so every
earlier version stays readable (an official can see what the enterprise first submitted).
Withdrawing keeps the row too (`withdrawn_at`). Once an application containing the file is
accepted it is `locked_at` and can no longer be replaced or withdrawn.

The row it backs (the owner) is generic — a project-start section, a phase filing, an option,
the project itself — so one app keeps files, versions, thumbnails and their permissions for
every screen. Jurisdiction comes from the project's enterprise, like every other row of it.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from qingshen.core.scoping import ScopedModel, ScopedQuerySet


class EvidenceQuerySet(ScopedQuerySet):
    def current(self):
        """The version in force of each series (neither replaced nor withdrawn)."""
        return self.filter(superseded_at__isnull=True, withdrawn_at__isnull=True)

    def for_owner(self, owner, slot=None):
        queryset = self.filter(owner_type=ContentType.objects.get_for_model(type(owner)), owner_id=owner.pk)
        return queryset if slot is None else queryset.filter(slot=slot)

    def with_version_count(self):
        """Adds `version_count` (versions in the series) as a subquery: no per-row query."""
        counts = (Evidence.objects.filter(series=models.OuterRef("series")).order_by()
                  .values("series").annotate(n=models.Count("pk")).values("n"))
        return self.annotate(version_count=models.Subquery(counts, output_field=models.IntegerField()))

    def for_display(self):
        return self.select_related("stored", "thumbnail", "uploaded_by").with_version_count()


class Evidence(ScopedModel):
    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.PROTECT,
                                related_name="evidence")
    owner_type = models.ForeignKey(ContentType, verbose_name="所属对象类型", on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField("所属对象")
    owner = GenericForeignKey("owner_type", "owner_id")
    slot = models.CharField("材料类别", max_length=50, blank=True,
                            help_text="所属对象的哪一项材料，如 photos、report；只有一项时为空")
    series = models.UUIDField("文件系列", default=uuid.uuid4, db_index=True,
                              help_text="同一文件的各个版本共用")
    version = models.PositiveSmallIntegerField("版本", default=1)
    stored = models.ForeignKey("files.StoredFile", verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    thumbnail = models.ForeignKey("files.StoredFile", verbose_name="缩略图", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=200, blank=True)
    document_date = models.DateField("文件日期", null=True, blank=True, help_text="文件上所载的日期，不是上传日期")
    captured_at = models.DateTimeField("拍摄时间", null=True, blank=True, help_text="照片 EXIF 中的拍摄时间")
    superseded_at = models.DateTimeField("被替换时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("删除时间", null=True, blank=True)
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True,
                                     help_text="所在申请被受理后锁定，不能再替换或删除")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    objects = EvidenceQuerySet.as_manager()

    jurisdiction_enterprise_lookup = "project__enterprise"

    @classmethod
    def filter_for_expert(cls, queryset, jurisdiction):
        """An expert reads the files of the projects whose review it is drawn for."""
        from qingshen.reviews.models import Assignment

        return queryset.filter(project_id__in=Assignment.objects.filter(
            expert__user_id=jurisdiction.user_id, status=Assignment.Status.ACTIVE).values("review__project_id"))

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="evidence_series_version_unique"),
        ]
        indexes = [models.Index(fields=["owner_type", "owner_id", "slot"], name="evidence_owner_slot")]

    def __str__(self):
        name = self.title or (self.stored.original_name if self.stored_id else "")
        return f"{name}（第{self.version}版）"

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.project.enterprise.region)
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None and self.withdrawn_at is None

    @property
    def is_image(self) -> bool:
        return self.stored.mime.startswith("image/")

    @property
    def display_name(self) -> str:
        return self.title or self.stored.original_name

    def get_download_url(self):
        return reverse("evidence:download", args=[self.pk])

    def get_thumbnail_url(self):
        return reverse("evidence:thumbnail", args=[self.pk]) if self.thumbnail_id else ""
