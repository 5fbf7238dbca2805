"""Photos done properly (renditions, sizes, officers' hiding) and the product's cover for cards.

SQLite adds a column with a default by rebuilding the table, which drops the full-text triggers of 0003: they are
made again (and the index rebuilt) after the change, as in 0007.
"""

from django.db import migrations, models

from ocop.catalog.migrations import _search_index_0003 as search_index


def _sqlite_search_index_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in search_index.SQLITE_BACKWARD + search_index.SQLITE_FORWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_imported_lists"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="cover",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name="product",
            name="text_hidden",
            field=models.BooleanField(
                default=False,
                help_text="Set by an officer when the producer's own text must not be shown (the audit trail says why).",
                verbose_name="description and story hidden",
            ),
        ),
        migrations.AddField(
            model_name="productimage",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, null=True),
        ),
        migrations.AddField(
            model_name="productimage",
            name="height",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="productimage",
            name="hidden",
            field=models.BooleanField(default=False, verbose_name="hidden by an officer"),
        ),
        migrations.AddField(
            model_name="productimage",
            name="renditions",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name="productimage",
            name="width",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(_sqlite_search_index_again, _sqlite_search_index_again),
    ]
