"""Benchmark: the province's supervision pages as the roster grows — 统计看板 first (the issue's
target), and beside it 时间节点督办, 执法移交清单 and the province's 工作总结 draft (its figures).

    .venv/bin/python bench/dashboard.py [--sizes 1000 10000]

Builds a throw-away SQLite database (or uses DATABASE_URL's server, in a database named
`<name>_bench`), creates a campaign with the province's calendar (every date already past, so
most lines are overdue on something), and for each size in turn — cumulatively, the next size
adds to the previous — loads synthetic enterprises spread over every county of the region tree
with their roster lines and events: the letter dispatched for 90 %, the audit project accepted
for 70 % (two options each, one 无低费 implemented and one 中高费 proposed), the evaluation
application submitted for 40 % and its review passed for 20 %. Rows are bulk-created, so the
scope codes that `save()` would set are set here from the county.

Then, as the province department's account, it times the dashboard page (5 runs after a warm-up:
median wall and CPU time) and counts its queries; the same for the list behind the overdue figure
(`overdue=any`, first page) and for that list's .xlsx export (3 runs of the background job's
work, as the worker runs it: the page itself only starts the job); then 时间节点督办 filtered to
overdue steps, 执法移交清单 (every category) and the 工作总结 draft page with its live figures.
The issue's target: a
constant number of queries, and a time that grows far less than the roster (10,000 / 1,000
well under 10). Wall and CPU time are both given: on a busy machine the CPU time is steadier.
"""

import argparse
import statistics
from datetime import date, datetime, timedelta

from common import Clock, start_django

BATCH = 1000
RUNS = 5
EXPORT_RUNS = 3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    start_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        from django.test.utils import setup_databases

        settings.DATABASES["default"]["TEST"] = {"NAME": f"{settings.DATABASES['default']['NAME']}_bench"}
        setup_databases(verbosity=0, interactive=False)
    else:
        call_command("migrate", verbosity=0)

    world = World()
    results = []
    loaded = 0
    for size in sizes:
        with Clock() as load:
            world.load(loaded, size)
        loaded = size
        print(f"loading up to {size} enterprises and their events: {load.wall:.1f} s wall, "
              f"{load.cpu:.1f} s CPU", flush=True)
        results.append(measure(world, size))
    report(results)


class World:
    """The province account, the campaign and its calendar, and the synthetic roster."""

    def __init__(self):
        from qingshen.accounts.models import User
        from qingshen.campaigns import services as campaigns
        from qingshen.campaigns.models import MilestoneKind, TargetRule
        from qingshen.core.roles import Role
        from qingshen.industries.models import Industry
        from qingshen.notices.models import NoticeTask
        from qingshen.organizations.models import Organization
        from qingshen.regions.models import Region

        department = Organization.objects.get(region_id="130000", kind=Organization.Kind.PROVINCE_DEPARTMENT)
        self.province = User(username="130000", full_name=department.name, organization=department,
                             role=department.role, is_department_account=True, must_change_password=False)
        self.province.set_unusable_password()
        self.province.save()
        # Letters name the enterprise's account; the dashboard never reads it, so one stands for all.
        self.account = User(username="bench-enterprise", full_name="基准测试企业账号", role=Role.ENTERPRISE,
                            is_department_account=False, must_change_password=False)
        self.account.set_unusable_password()
        self.account.save()
        self.campaign = campaigns.create_campaign(
            self.province, document_number="冀环基准〔2021〕1号", batch="基准批", name="基准测试清洁生产审核",
            year=2021, code="2021-BENCH", scope="全省基准测试企业", issue_date=date(2021, 9, 30),
            requirements="基准测试。", letter_preamble="基准测试", contact_person="基准",
            contact_phone="0311-00000000", target_rules=TargetRule.objects.all(),
        )
        for kind, day in ((MilestoneKind.DISCLOSURE, date(2021, 10, 30)),
                          (MilestoneKind.EVALUATION_APPLICATION, date(2022, 3, 1)),
                          (MilestoneKind.EVALUATION_DONE, date(2022, 3, 31)),
                          (MilestoneKind.ACCEPTANCE_APPLICATION, date(2022, 6, 1)),
                          (MilestoneKind.ACCEPTANCE_DONE, date(2022, 6, 30))):
            campaigns.set_milestone(self.province, self.campaign, kind=kind, due_date=day)
        campaigns.set_milestone(self.province, self.campaign, kind=MilestoneKind.NOTIFY, due_date=date(2021, 11, 15))
        self.counties = list(Region.objects.filter(level="county").order_by("code"))
        self.classes = list(Industry.objects.filter(level="class").order_by("code").values_list("code", flat=True))
        self.tasks = {}
        for organization in Organization.objects.filter(
                kind=Organization.Kind.COUNTY_BRANCH, region__level="county").select_related("region"):
            task = NoticeTask(campaign=self.campaign, organization=organization, level="county",
                              status=NoticeTask.Status.DISPATCHED)
            task.save()
            self.tasks[organization.region_id] = task

    def load(self, start: int, stop: int):
        """Enterprises start … stop-1 with their roster lines and events, in batches."""
        for first in range(start, stop, BATCH):
            self._batch(range(first, min(first + BATCH, stop)))

    def _batch(self, numbers):
        from django.utils import timezone

        from qingshen.applications.models import Application
        from qingshen.campaigns.models import CampaignEnterprise, HandlingLevel
        from qingshen.enterprises.models import Enterprise
        from qingshen.notices.models import NoticeLetter
        from qingshen.options.models import Option
        from qingshen.projects.models import AuditProject
        from qingshen.reviews.models import Review

        def moment(day):
            return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=10))

        def scope(region):
            return {"province_code": region.province_code, "city_code": region.city_code,
                    "county_code": region.county_code}

        regions = {n: self.counties[n % len(self.counties)] for n in numbers}
        enterprises = Enterprise.objects.bulk_create([
            Enterprise(name=f"基准测试企业{n:06d}", region=regions[n], industry_id=self.classes[n % len(self.classes)],
                       water_related=n % 3 == 0, **scope(regions[n])) for n in numbers])
        members = CampaignEnterprise.objects.bulk_create([
            CampaignEnterprise(campaign=self.campaign, enterprise=enterprise, reasons=["key_task"], seq=n + 1,
                               handling_level=HandlingLevel.PROVINCE if n % 2 else HandlingLevel.CITY,
                               **scope(regions[n]))
            for n, enterprise in zip(numbers, enterprises)])
        lines = list(zip(numbers, enterprises, members))
        NoticeLetter.objects.bulk_create([
            NoticeLetter(task=self.tasks[regions[n].code], member=member, number=f"2021-BENCH-{n:06d}",
                         account=self.account, generated_at=moment(date(2021, 10, 20)),
                         dispatched_at=moment(date(2021, 11, 1) + timedelta(days=n % 30)), **scope(regions[n]))
            for n, _, member in lines if n % 10 < 9])
        projects = AuditProject.objects.bulk_create([
            AuditProject(member=member, campaign=self.campaign, enterprise=enterprise, number=f"BENCH{n:06d}",
                         project_lead="张三", project_lead_mobile="13800138000", accepted_by=self.account,
                         accepted_at=moment(date(2021, 11, 20)), **scope(regions[n]))
            for n, enterprise, member in lines if n % 10 < 7])
        numbered = {member.pk: n for n, _, member in lines}
        Option.objects.bulk_create([
            Option(project=project, code=f"F{k + 1}", name=name, cost_class=cost_class, status=status,
                   investment=investment, economic_benefit=benefit, water_saved=water,
                   **scope(regions[numbered[project.member_id]]))
            for project in projects
            for k, (name, cost_class, status, investment, benefit, water) in enumerate((
                ("加强跑冒滴漏管理", Option.CostClass.LOW, Option.Status.IMPLEMENTED, "2.50", "1.20", "300"),
                ("中水回用改造", Option.CostClass.HIGH, Option.Status.PROPOSED, "85.00", "12.00", "20000")))])
        applying = [project for project in projects if numbered[project.member_id] % 10 < 4]
        applications = Application.objects.bulk_create([
            Application(project=project, stage="evaluation", status=Application.Status.SUBMITTED,
                        submitted_at=moment(date(2022, 2, 15)), submitted_by=self.account,
                        due_date=date(2022, 3, 1), **scope(regions[numbered[project.member_id]]))
            for project in applying])
        Review.objects.bulk_create([
            Review(application=application, project=application.project, stage="evaluation",
                   handling_level=application.project.member.handling_level, status=Review.Status.PASSED,
                   arrived_at=moment(date(2022, 3, 10)), decided_at=moment(date(2022, 3, 20)),
                   **scope(regions[numbered[application.project.member_id]]))
            for application in applications if numbered[application.project.member_id] % 10 < 2])


def timed(client, path, runs) -> dict:
    """Median wall and CPU seconds of `runs` GETs after a warm-up, and the queries of one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    walls, cpus = [], []
    for _ in range(runs):
        with Clock() as clock:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        walls.append(clock.wall)
        cpus.append(clock.cpu)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "queries": len(queries),
            "bytes": len(response.content)}


def timed_job(owner, query, runs) -> dict:
    """The list export job's work (`supervision.exporting.export_list`, as the worker runs it):
    median wall and CPU seconds of `runs`, and the queries of one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qingshen.jobs.models import Job
    from qingshen.supervision.exporting import LIST_KIND, export_list

    job = Job.objects.create(owner=owner, kind=LIST_KIND, title="bench", params={"query": query})
    walls, cpus = [], []
    for _ in range(runs):
        with Clock() as clock:
            _, content = export_list(job, lambda done, total: None)
        walls.append(clock.wall)
        cpus.append(clock.cpu)
    with CaptureQueriesContext(connection) as queries:
        export_list(job, lambda done, total: None)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "queries": len(queries),
            "bytes": len(content)}


def measure(world, size) -> dict:
    from django.test import Client
    from django.urls import reverse

    from qingshen.supervision import dashboard

    client = Client()
    client.force_login(world.province)
    campaign = f"campaign={world.campaign.pk}"
    overdue = f"{campaign}&overdue={dashboard.OVERDUE_ANY}"
    overdue_lines = dashboard.overdue(world.province, world.campaign)[1]
    counts = dashboard.by_handling(world.province, world.campaign).total.counts
    print(f"  as the dashboard counts them: {', '.join(f'{s.label} {counts[s.key]}' for s in dashboard.STAGES)}; "
          f"overdue on something {overdue_lines}", flush=True)
    return {
        "size": size, "overdue": overdue_lines,
        "dashboard": timed(client, f"{reverse('supervision:dashboard')}?{campaign}", RUNS),
        "list": timed(client, f"{reverse('supervision:dashboard_list')}?{overdue}", RUNS),
        "export": timed_job(world.province, overdue, EXPORT_RUNS),
        "due": timed(client, f"{reverse('supervision:due')}?{campaign}&state=overdue", RUNS),
        "enforcement": timed(client, f"{reverse('enforcement:list')}?{campaign}", RUNS),
        "summary": timed(client, reverse("summaries:edit", args=[world.campaign.pk, "work"]), RUNS),
    }


#: (key, label) of what is measured, in the report's order.
MEASURED = (("dashboard", "dashboard"), ("list", "overdue list"), ("export", "its .xlsx (job)"),
            ("due", "时间节点督办"), ("enforcement", "执法移交清单"), ("summary", "工作总结 draft"))


def report(results):
    print()
    print(f"{'page':<18} " + " | ".join(f"{r['size']:>7,} wall/cpu s   q" for r in results))
    for key, label in MEASURED:
        print(f"{label:<18} " + " | ".join(f"{r[key]['wall']:6.3f} / {r[key]['cpu']:6.3f} {r[key]['queries']:>3}"
                                            for r in results))
    if len(results) >= 2:
        first, last = results[0], results[-1]
        print()
        for key, label in MEASURED:
            wall = last[key]["wall"] / first[key]["wall"]
            cpu = last[key]["cpu"] / first[key]["cpu"]
            same = {r[key]["queries"] for r in results}
            print(f"{label:<18} {last['size']:,}/{first['size']:,}: wall ×{wall:.2f}, cpu ×{cpu:.2f}; queries "
                  + ("equal at every size" if len(same) == 1 else
                     "DIFFER: " + ", ".join(str(r[key]["queries"]) for r in results)))


if __name__ == "__main__":
    main()
