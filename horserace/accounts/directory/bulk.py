"""Many rows' columns set in a few statements, for the directory import.

``QuerySet.bulk_update`` writes one ``CASE WHEN id = … THEN …`` per field
and row, and Django spends longer building that statement than the database
spends running it: 20,000 managers took 45 s. Here PostgreSQL gets one
``UPDATE … FROM (VALUES …)`` per chunk, and SQLite (in process, where a
statement costs microseconds) an ``executemany``.
"""

from collections.abc import Sequence

from django.db import connection, models

CHUNK = 5000


def bulk_set(objs: Sequence[models.Model], fields: list[str]) -> int:
    """Write ``fields`` (attribute names, as ``manager_id``) of ``objs`` to
    their rows; returns how many rows were given. Call inside a transaction."""
    if not objs:
        return 0
    model = type(objs[0])
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    by_name = {f.name: f for f in meta.concrete_fields}
    concrete = [by_name[f.removesuffix("_id")] for f in fields]
    columns = [connection.ops.quote_name(str(f.column)) for f in concrete]
    assert meta.pk is not None
    pk = connection.ops.quote_name(str(meta.pk.column))
    values = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in concrete]
        + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [f.db_type(connection) for f in concrete] + [
                meta.pk.rel_db_type(connection)
            ]
            row = "(" + ", ".join(f"%s::{t}" for t in types) + ")"
            names = ", ".join([*columns, '"_pk"'])
            sets = ", ".join(f"{c} = v.{c}" for c in columns)
            for start in range(0, len(values), CHUNK):
                chunk = values[start : start + CHUNK]
                cursor.execute(
                    f"UPDATE {table} AS t SET {sets} FROM (VALUES "
                    + ", ".join([row] * len(chunk))
                    + f') AS v({names}) WHERE t.{pk} = v."_pk"',
                    [p for r in chunk for p in r],
                )
        else:
            sets = ", ".join(f"{c} = %s" for c in columns)
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = %s", values)
    return len(objs)
