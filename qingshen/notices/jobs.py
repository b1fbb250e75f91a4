"""Background jobs of the notice: letters in a batch (ZIP or one merged PDF), and reading the
QR codes of a batch of stamped scans."""

import io
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfWriter

from qingshen.jobs.registry import JobError, register
from qingshen.notices import scanning, services
from qingshen.notices.models import NoticeLetter, NoticeTask, ScanBatch

LETTERS_KIND = "notices.letters"
SCAN_KIND = "notices.read_scan"


def _task_for(job) -> NoticeTask:
    task = NoticeTask.objects.restrict(job.owner).filter(pk=job.params.get("task_id")).first()
    if task is None:
        raise JobError("通知任务不存在或不在您的辖区内。")
    return task


@register(LETTERS_KIND)
def letters_batch(job, progress):
    """批量下载企业告知书: letters not yet generated are generated first (existing letters keep
    their activation codes); then all of the department's letters as a ZIP or one PDF."""
    task = _task_for(job)
    if task.organization_id != job.owner.organization_id:
        raise JobError("告知书含企业的激活码，只有负责通知企业的生态环境部门可以下载。")
    members = list(task.members().select_related("enterprise").order_by("seq", "pk"))
    if not members:
        raise JobError("本级名单中没有企业。")
    existing = {letter.member_id: letter for letter in NoticeLetter.objects.filter(task=task).select_related("pdf")}
    milestones = services.campaign_milestones(task.campaign)
    files = []
    for done, member in enumerate(members, start=1):
        letter = existing.get(member.pk)
        if letter is None or letter.pdf_id is None:
            try:
                letter, pdf, _ = services.prepare_letter(job.owner, task, member, milestones=milestones)
            except (ValidationError, PermissionDenied) as exc:
                raise JobError(exc.messages[0] if isinstance(exc, ValidationError) else str(exc)) from exc
        else:
            pdf = letter.pdf.open_content()
        files.append((f"{letter.number}-{member.enterprise.name}.pdf", pdf))
        progress(done, len(members))
    region = task.organization.region.name
    if job.params.get("format") == "pdf":
        writer = PdfWriter()
        for _, pdf in files:
            writer.append(io.BytesIO(pdf))
        buffer = io.BytesIO()
        writer.write(buffer)
        return f"{region}企业告知书（{len(files)} 份）.pdf", buffer.getvalue()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, pdf in files:
            archive.writestr(name, pdf)
    return f"{region}企业告知书（{len(files)} 份）.zip", buffer.getvalue()


@register(SCAN_KIND)
def read_scan(job, progress):
    """Reads the QR code of every scanned page and files each stamped letter; the report lists
    what it could not match, for manual assignment on the scan page."""
    batch = ScanBatch.objects.filter(pk=job.params.get("batch_id"), uploaded_by=job.owner).first()
    if batch is None:
        raise JobError("批量上传记录不存在。")
    pages = scanning.process(job.owner, batch, progress)
    matched = sum(1 for page in pages if page.letter_id)
    report = f"共 {len(pages)} 页，匹配 {matched} 页，未匹配 {len(pages) - matched} 页。\n"
    report += "\n".join(f"第 {p.index} 页（{p.source_name}）：{p.get_outcome_display()}" for p in pages)
    return "识别结果.txt", report.encode()
