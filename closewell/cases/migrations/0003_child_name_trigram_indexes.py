"""Child search on PostgreSQL: pg_trgm GIN indexes on the expressions children_search filters by.

Django's istartswith / iexact on PostgreSQL compare UPPER(column::text), so the indexes are on
exactly those expressions; with one on each column the search ORs together (first, last and
preferred name, and the LA child ID), the planner can combine bitmap index scans instead of
reading every child. SQLite has no pg_trgm: there the migration does nothing and the search
scans the table (its fallback)."""

from django.db import migrations

COLUMNS = ("first_name", "last_name", "preferred_name", "la_child_id")


def _index(column: str) -> str:
    return f"cases_child_{column}_upper_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{_index(column)}" ON "cases_child" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_index(column)}"')


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_source_ids")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
