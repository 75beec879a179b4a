"""Pagination and sortable-column links for GOV.UK list pages, keeping the other query parameters."""

from django.core.paginator import Paginator


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
