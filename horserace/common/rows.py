"""Model instances from a hand-written query's row, as the ORM would build them.

For the few hot paths whose query is written out once (the ballot's idea,
the API token): composing joins with the ORM on every request costs more
than running them. ``columns`` lists a model's columns for the SELECT;
``instance_from_row`` builds the instance from its slice of the row,
applying the backend's converters (none on PostgreSQL; dates on SQLite).
"""

import functools
import re
import weakref

from django.db import connection


@functools.cache
def _fields(model) -> tuple:
    return tuple(model._meta.concrete_fields)


def columns(model, alias: str) -> list[str]:
    """``alias."column"`` for each of the model's concrete fields, in order."""
    return [f'{alias}."{field.column}"' for field in _fields(model)]


@functools.cache
def _converters(model, vendor: str) -> tuple:
    """(position, converters, column) of the fields needing conversion."""
    found = []
    for n, field in enumerate(_fields(model)):
        column = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + field.get_db_converters(
            connection
        )
        if converters:
            found.append((n, converters, column))
    return tuple(found)


def instance_from_row(model, row, start: int):
    """``(instance, end)``: the model's instance from ``row[start:]`` (None when
    its primary key is NULL: a LEFT JOIN that found nothing) and where the
    next model's columns begin."""
    fields = _fields(model)
    end = start + len(fields)
    values = list(row[start:end])
    if values[0] is None:
        return None, end
    for n, converters, column in _converters(model, connection.vendor):
        for convert in converters:
            values[n] = convert(values[n], column, connection)
    names = [field.attname for field in fields]
    return model.from_db(connection.alias, names, values), end


#: Raw connections that hold each prepared statement (by name); a connection
#: that is closed drops out, and a new one prepares again.
_prepared: dict[str, weakref.WeakSet] = {}


def execute_prepared(cursor, name: str, sql: str, params: list) -> None:
    """Run ``sql`` (``%s`` placeholders) as a PostgreSQL prepared statement.

    Prepared once per database connection (``PREPARE``), then only
    ``EXECUTE``d: the server neither parses nor plans it again (after five
    runs PostgreSQL keeps a generic plan), which halves the time of a short
    query on a primary key. Prepared statements belong to the session, not to
    a transaction, so a rollback keeps them. Elsewhere (SQLite) the query
    simply runs.
    """
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    raw = connection.connection
    holders = _prepared.setdefault(name, weakref.WeakSet())
    if raw not in holders:
        numbered = iter(range(1, len(params) + 1))
        statement = re.sub("%s", lambda _m: f"${next(numbered)}", sql)
        cursor.execute(f"PREPARE {name} AS {statement}")
        holders.add(raw)
    cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
