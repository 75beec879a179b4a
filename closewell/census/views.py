"""The census pages: data quality before the return, and the return itself as a download."""

from collections import Counter

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from closewell.accounts.permissions import user_permissions
from closewell.web.pagination import pagination

from .forms import CensusYearForm, current_census_year
from .quality import check_children
from .queries import return_counts, stream_children
from .services import census_header, export_audit
from .writer import iter_census

CHILDREN_PER_PAGE = 50


def _year(request) -> tuple[CensusYearForm, int]:
    form = CensusYearForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["year"]
    if not form.is_bound:
        form = CensusYearForm(initial={"year": current_census_year()})
    return form, current_census_year()


@require_GET
def quality(request):
    """Every census error and query the council would get, child by child, each linked to the case.

    A manager sees the problems of their teams' episodes (and those of the child's own details)."""
    access = user_permissions(request.user)
    if not access.can_view_census_quality:
        raise PermissionDenied
    form, year = _year(request)
    teams = access.team_ids
    rows = []
    by_rule: Counter = Counter()
    for child, found in check_children(stream_children(year, team_ids=teams), year):
        if teams is not None:
            found = [p for p in found if p.team_id is None or p.team_id in teams]
        if not found:
            continue
        rows.append(
            {"child": child.name, "la_child_id": child.la_child_id, "pk": child.pk, "problems": found}
        )
        by_rule.update((p.code, p.is_query) for p in found)
    page = Paginator(rows, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "census/quality.html",
        {
            "form": form,
            "year": year,
            "counts": return_counts(year, team_ids=teams),
            "page": page,
            "pages": pagination(request, page),
            "children_count": len(rows),
            "errors": sum(n for (_, q), n in by_rule.items() if not q),
            "queries": sum(n for (_, q), n in by_rule.items() if q),
            "by_rule": sorted(
                ((code, q, n) for (code, q), n in by_rule.items()), key=lambda r: (-r[2], r[0])
            ),
            "can_export": access.can_export_census,
        },
    )


@require_GET
def download(request):
    """The CIN census XML for a year, streamed as it is written; the export is audited."""
    if not user_permissions(request.user).can_export_census:
        raise PermissionDenied
    form = CensusYearForm(request.GET)
    if not form.is_valid():
        return render(request, "census/quality.html", {"form": form, "can_export": True}, status=400)
    year = form.cleaned_data["year"]
    la_code = settings.COUNCIL_LA_CODE
    export_audit(actor=request.user, year=year, children=None, how="download")
    header = census_header(year=year, la_code=la_code)
    response = StreamingHttpResponse(
        iter_census(header, stream_children(year)), content_type="application/xml"
    )
    response["Content-Disposition"] = f'attachment; filename="CIN_{la_code}_{year}.xml"'
    return response
