"""Inserting many rows at once, for imports of 100,000 rows.

`bulk_insert` does what `QuerySet.bulk_create` does for plain models (primary keys set on the objects,
auto_now fields filled) without the compiler's per-value work, which is most of the time of a large import:
on SQLite multi-row INSERT … RETURNING id; on PostgreSQL the ids taken from the table's sequence in one query
and the rows written by COPY (psycopg formats them in compiled code; the arrays of an INSERT … UNNEST were
dumped element by element in Python). It converts each value with the database backend's own adapters,
so the stored rows are the same as bulk_create's (a test checks that on both databases). Models with
multi-table inheritance, pre-set primary keys or save() logic are not for it: use bulk_create.
`insert_rows` writes plain tuples the same way, for derived tables whose rows need no model instance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
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


class _Insert:
    """The INSERT of some fields of a model, values converted with the backend's own adapters."""

    def __init__(self, model: type[models.Model], fields: Sequence[models.Field], *, returning: bool) -> None:
        meta = model._meta
        self.connection = connections[router.db_for_write(model)]
        connection = self.connection
        converters = [_converter(f, connection) for f in fields]
        self.converting = [(index, convert) for index, convert in enumerate(converters) if convert is not None]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(str(f.column)) for f in fields)
        self.placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
        self.table = quote(meta.db_table)
        pk_column = quote(str(meta.pk.column)) if meta.pk is not None else "id"
        self.returning = f" RETURNING {pk_column}" if returning else ""
        self.head = f"INSERT INTO {self.table} ({columns})"
        self.postgres = connection.vendor == "postgresql"
        # PostgreSQL: COPY, the rows streamed in psycopg's own (compiled) text format; the ids taken beforehand.
        self.copy_sql = f"COPY {self.table} ({columns}) FROM STDIN"

    def convert(self, values: Iterable[Any]) -> list[Any]:
        row = list(values)
        for index, convert in self.converting:  # most columns go to the driver as they are
            value = row[index]
            if value is not None:
                row[index] = convert(value)
        return row

    def execute(self, cursor: Any, rows: list[list[Any]]) -> None:
        """SQLite: one multi-row INSERT (a few hundred rows; SQLite caps a statement's parameters)."""
        values = ", ".join([self.placeholder] * len(rows))
        # Names come from the model's metadata; every value is bound as a parameter.
        cursor.execute(f"{self.head} VALUES {values}{self.returning}", [value for row in rows for value in row])

    def copy(self, cursor: Any, rows: Iterable[Sequence[Any]]) -> int:
        """PostgreSQL: every row in one COPY. Returns how many."""
        count = 0
        with cursor.cursor.copy(self.copy_sql) as copy:  # the driver's cursor under Django's wrapper
            for row in rows:
                copy.write_row(self.convert(row))
                count += 1
        return count


def _new_ids(cursor: Any, table: str, column: str, count: int) -> list[int]:
    """`count` values of a PostgreSQL table's id sequence, taken at once (unique whatever else inserts)."""
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count])
    ids = [row[0] for row in cursor.fetchall()]
    if None in ids:  # no sequence behind the column: a model bulk_insert is not for (see the module's note)
        raise ValueError(f"{table}.{column} has no sequence; use bulk_create")
    return sorted(ids)


def bulk_insert(objs: Sequence[models.Model], *, batch_size: int = 500) -> None:
    """Insert `objs` (all of one model, none saved yet) and set their primary keys."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    fields = [
        f for f in meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)
    ]  # fmt: skip
    now = timezone.now()
    stamped = [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    alias = router.db_for_write(model)
    pk = meta.pk
    assert pk is not None
    postgres = connections[alias].vendor == "postgresql"
    if postgres:
        fields = [pk, *fields]  # the ids are taken first and written with the rows
    insert = _Insert(model, fields, returning=not postgres)
    getter = attrgetter(*[f.attname for f in fields])
    values_of = getter if len(fields) > 1 else lambda obj: (getter(obj),)  # one name: attrgetter gives the value
    with insert.connection.cursor() as cursor:
        if insert.postgres:
            for obj, new_id in zip(objs, _new_ids(cursor, meta.db_table, str(pk.column), len(objs)), strict=True):
                obj.pk = new_id
                for name in stamped:
                    setattr(obj, name, now)
            insert.copy(cursor, map(values_of, objs))
        else:
            for start in range(0, len(objs), batch_size):
                batch = objs[start : start + batch_size]
                rows: list[list[Any]] = []
                for obj in batch:
                    for name in stamped:
                        setattr(obj, name, now)
                    rows.append(insert.convert(values_of(obj)))
                insert.execute(cursor, rows)
                for obj, (new_id,) in zip(batch, cursor.fetchall(), strict=True):
                    obj.pk = new_id
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert plain rows (values of the fields `names`, in that order) without making model instances: for
    derived tables (statistics) whose rows nobody reads back by id. Returns how many."""
    fields = [model._meta.get_field(name) for name in names]
    insert = _Insert(model, fields, returning=False)  # type: ignore[arg-type]  # concrete fields only
    with insert.connection.cursor() as cursor:
        if insert.postgres:
            return insert.copy(cursor, rows)
        batch_size = max(1, 30_000 // len(fields))
        count = 0
        batch: list[list[Any]] = []
        for row in rows:
            batch.append(insert.convert(row))
            if len(batch) == batch_size:
                insert.execute(cursor, batch)
                count += len(batch)
                batch = []
        if batch:
            insert.execute(cursor, batch)
            count += len(batch)
    return count
