"""A product's GTIN (the GS1 barcode number), for stamps whose QR codes follow GS1 Digital Link (issue 21).

On SQLite, adding a column rebuilds the product table, which drops the search index's triggers: they are made
again (with the index) right after."""

from django.db import migrations, models

import ocop.core.gs1
from ocop.catalog.migrations import _search_index_0009 as search_index


def _rebuild_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in [*search_index.SQLITE_BACKWARD, *search_index.SQLITE_FORWARD]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_ranked_search_index"),
    ]

    operations = [
        # Backwards, removing the column rebuilds the table again: the index is made once more after it.
        migrations.RunPython(migrations.RunPython.noop, _rebuild_sqlite_index, elidable=False),
        migrations.AddField(
            model_name="product",
            name="gtin",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="The GS1 barcode number on the package (8, 12, 13 or 14 digits), if the product has one.",
                max_length=14,
                validators=[ocop.core.gs1.gtin_validate],
                verbose_name="GTIN (barcode number)",
            ),
        ),
        migrations.RunPython(_rebuild_sqlite_index, migrations.RunPython.noop, elidable=False),
    ]
