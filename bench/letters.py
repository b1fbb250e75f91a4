"""Benchmark: notice letters (告知书) for a 190-enterprise batch.

    .venv/bin/python bench/letters.py [--enterprises 190] [--test-hashers]

Builds a throw-away SQLite database (or uses DATABASE_URL's server, in a database named
`<name>_bench`), registers the enterprises in the counties of the cities the province's
notice names — 石家庄、廊坊、保定、沧州、定州 and 雄安 (高阳县 gets 30, the rest are spread
evenly) — and runs the campaign through the services: the campaign and its calendar (Baoding
tightens the evaluation date), the roster (published, verified by every county and city,
approved), the task notice (issued, dispatched to the counties). Then it generates every
letter with `notices.services.prepare_letter`, as a county does, and reports:

- letters per second and the time per letter (mean, median, 95th percentile), with the part
  spent in WeasyPrint (`letters.render`, QR codes included) and the rest (account, activation
  code hash, stored file, audit event);
- the per-letter render cost relative to rendering a blank one-page document with the same
  engine and the same fonts (one character in Noto Serif CJK SC, and one in each of the
  letter's two faces, regular and bold);
- the merged-PDF batch job (批量下载企业告知书, notices.letters) for 高阳县, once generating its
  letters and once merging letters already generated.

Passwords are hashed with the production hasher (Argon2 at Django's default cost), as a real
county's request would; `--test-hashers` uses the test suite's cheap Argon2 instead. Wall and
CPU time are both given: on a busy machine the CPU time is the steadier figure.
"""

import argparse
import io
import statistics

from common import Clock, start_django

CITIES = ["130100", "131000", "130600", "130900", "130682", "133100"]  # 石家庄 廊坊 保定 沧州 定州 雄安
BIG_COUNTY = "130628"  # 高阳县 (Baoding): printing and dyeing, many water-related enterprises
BIG_COUNT = 30


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=190)
    parser.add_argument("--test-hashers", action="store_true", help="the test suite's cheap Argon2")
    args = parser.parse_args()
    workdir = start_django()
    import logging

    logging.getLogger("django.tasks").setLevel(logging.WARNING)  # one line per job run otherwise
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    if connection.vendor == "postgresql":
        from django.test.utils import setup_databases

        settings.DATABASES["default"]["TEST"] = {"NAME": f"{settings.DATABASES['default']['NAME']}_bench"}
        setup_databases(verbosity=0, interactive=False)
    else:
        call_command("migrate", verbosity=0)
    # Test settings keep files in a temporary folder; the bench keeps them in its own.
    override_settings(STORAGES={**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(workdir / "files")}}},
    ).enable()
    if not args.test_hashers:
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]).enable()

    world = build(args.enterprises)
    report(world, args)


# --- the batch, through the services ----------------------------------------------------------


def blank_pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile("盖章件.pdf", buffer.getvalue(), content_type="application/pdf")


def build(count):
    from datetime import date

    from qingshen.accounts.models import User
    from qingshen.campaigns import services as campaigns
    from qingshen.campaigns.models import MilestoneKind, TargetRule
    from qingshen.enterprises.models import Enterprise
    from qingshen.industries.models import Industry
    from qingshen.notices import services as notices
    from qingshen.notices.models import NoticeTask
    from qingshen.organizations.models import Organization
    from qingshen.regions.models import Region
    from qingshen.rosters import services as rosters

    users = {}

    def user(code):
        if code not in users:
            organization = Organization.objects.get(region_id=code, kind__in=Organization.DEPARTMENT_KINDS)
            account = User(username=code, full_name=organization.name, organization=organization,
                           role=organization.role, is_department_account=True, must_change_password=False)
            account.set_unusable_password()
            account.save()
            users[code] = account
        return users[code]

    with Clock() as clock:
        cities = list(Region.objects.filter(code__in=CITIES))
        units = []  # the regions whose department notifies enterprises
        for city in cities:
            counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
            units.extend(counties or [city])
        industries = list(Industry.objects.filter(level="class", code__startswith="17").values_list("pk", flat=True))
        big = Region.objects.get(code=BIG_COUNTY)
        spread = [u for u in units if u.code != BIG_COUNTY]
        big_count = min(BIG_COUNT, count // 2)  # a small trial run still leaves letters for the one-by-one part
        regions = [big] * big_count + [spread[n % len(spread)] for n in range(count - big_count)]
        enterprises = [Enterprise.objects.create(
            name=f"{region.name}基准测试印染有限公司{n:03d}", region=region, industry_id=industries[n % len(industries)],
            water_related=True, double_exceed=n % 5 == 0) for n, region in enumerate(regions, start=1)]

        province, baoding = user("130000"), user("130600")
        campaign = campaigns.create_campaign(
            province, document_number="冀环清洁〔2021〕392号", batch="第二批", name="2021年白洋淀流域涉水企业（第二批）清洁生产审核",
            year=2021, code="2021-392", scope="白洋淀流域涉水企业", issue_date=date(2021, 9, 30),
            requirements="按照附件文本要求做好清洁生产审核实施工作。",
            letter_preamble="根据《白洋淀生态环境综合治理方案（2020—2022年）》对白洋淀流域涉水行业企业2022年全部达到清洁化生产水平的"
                            "工作要求，你公司列入2021年第二批白洋淀流域涉水企业清洁生产审核名单",
            contact_person="王某", contact_phone="0311-00000000", target_rules=TargetRule.objects.all())
        for n, enterprise in enumerate(enterprises):
            campaigns.add_member(province, campaign, enterprise, reasons=["key_task"],
                                 handling_level="province" if n % 19 == 0 else "city")
        for kind, day in ((MilestoneKind.DISCLOSURE, date(2021, 10, 30)),
                          (MilestoneKind.EVALUATION_APPLICATION, date(2022, 3, 1)),
                          (MilestoneKind.EVALUATION_DONE, date(2022, 3, 31)),
                          (MilestoneKind.ACCEPTANCE_APPLICATION, date(2022, 6, 1)),
                          (MilestoneKind.ACCEPTANCE_DONE, date(2022, 6, 30))):
            campaigns.set_milestone(province, campaign, kind=kind, due_date=day)
        campaigns.set_milestone(province, campaign, kind=MilestoneKind.NOTIFY, days_after_publication=10)
        campaigns.set_milestone(baoding, campaign, kind=MilestoneKind.EVALUATION_APPLICATION, due_date=date(2022, 2, 1),
                                document_number="(2021)—34")

        rosters.publish(province, campaign.roster_tasks.get(level="province"), attested=True)
        for city_task in campaign.roster_tasks.filter(level="city").select_related("organization__region"):
            city = user(city_task.organization.region_id)
            if city_task.has_lower_level:
                rosters.dispatch(city, city_task, attested=True)
                for county_task in city_task.children.select_related("organization__region"):
                    rosters.submit(user(county_task.organization.region_id), county_task, stamped_list=blank_pdf())
                    rosters.approve(city, county_task)
            rosters.submit(city, city_task, stamped_list=blank_pdf())
            rosters.approve(province, city_task)

        notices.issue(province, campaign)
        city_tasks = NoticeTask.objects.filter(campaign=campaign, level="city").select_related("organization__region")
        for city_task in city_tasks:
            if not city_task.notifies_enterprises:
                notices.dispatch(user(city_task.organization.region_id), city_task, attested=True)
        tasks = [task for task in NoticeTask.objects.filter(campaign=campaign).select_related("organization__region")
                 if task.notifies_enterprises]
    print(f"set-up: {count} enterprises in {len({e.region_id for e in enterprises})} counties, campaign, calendar, "
          f"roster and notice through the services in {clock.wall:.1f} s; {len(tasks)} notifying departments")
    return {"campaign": campaign, "tasks": tasks, "user": user}


# --- the measurements -------------------------------------------------------------------------


def blank_render_times(repeat=20):
    """Seconds to render a blank A4 page carrying one character: in the body face, and in each
    of the letter's two faces (the same engine and font configuration as a letter)."""
    from qingshen.core.pdf import render_html_pdf

    page = ('<html><head><style>@page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }} '
            'html {{ font-family: "Noto Serif CJK SC"; font-size: 14pt; }}</style></head><body>{}</body></html>')
    documents = {"one character": page.format("<p>字</p>"),
                 "one character in each face": page.format("<p>字</p><p style='font-weight: 700'>字</p>")}
    times = {}
    for label, html in documents.items():
        render_html_pdf(html)
        samples = []
        for _ in range(repeat):
            with Clock() as clock:
                render_html_pdf(html)
            samples.append(clock)
        times[label] = (statistics.median(c.wall for c in samples), statistics.median(c.cpu for c in samples))
    return times


def report(world, args):
    from pypdf import PdfReader

    from qingshen.jobs.models import Job
    from qingshen.jobs.services import start_job
    from qingshen.notices import letters as letter_rendering
    from qingshen.notices import services as notices
    from qingshen.notices.jobs import LETTERS_KIND

    campaign, tasks, user = world["campaign"], world["tasks"], world["user"]
    big_task = next(task for task in tasks if task.organization.region_id == BIG_COUNTY)
    milestones = notices.campaign_milestones(campaign)

    # Time spent in WeasyPrint (letters.render, QR codes included), per call.
    rendering = []
    original_render = letter_rendering.render

    def timed_render(contents):
        with Clock() as clock:
            pdf = original_render(contents)
        rendering.append(clock)
        return pdf

    letter_rendering.render = timed_render

    # Warm up (fonts loaded, templates compiled) on a letter outside the measured batch.
    warm = big_task.members().order_by("seq").first()
    notices.prepare_letter(user(BIG_COUNTY), big_task, warm, milestones=milestones)

    # 1. The merged-PDF job for 高阳县, generating its letters (all but the warm-up one).
    big_members = big_task.members().count()
    rendering.clear()
    merged_pdf = {"task_id": big_task.pk, "format": "pdf"}
    with Clock() as job_generating:
        job = start_job(user(BIG_COUNTY), kind=LETTERS_KIND, title="bench", params=merged_pdf)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    big_rendered = len(rendering)

    # 2. Every other letter of the batch, one prepare_letter each, as counties click 生成.
    rendering.clear()
    per_letter, sizes = [], []
    with Clock() as batch:
        for task in tasks:
            if task.pk == big_task.pk:
                continue
            actor = user(task.organization.region_id)
            for member in task.members().order_by("seq", "pk"):
                with Clock() as clock:
                    _, pdf, _ = notices.prepare_letter(actor, task, member, milestones=milestones)
                per_letter.append(clock)
                sizes.append(len(pdf))
    letter_rendering.render = original_render
    count = len(per_letter)

    # 3. The merged-PDF job for 高阳县 again: its letters exist, it only merges them.
    with Clock() as job_merging:
        job = start_job(user(BIG_COUNTY), kind=LETTERS_KIND, title="bench", params=merged_pdf)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    merged = job.result.read()
    merged_pages = len(PdfReader(io.BytesIO(merged)).pages)

    blank = blank_render_times()
    wall = sorted(c.wall for c in per_letter)
    render_wall = statistics.mean(c.wall for c in rendering)
    render_cpu = statistics.mean(c.cpu for c in rendering)
    total_wall = statistics.mean(wall)
    total_cpu = statistics.mean(c.cpu for c in per_letter)
    blank_wall, blank_cpu = blank["one character"]
    faces_wall, faces_cpu = blank["one character in each face"]

    hashers = "test Argon2 (cheap)" if args.test_hashers else "production Argon2"
    print()
    print(f"Letters generated one by one (prepare_letter): {count} letters, {len(tasks) - 1} departments, {hashers}")
    print(f"{'':50}{'wall':>10}{'CPU':>10}")
    rows = [
        ("batch total", f"{batch.wall:.1f} s", f"{batch.cpu:.1f} s"),
        ("letters per second", f"{count / batch.wall:.2f}", f"{count / batch.cpu:.2f}"),
        ("time per letter, mean", f"{total_wall * 1000:.0f} ms", f"{total_cpu * 1000:.0f} ms"),
        ("time per letter, median", f"{statistics.median(wall) * 1000:.0f} ms", ""),
        ("time per letter, 95th percentile", f"{wall[int(0.95 * (count - 1))] * 1000:.0f} ms", ""),
        ("  of which WeasyPrint (letters.render)", f"{render_wall * 1000:.0f} ms", f"{render_cpu * 1000:.0f} ms"),
        ("  of which the rest (account, hash, file, audit)", f"{(total_wall - render_wall) * 1000:.0f} ms",
         f"{(total_cpu - render_cpu) * 1000:.0f} ms"),
        ("blank A4 page, one character (same engine)", f"{blank_wall * 1000:.0f} ms", f"{blank_cpu * 1000:.0f} ms"),
        ("blank A4 page, one character in each face", f"{faces_wall * 1000:.0f} ms", f"{faces_cpu * 1000:.0f} ms"),
        ("letter render ÷ blank page (one face)", f"{render_wall / blank_wall:.1f} ×",
         f"{render_cpu / blank_cpu:.1f} ×"),
        ("letter render ÷ blank page (both faces)", f"{render_wall / faces_wall:.1f} ×",
         f"{render_cpu / faces_cpu:.1f} ×"),
        ("whole letter ÷ blank page (one face)", f"{total_wall / blank_wall:.1f} ×", f"{total_cpu / blank_cpu:.1f} ×"),
        ("letter PDF size, mean", f"{statistics.mean(sizes) / 1024:.0f} KB", ""),
    ]
    for label, a, b in rows:
        print(f"{label:50}{a:>10}{b:>10}")
    print()
    print(f"Merged-PDF batch job (批量下载企业告知书) for 高阳县, {big_members} letters")
    print(f"{'  generating ' + str(big_rendered) + ' letters, then merging':50}{job_generating.wall:>8.1f} s"
          f"{job_generating.cpu:>8.1f} s")
    print(f"{'  merging letters already generated':50}{job_merging.wall:>8.1f} s{job_merging.cpu:>8.1f} s")
    print(f"{'  merged PDF':50}{merged_pages:>6} pages, {len(merged) / 1024 / 1024:.1f} MB")


if __name__ == "__main__":
    main()
