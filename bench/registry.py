"""Benchmark: the enterprise registry at province scale.

    .venv/bin/python bench/registry.py [--enterprises 20000]

Builds a throw-away SQLite database (or uses DATABASE_URL's server, in a database named
`<name>_bench`), fills it with synthetic enterprises spread over every county of the region
tree, and reports, for a province user and a county user: the list page (first page and a
filtered page) time and query count, the export job's time, and the import check of a
2,000-row file. Targets: list pages under 300 ms and a constant query count; export of 20,000
rows under 30 s; checking a 2,000-row file under 5 s.
"""

import argparse
import io
import time

from common import start_django


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=20000)
    args = parser.parse_args()
    workdir = start_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from openpyxl import Workbook

    # No setup_test_environment(): its template instrumentation would inflate the timings.
    if connection.vendor == "postgresql":
        from django.test.utils import setup_databases

        settings.DATABASES["default"]["TEST"] = {"NAME": f"{settings.DATABASES['default']['NAME']}_bench"}
        setup_databases(verbosity=0, interactive=False)
    else:
        call_command("migrate", verbosity=0)

    from qingshen.accounts.models import User
    from qingshen.enterprises import importing
    from qingshen.enterprises.models import Enterprise
    from qingshen.industries.models import Industry
    from qingshen.jobs.services import start_job
    from qingshen.organizations.models import Organization
    from qingshen.regions.models import Region

    counties = list(Region.objects.filter(level="county"))
    classes = list(Industry.objects.filter(level="class").values_list("code", flat=True))
    started = time.perf_counter()
    batch = []
    for n in range(args.enterprises):
        region = counties[n % len(counties)]
        batch.append(Enterprise(
            name=f"基准测试企业{n:06d}", region=region, industry_id=classes[n % len(classes)],
            province_code=region.province_code, city_code=region.city_code, county_code=region.county_code,
            water_related=n % 3 == 0, double_exceed=n % 7 == 0,
        ))
    Enterprise.objects.bulk_create(batch, batch_size=2000)
    print(f"synthetic data: {args.enterprises} enterprises in {time.perf_counter() - started:.1f} s")

    def user(code):
        org = Organization.objects.get(region_id=code, kind__in=Organization.DEPARTMENT_KINDS)
        account = User(username=f"bench{code}", full_name=org.name, organization=org, role=org.role,
                       is_department_account=False, must_change_password=False)
        account.set_unusable_password()
        account.save()
        return account

    for label, account in (("province", user("130000")), ("county 涿州", user("130681"))):
        client = Client()
        client.force_login(account)
        for path in ("/enterprises/", "/enterprises/?water_related=true&q=基准", "/api/enterprises/"):
            client.get(path)
            timings = []
            for _ in range(5):
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    response = client.get(path)
                    timings.append(time.perf_counter() - t0)
                assert response.status_code == 200
            print(f"{label:12} {path:45} median {sorted(timings)[2] * 1000:6.1f} ms  {len(queries)} queries")
        t0 = time.perf_counter()
        job = start_job(account, kind="enterprises.export", title="bench", params={"query": ""})
        job.refresh_from_db()
        print(f"{label:12} export job: {job.progress_total} rows in {time.perf_counter() - t0:.1f} s ({job.status})")

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["企业名称", "所属区县", "行业代码", "是否涉水企业"])
    for n in range(2000):
        sheet.append([f"导入基准企业{n:05d}", "涿州市", classes[n % len(classes)], "是"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    province = User.objects.get(username="bench130000")
    t0 = time.perf_counter()
    preview = importing.check_file(province, "bench.xlsx", buffer.getvalue())
    print(f"import check: {len(preview.rows)} rows, {preview.error_count} errors, {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
