"""Reading a relation once a page: the rows a selector prefetched, or else a query of their own."""


def related(obj, name: str, queryset) -> list:
    """`obj`'s `name` rows as a page's selector prefetched them (in the prefetch's order), or, when
    nothing was prefetched (a service on its locked row, a command, another page), `queryset`,
    which reads the same rows in the same order. A service never sees a page's prefetch, so what it
    checks is read afresh inside its transaction."""
    if name in getattr(obj, "_prefetched_objects_cache", {}):
        return list(getattr(obj, name).all())
    return list(queryset)
