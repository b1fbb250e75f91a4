"""Private stored files: checked by content, hashed, never served without a permission check.

A StoredFile belongs to whatever row points at it (a roster submission's stamped list, a
stamped notice letter, …); the view of that row decides who may download it.
"""

from django.conf import settings
from django.db import models


class StoredFile(models.Model):
    file = models.FileField("文件", upload_to="files/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=255)
    mime = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    pages = models.PositiveIntegerField("页数", default=1)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "文件"
        verbose_name_plural = "文件"

    def __str__(self):
        return self.original_name

    def open_content(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()
