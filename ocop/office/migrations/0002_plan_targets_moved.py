"""The dashboards' plan targets (a count of products per period, per province or the nation) become targets of
plans: one plan per place and period, one "products certified" target per level."""

from django.db import migrations


def forwards(apps, schema_editor):
    PlanTarget = apps.get_model("dashboards", "PlanTarget")
    Plan = apps.get_model("office", "Plan")
    Target = apps.get_model("office", "Target")
    plans = {}
    for old in PlanTarget.objects.order_by("pk"):
        key = (old.province_id, old.start_year, old.end_year)
        plan = plans.get(key)
        if plan is None:
            period = str(old.start_year) if old.start_year == old.end_year else f"{old.start_year}–{old.end_year}"
            plan = plans[key] = Plan.objects.create(
                kind="plan", name=f"Kế hoạch thực hiện Chương trình OCOP {period}", number=old.source[:60],
                province_id=old.province_id, owner_province_id=old.province_id, start_year=old.start_year,
                end_year=old.end_year, created_by_id=old.created_by_id,
            )
        Target.objects.get_or_create(plan=plan, indicator="certified", stars=old.stars, year=None,
                                     defaults={"value": old.target})


class Migration(migrations.Migration):
    dependencies = [("office", "0001_initial"), ("dashboards", "0003_span_moved_to_certification")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
