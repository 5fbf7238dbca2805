"""PostgreSQL: a narrow copy of the product table for counting search matches (issue 20; the SQL and why:
`_search_rows_0013`)."""

from django.db import migrations

from ocop.catalog.migrations import _search_rows_0013 as search_rows
from ocop.catalog.migrations._vendor import on_postgresql


class Migration(migrations.Migration):
    dependencies = [("catalog", "0012_search_prefix_tokens")]

    operations = [migrations.RunPython(on_postgresql(search_rows.FORWARD), on_postgresql(search_rows.BACKWARD))]
