"""Hand-written hot-path queries: rows to instances, prepared statements."""

import pytest
from django.db import connection, transaction

from contests.models import StageWindow
from horserace.common.rows import columns, execute_prepared, instance_from_row
from tests.voting.factories import screening_round

pytestmark = pytest.mark.django_db(transaction=True)


def _window_sql() -> str:
    select = ", ".join(columns(StageWindow, "w"))
    table = StageWindow._meta.db_table
    return f"SELECT {select} FROM {table} w WHERE w.id = %s"  # noqa: S608


def _read(pk):
    with connection.cursor() as cursor:
        execute_prepared(cursor, "horserace_test_window", _window_sql(), [pk])
        row = cursor.fetchone()
    return instance_from_row(StageWindow, row, 0)[0] if row else None


def test_a_row_becomes_the_instance_the_orm_would_load():
    window = screening_round()
    loaded = _read(window.pk)
    expected = StageWindow.objects.get(pk=window.pk)
    for field in StageWindow._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname)
    assert not loaded._state.adding
    assert _read(window.pk + 1000) is None


def test_a_prepared_statement_outlives_a_rollback_and_a_reconnect():
    window = screening_round()
    with pytest.raises(RuntimeError), transaction.atomic():
        assert _read(window.pk) == window  # prepared inside the transaction
        raise RuntimeError
    assert _read(window.pk) == window
    connection.close()  # a new connection prepares it again
    assert _read(window.pk) == window
