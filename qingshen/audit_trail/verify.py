"""Walk the hash chain from the first event to the head and report the first break."""

from dataclasses import dataclass

from qingshen.audit_trail.hashing import compute_hash
from qingshen.audit_trail.models import GENESIS_HASH, ChainHead, Event


@dataclass
class Verdict:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""


def verify_chain() -> Verdict:
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for event in Event.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return Verdict(False, checked, expected_seq, f"事件 #{expected_seq} 缺失（下一条为 #{event.seq}）")
        if event.prev_hash != prev_hash:
            return Verdict(False, checked, event.seq, f"事件 #{event.seq} 的前一哈希与链不符")
        if compute_hash(event) != event.hash:
            return Verdict(False, checked, event.seq, f"事件 #{event.seq} 的内容已被修改")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:
        return Verdict(False, checked, None, "链头记录缺失：审计链头表被改动")
    if head.seq != checked or head.hash != prev_hash:
        return Verdict(False, checked, checked + 1, f"链头记录到 #{head.seq}，但日志只到 #{checked}：末尾事件被删除")
    return Verdict(True, checked)
