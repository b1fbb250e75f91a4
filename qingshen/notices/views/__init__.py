"""清审任务管理: the notice passed down province → city → county → enterprises, step by step as
the seed's operating guide shows it (省任务信息, 市/县任务信息, 企业名单, 告知书, 下发任务).

Every page starts from `NoticeTask.objects.restrict(user)` (or a row reached through such a
task), so a task outside the user's jurisdiction does not exist (404). Letters, their stamped
copies and bulk scans carry the enterprises' activation codes: inside the jurisdiction, only
the department that notifies the enterprises may open them (403 for everyone else).
Every change goes through `qingshen.notices.services`.
"""
