"""Every figure on the reports page, computed from the known scenario in conftest.py."""

import datetime as dt

from closewell.cases.models import Episode
from closewell.closures.models import ClosureRecord
from closewell.reports import figures
from closewell.reports.charts import bar_chart
from closewell.reports.tests.conftest import close

D = dt.date
JUNE, JULY_END = D(2026, 6, 1), D(2026, 7, 31)


def row(figure, label):
    return next(r for r in figure.rows if r[0] == label)


def test_closures_by_reason_and_month(scene):
    figure = figures.closures_by_reason(Episode.objects.all(), JUNE, JULY_END)
    codes = figure.headers[1:-1]
    june, july, total = figure.rows
    assert june[0] == "June 2026" and dict(zip(codes, june[1:-1], strict=True))["RC7"] == 1
    assert dict(zip(codes, june[1:-1], strict=True))["RC8"] == 1 and june[-1] == 2
    assert july[0] == "July 2026" and july[-1] == 1
    assert total[0] == "Total" and total[-1] == 3  # the 2025 closure is outside the range
    assert figure.bars == [("Jun 2026", 2), ("Jul 2026", 1)]
    east = figures.closures_by_reason(Episode.objects.filter(team=scene.east), JUNE, JULY_END)
    assert east.rows[-1][-1] == 2


def test_overdue_records(scene):
    figure = figures.overdue_records(Episode.objects.all(), scene.today)
    assert [r[1] for r in figure.rows] == ["LATE1"]  # the fresh submission is not overdue
    assert figure.rows[0][2] == "East" and figure.rows[0][5] == "Draft"
    assert figure.links == [scene.overdue.episode.child.get_absolute_url()]
    assert figure.bars == [("East", 1)]
    assert figures.overdue_records(Episode.objects.filter(team=scene.west), scene.today).rows == []


def test_timeliness_median_and_slowest(scene):
    figure = figures.timeliness(ClosureRecord.objects.all(), JUNE, JULY_END)
    lid = {
        scene.a.pk: scene.june_rc7.child.la_child_id,
        scene.b.pk: scene.june_rc8.child.la_child_id,
        scene.c.pk: scene.july_rc7.child.la_child_id,
    }
    assert row(figure, "Decision to submission") == ["Decision to submission", 3, 4, 10, lid[scene.b.pk]]
    assert row(figure, "Submission to authorisation") == [
        "Submission to authorisation",
        3,
        2,
        8,
        lid[scene.c.pk],
    ]
    assert row(figure, "Decision to authorisation") == [
        "Decision to authorisation",
        3,
        9,
        11,
        lid[scene.b.pk],
    ]
    assert [value for _, value in figure.bars] == [4, 2, 9]
    none = figures.timeliness(ClosureRecord.objects.all(), D(2020, 1, 1), D(2020, 2, 1))
    assert row(none, "Decision to submission") == ["Decision to submission", 0, "", "", ""]


def test_returned_rate_and_sections(scene):
    figure = figures.returns(ClosureRecord.objects.all(), JUNE, JULY_END)
    assert row(figure, "Records submitted")[1] == 3
    assert row(figure, "Returned for amendment at least once")[1] == 2
    assert row(figure, "Returned (per cent)")[1] == 66.7
    # Each record counts once per section: B's two comments on the reason count once.
    assert figure.bars == [("Reason for closure", 2), ("Views of the child or young person", 1)]
    east = figures.returns(ClosureRecord.objects.filter(episode__team=scene.east), JUNE, JULY_END)
    assert row(east, "Returned (per cent)")[1] == 50.0


def test_re_referrals_by_reason_and_team(scene):
    figure = figures.re_referrals(Episode.objects.all(), JUNE, JULY_END)
    assert row(figure, "Reason RC7") == ["Reason RC7", 2, 1, 50.0]
    assert row(figure, "Reason RC8") == ["Reason RC8", 1, 0, 0.0]
    assert row(figure, "Reason RC1") == ["Reason RC1", 0, 0, ""]
    assert row(figure, "Team: East") == ["Team: East", 2, 1, 50.0]
    assert row(figure, "Team: West") == ["Team: West", 1, 0, 0.0]
    assert row(figure, "All closures") == ["All closures", 3, 1, 33.3]
    assert figure.bars == [("RC7", 50.0), ("RC8", 0)]


def test_copies_and_signatures(scene):
    figure = figures.copies_and_signatures(ClosureRecord.objects.all(), JUNE, JULY_END)
    assert row(figure, "Records authorised")[1] == 3
    assert row(figure, "With a copy given to the child or family")[1] == 1
    assert row(figure, "With every signature recorded")[1] == 2
    assert row(figure, "Signatures missing (all records)")[1] == 1
    b, c = scene.june_rc8.child, scene.july_rc7.child
    # In order of authorisation: C on 12 June, B on 16 June.
    assert figure.rows[4:] == [
        [f"Missing: {c.full_name} ({c.la_child_id})", "No", 0],
        [f"Missing: {b.full_name} ({b.la_child_id})", "No", 1],
    ]
    assert figure.links[4:] == [c.get_absolute_url(), b.get_absolute_url()]


def test_bar_chart_geometry():
    chart = bar_chart("k", "Title", [("A", 4), ("B", 2), ("C", 0)], "things")
    assert [b.width for b in chart.bars] == [350.0, 175.0, 0.0]
    assert chart.description == "A: 4 things; B: 2 things; C: 0 things"
    assert chart.height == 3 * 28 + 8
    assert bar_chart("k", "T", [("A", 0)], "x").bars[0].width == 0


def test_closures_say_how_many_came_through_a_closure_record(scene):
    """'Closures' counts every closed episode; 'Records authorised' only Closure Records authorised here:
    the closures figure says how many of its closures are those records, so the two never disagree
    unexplained (issue 21)."""
    figure = figures.closures_by_reason(Episode.objects.all(), JUNE, JULY_END)
    assert "Of these 3 closures, 3 were closed through a Closure Record" in figure.note
    close(scene.east, scene.worker, "RC7", D(2026, 6, 25))  # closed in the case system, imported
    figure = figures.closures_by_reason(Episode.objects.all(), JUNE, JULY_END)
    assert "Of these 4 closures, 3 were closed through a Closure Record" in figure.note
    copies = figures.copies_and_signatures(ClosureRecord.objects.all(), JUNE, JULY_END)
    assert row(copies, "Records authorised")[1] == 3
    assert "fewer than the closures above" in copies.note
