"""PostgreSQL: a narrow copy of the product table for counting search matches (issue 20; the SQL and why:
`_search_rows_0013`)."""

from django.db import migrations

from ocop.catalog.migrations import _search_rows_0013 as search_rows


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0012_search_prefix_tokens")]

    operations = [migrations.RunPython(_run(search_rows.FORWARD), _run(search_rows.BACKWARD))]
