"""Reports and dashboards for managers (their teams) and data officers (every team), and their CSVs."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from closewell.accounts.permissions import scope_episodes, user_permissions
from closewell.cases.models import Episode
from closewell.closures.models import ClosureRecord
from closewell.core.text import spreadsheet_safe

from . import figures
from .charts import bar_chart
from .forms import ReportFilterForm

FIGURES = ("closures", "overdue", "timeliness", "returns", "re_referrals", "loop", "copies")


def _filtered(request):
    """The form, the user's episodes and Closure Records narrowed by team and worker, and the range."""
    user = request.user
    access = user_permissions(user)
    if not access.can_view_reports:
        raise PermissionDenied
    teams = access.team_ids
    form = ReportFilterForm(request.GET or None, team_ids=teams)
    chosen = form.filters()
    episodes = scope_episodes(user, Episode.objects.all())
    if chosen["team_id"]:
        episodes = episodes.filter(team_id=chosen["team_id"])
    if chosen["worker_id"]:
        episodes = episodes.filter(worker_id=chosen["worker_id"])
    records = ClosureRecord.objects.filter(episode__in=episodes)
    return form, chosen, episodes, records


def _figure(key: str, chosen: dict, episodes, records) -> figures.Figure:
    start, end = chosen["date_from"], chosen["date_to"]
    if key == "closures":
        return figures.closures_by_reason(episodes, start, end)
    if key == "overdue":
        return figures.overdue_records(episodes)
    if key == "timeliness":
        return figures.timeliness(records, start, end)
    if key == "returns":
        return figures.returns(records, start, end)
    if key == "re_referrals":
        return figures.re_referrals(episodes, start, end)
    if key == "loop":
        return figures.loop_back(episodes, start, end)
    if key == "copies":
        return figures.copies_and_signatures(records, start, end)
    raise Http404("No such report.")


@require_GET
def index(request):
    form, chosen, episodes, records = _filtered(request)
    shown = []
    for key in FIGURES:
        figure = _figure(key, chosen, episodes, records)
        chart = bar_chart(key, figure.bars_title, figure.bars, figure.unit) if figure.bars else None
        rows = [
            {"cells": row, "link": figure.links[i] if i < len(figure.links) else None}
            for i, row in enumerate(figure.rows)
        ]
        shown.append({"figure": figure, "chart": chart, "rows": rows})
    return render(
        request,
        "reports/index.html",
        {"form": form, "chosen": chosen, "shown": shown, "query": request.GET.urlencode()},
    )


@require_GET
def figure_csv(request, key: str):
    """The same rows as the page's table, for a spreadsheet."""
    if key not in FIGURES:
        raise Http404("No such report.")
    form, chosen, episodes, records = _filtered(request)
    figure = _figure(key, chosen, episodes, records)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"closewell-{key}-{chosen['date_from']:%Y%m%d}-{chosen['date_to']:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(figure.headers)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in figure.rows)
    return response
