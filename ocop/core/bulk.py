"""Inserting many rows at once, for imports of 100,000 rows.

`bulk_insert` does what `QuerySet.bulk_create` does for plain models (multi-row INSERT … RETURNING id,
primary keys set on the objects, auto_now fields filled) without the compiler's per-value work, which
is most of the time of a large import. It converts each value with the database backend's own adapters,
so the stored rows are the same as bulk_create's (a test checks that on both databases). Models with
multi-table inheritance, pre-set primary keys or save() logic are not for it: use bulk_create.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

Converter = Callable[[Any], Any] | None


def _converter(field: models.Field, connection: Any) -> Converter:
    ops = connection.ops
    internal = field.get_internal_type()
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    if internal == "DateTimeField":
        return ops.adapt_datetimefield_value
    if internal == "DateField":
        return ops.adapt_datefield_value
    if internal == "TimeField":
        return ops.adapt_timefield_value
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    if internal in ("UUIDField", "GenericIPAddressField", "BinaryField", "DurationField"):
        return lambda value: field.get_db_prep_save(value, connection)
    return None  # text, numbers, booleans and foreign keys go to the driver as they are


def bulk_insert(objs: Sequence[models.Model], *, batch_size: int = 500) -> None:
    """Insert `objs` (all of one model, none saved yet) and set their primary keys."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    alias = router.db_for_write(model)
    connection = connections[alias]
    fields = [
        f for f in meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)
    ]  # fmt: skip
    converters = [_converter(f, connection) for f in fields]
    now = timezone.now()
    stamped = [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    table = quote(meta.db_table)
    pk_column = quote(str(meta.pk.column)) if meta.pk is not None else "id"
    attnames = [f.attname for f in fields]
    postgres = connection.vendor == "postgresql"
    if postgres:
        # One array per column, as Django's own bulk_create does on PostgreSQL: the statement stays small
        # whatever the number of rows, where a VALUES list would carry one parameter per cell.
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
        unnest_sql = f"INSERT INTO {table} ({columns}) SELECT * FROM UNNEST({arrays}) RETURNING {pk_column}"  # noqa: S608
        batch_size = max(batch_size, 5000)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            rows: list[list[Any]] = []
            for obj in batch:
                for name in stamped:
                    setattr(obj, name, now)
                rows.append(
                    [
                        value if convert is None or value is None else convert(value)
                        for value, convert in zip((getattr(obj, name) for name in attnames), converters, strict=True)
                    ]
                )
            if postgres:
                cursor.execute(unnest_sql, [list(column) for column in zip(*rows, strict=True)])
            else:
                values = ", ".join([placeholder] * len(batch))
                # Names come from the model's metadata; every value is bound as a parameter.
                sql = f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {pk_column}"  # noqa: S608
                cursor.execute(sql, [value for row in rows for value in row])
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = alias
