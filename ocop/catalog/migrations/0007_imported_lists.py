"""A product's group may be unknown ("chưa phân nhóm") when an imported list did not say.

SQLite makes a column nullable by rebuilding the table, which drops the full-text triggers of 0003: they are
made again (and the index rebuilt) after the change.
"""

import django.db.models.deletion
from django.db import migrations, models

from ocop.catalog.migrations import _search_index_0003 as search_index


def _sqlite_search_index_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in search_index.SQLITE_BACKWARD + search_index.SQLITE_FORWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_certificate_status_choices"),
    ]

    operations = [
        migrations.AlterField(
            model_name="product",
            name="category",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty (“chưa phân nhóm”) when an imported list did not say; officers classify such products.",
                limit_choices_to={"is_leaf": True},
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="products",
                to="catalog.category",
                verbose_name="product group",
            ),
        ),
        migrations.RunPython(_sqlite_search_index_again, _sqlite_search_index_again),
    ]
