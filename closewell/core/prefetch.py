"""Reading a relation once a page: the rows a selector read (prefetched, or held here), or else a query
of their own."""

from operator import attrgetter

from django.db.models import QuerySet


def related(obj, name: str, queryset) -> list:
    """`obj`'s `name` rows as a page's selector prefetched them (in the prefetch's order), or, when
    nothing was prefetched (a service on its locked row, a command, another page), `queryset`,
    which reads the same rows in the same order. A service never sees a page's prefetch, so what it
    checks is read afresh inside its transaction."""
    if name in getattr(obj, "_prefetched_objects_cache", {}):
        return list(getattr(obj, name).all())
    return list(queryset)


def sorted_rows(rows: QuerySet, *fields: str) -> list:
    """The rows in the order of `fields` and then their key, sorted here, not by an ORDER BY: to compile
    one, Django hashes every column the query selects, which costs more than sorting a case's few rows.
    Only for columns that are never null (the databases put nulls at different ends) and compare
    alike in Python and SQL (dates and keys; not text, which the database collates)."""
    return sorted(rows.order_by(), key=attrgetter(*fields, "pk"))


def hold(obj, name: str, queryset: QuerySet, *, sort: tuple[str, ...] | None = None) -> None:
    """Read `obj`'s relation `name` (a reverse foreign key) from `queryset`, made from the relation
    (`obj.<name>…`, so each row knows `obj` without a query), and hold its rows as prefetch_related
    would have: `related(obj, name, …)` and `obj.<name>.all()` then answer from them; anything else
    asked of the relation (a filter, another order) queries afresh, as after a prefetch. With `sort`,
    the rows are sorted here by those fields and then their key (sorted_rows), not by the query.

    A page that reads one object's relations so saves the prefetch machinery's work for each (an IN
    list of instances to filter by, an ORDER BY to compile)."""
    rows = list(queryset) if sort is None else sorted_rows(queryset, *sort)
    # As Django's prefetch_one_level keeps a prefetched relation (django/db/models/query.py): the
    # relation's queryset, its rows as its result cache, marked as prefetched.
    queryset._result_cache = rows
    queryset._prefetch_done = True
    cache_name = getattr(obj, name).field.remote_field.cache_name
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[cache_name] = queryset
