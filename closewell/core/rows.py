"""One row read by its key, with the ORM's work for it done once a process.

Every signed-in request reads its session and its user. Through the ORM (or a raw() query) Django works
out, on every call, the table's columns, their order and each value's converter: several times the
database's own answer for a lookup by key. Here that is worked out once for each model and database
connection, and each call only runs the query and builds the instance, as the ORM would.
"""

from functools import lru_cache

from django.db import connections, router


def one_row(model, where: str, params: list):
    """The instance of `model` whose row matches `where` (SQL over its columns, e.g. "id = %s"), or None.
    Never cached: the row is read afresh on every call."""
    connection = connections[router.db_for_read(model)]
    select, names, compiler, converters = _reading(model, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"{select} WHERE {where}", params)
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:
        row = next(compiler.apply_converters([row], converters))
    return model.from_db(connection.alias, names, row)


@lru_cache(maxsize=32)  # a model and a connection (each thread has its own): a handful in a process
def _reading(model, connection):
    """The SELECT of every column without its WHERE, the fields' names in that order, and the compiler
    and each column's converters that raw() would find for them."""
    fields, table = model._meta.concrete_fields, model._meta.db_table
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    select = f"SELECT {columns} FROM {connection.ops.quote_name(table)}"  # noqa: S608 - the model's own names
    compiler = connection.ops.compiler("SQLCompiler")(model.objects.all().query, connection, connection.alias)
    converters = compiler.get_converters([field.get_col(table) for field in fields])
    return select, [field.attname for field in fields], compiler, converters
