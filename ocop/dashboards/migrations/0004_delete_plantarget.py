"""Plan targets live on as the programme office's plans and targets (office 0002 copied them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0003_span_moved_to_certification"),
        ("office", "0002_plan_targets_moved"),
    ]

    operations = [migrations.DeleteModel(name="PlanTarget")]
