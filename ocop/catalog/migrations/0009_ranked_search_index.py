"""Search that does less (issue 20): a lean search document (producer and place; category names are filters, not
words), the search index ordered by rank (SQLite: FTS5 rowids; PostgreSQL: a rank column and a name-only
tsvector), and the vocabulary table of the typo fallback."""

from django.db import migrations, models

from ocop.catalog.migrations import _search_index_0003 as old_index
from ocop.catalog.migrations import _search_index_0009 as new_index
from ocop.core.text import vn_fold

CHUNK = 5000


def _lean_documents(apps, schema_editor):
    """Producer, commune (or former district), province and former province — no category names."""
    Product = apps.get_model("catalog", "Product")
    rows = Product.objects.order_by("pk").values_list(
        "pk", "producer__name", "producer__commune__name", "producer__legacy_district__name",
        "producer__province__name", "producer__legacy_province__name",
    )  # fmt: skip
    updates = []
    with schema_editor.connection.cursor() as cursor:
        for pk, producer, commune, district, province, legacy in rows.iterator(chunk_size=CHUNK):
            parts = [producer or "", commune or district or "", province or ""]
            if legacy and legacy != province:
                parts.append(legacy)
            updates.append((vn_fold(" ".join(p for p in parts if p)), pk))
            if len(updates) >= CHUNK:
                cursor.executemany("UPDATE catalog_product SET search_document = %s WHERE id = %s", updates)
                updates = []
        if updates:
            cursor.executemany("UPDATE catalog_product SET search_document = %s WHERE id = %s", updates)


def _forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in old_index.SQLITE_BACKWARD:
            schema_editor.execute(statement)
    _lean_documents(apps, schema_editor)
    statements = {"sqlite": new_index.SQLITE_FORWARD, "postgresql": new_index.POSTGRES_FORWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def _backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": new_index.SQLITE_BACKWARD + old_index.SQLITE_FORWARD,
                  "postgresql": new_index.POSTGRES_BACKWARD}.get(vendor, [])  # fmt: skip
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_product_pictures")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=100, primary_key=True, serialize=False)),
                ("ndoc", models.PositiveIntegerField()),
            ],
        ),
        migrations.RunPython(_forward, _backward),
    ]
