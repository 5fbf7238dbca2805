"""`fetch_prepared`: the same rows as a plain execution, on both databases (prepared by name on PostgreSQL,
named placeholders on SQLite)."""

import pytest
from django.db import DatabaseError, connection

from ocop.core.db import fetch_prepared

pytestmark = pytest.mark.django_db


def test_a_prepared_read_gives_what_a_plain_one_gives_literal_percent_signs_included():
    sql = "SELECT %s + %s, %s || 'x', 'a%%b' LIKE 'a%%' , %s"
    params = [2, 3, "mật ong", None]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        plain = cursor.fetchone()
        assert fetch_prepared(cursor, "ocop_test_prepared", "(int, int, text, text)", sql, params) == plain
        again = fetch_prepared(cursor, "ocop_test_prepared", "(int, int, text, text)", sql, [5, 5, "chè", "z"])
    assert tuple(plain) == (5, "mật ongx", True, None)
    assert tuple(again) == (10, "chèx", True, "z")


def test_placeholders_and_values_must_agree_in_number():
    with connection.cursor() as cursor, pytest.raises((ValueError, DatabaseError)):
        fetch_prepared(cursor, "ocop_test_prepared_short", "(int, int)", "SELECT %s + %s", [1])
