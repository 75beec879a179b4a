"""Pagination and sortable-column links for GOV.UK list pages, keeping the other query parameters."""

from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.db.models import Count, QuerySet, Window


class OneQueryPaginator(Paginator):
    """A Paginator whose get_page reads the page and how many rows there are in all in one query
    (COUNT(*) OVER ()), where Django's reads a COUNT and then the page: one round trip fewer on every
    list page, and a search reads its matches once, not twice.

    Only on a database server (PostgreSQL): SQLite runs in this process, so a statement costs no
    round trip, and the window makes it materialise every matching row where its COUNT reads the
    indexes alone (a search for "Muhammad" at 100,000 children: 19 ms against 6). `window` forces
    either way. A page past the end, or a query the window cannot count (DISTINCT, UNION), falls
    back to Django's own way, which counts first and then gives the last page."""

    COUNT = "paginator_count"

    def __init__(self, *args, window: bool | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.window = window

    def _use_window(self) -> bool:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or queryset.query.distinct or queryset.query.combinator:
            return False
        if self.orphans or "count" in self.__dict__:
            return False
        if self.window is not None:
            return self.window
        return connections[queryset.db].vendor != "sqlite"

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if number < 1 or not self._use_window():
            return super().get_page(number)
        bottom = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(**{self.COUNT: Window(Count("*"))})[bottom : bottom + self.per_page]
        )
        if rows:
            self.count = getattr(rows[0], self.COUNT)  # Paginator.count is a cached_property
        elif number == 1:
            self.count = 0
        else:
            return super().get_page(number)
        try:
            return self._get_page(rows, self.validate_number(number), self)
        except InvalidPage:  # an empty first page when allow_empty_first_page is off
            return super().get_page(number)


def page_query(request, **changes) -> str:
    """The current query string with some parameters changed (None removes one)."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    text = params.urlencode()
    return f"?{text}" if text else "?"


def pagination(request, page) -> dict | None:
    if page.paginator.num_pages < 2:
        return None
    items = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append(
                {"number": number, "url": page_query(request, page=number), "current": number == page.number}
            )
    return {
        "items": items,
        "previous": page_query(request, page=page.previous_page_number()) if page.has_previous() else None,
        "next": page_query(request, page=page.next_page_number()) if page.has_next() else None,
    }
