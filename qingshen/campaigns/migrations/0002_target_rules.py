"""The audit targets of the seed's notices (审核目标 1–4), as reference data."""

from django.db import migrations

RULES = [
    ("1", "有指标体系的行业整体达到二级",
     "有行业清洁生产标准或清洁生产评价指标体系的行业，开展清洁生产审核后，整体对标达到“清洁生产二级及以上水平”或“国内先进水平”。"),
    ("2", "无指标体系的行业达到国内先进",
     "无行业清洁生产标准或清洁生产评价指标体系的行业，开展清洁生产审核后，对照同行业整体达到同行业清洁生产国内先进水平。"),
    ("3", "园区内企业涉水指标达到二级",
     "工业园区（按照要求编制完成规划环评文件并通过审查的工业园区）内企业，涉水指标要达到或优于清洁生产评价指标体系的 II 级基准值或同行业清洁生产国内先进水平。"),
    ("4", "园区外或废水未集中处理的企业涉水指标达到一级",
     "工业园区（按照要求编制完成规划环评文件并通过审查的工业园区）外企业或废水没有进入污水集中治理设施的企业，涉水指标要达到清洁生产评价指标体系的 I 级基准值或同行业清洁生产国际先进水平。"),
]


def load(apps, schema_editor):
    TargetRule = apps.get_model("campaigns", "TargetRule")
    for code, title, text in RULES:
        TargetRule.objects.update_or_create(code=code, defaults={"title": title, "text": text})


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
