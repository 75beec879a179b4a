"""Child search by name prefix in a few milliseconds at a large council's size, on both databases.

children_search matches each word typed as the start of a first, last or preferred name, or the
whole text as an LA child ID, case-insensitively. Django's istartswith / iexact compare
UPPER(column::text) LIKE 'X%' on PostgreSQL: a B-tree on that expression with text_pattern_ops
answers a prefix as a range, and the planner ORs the four together (the trigram indexes of 0003 stay
for the case lists' "contains" filter). On SQLite istartswith / iexact are LIKE, which is
case-insensitive: an index on the column with the NOCASE collation answers a prefix as a range (the
LIKE optimisation). With realistic names (one child in 100 is a Smith) the search reads only the
matching children; without these indexes it read every child, or walked the name index in order."""

from django.db import migrations

COLUMNS = ("first_name", "last_name", "preferred_name", "la_child_id")


def _index(column: str) -> str:
    return f"cases_child_{column}_prefix"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for column in COLUMNS:
        if vendor == "postgresql":
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{_index(column)}" ON "cases_child" '
                f'((UPPER("{column}"::text)) text_pattern_ops)'
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{_index(column)}" ON "cases_child" ("{column}" COLLATE NOCASE)'
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor not in ("postgresql", "sqlite"):
        return
    for column in COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_index(column)}"')


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_disclosure")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
