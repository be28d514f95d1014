"""Every export's contents, exactly, as CSV and as Excel, and who may have it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ideas.models import IdeaAccess
from tests.factories_evaluation import assign, scorecard
from voting.models import Conflict, Score

from .world import FORMULA, apply_round, build, read_csv, read_xlsx, response_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build()


def get(client, user, kind, fmt="csv", **params):
    client.force_login(user)
    return client.get(reverse(f"exports:{fmt}", args=[kind]), params)


def rows_of(client, user, kind, **params):
    """The CSV's rows, checked equal to the XLSX's (numbers compared as text)."""
    response = get(client, user, kind, "csv", **params)
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    xlsx = get(client, user, kind, "xlsx", **params)
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = read_xlsx(response_bytes(xlsx))
    assert len(sheet) == len(rows)
    for cells, texts in zip(sheet, rows, strict=True):
        assert [same(c, t) for c, t in zip(cells, texts, strict=True)] == [True] * len(
            texts
        ), (cells, texts)
    return rows


def same(cell, text: str) -> bool:
    """An Excel cell against its CSV text: numbers stay numbers in Excel."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(text) == cell
    return str(cell) == text


# --- ballots: anonymised -------------------------------------------------------------


def test_ballot_export_has_every_judgment_and_no_voter(client, w):
    rows = rows_of(client, w.hr, "ballots")
    today = rows[1][-1]
    assert rows[0] == [
        "season", "racecourse", "round", "idea_id", "registration_code", "title",
        "judgment", "reason", "day",
    ]  # fmt: skip
    code = w.idea.registration.code
    anon_code = w.anon.registration.code
    assert rows[1:] == [
        ["Season 2026", "Alpha course", "1", str(w.idea.pk), code, "Cold boxes", "support", "", today],
        ["Season 2026", "Alpha course", "1", str(w.idea.pk), code, "Cold boxes", "support", "Useful for small sellers", today],
        ["Season 2026", "Alpha course", "1", str(w.idea.pk), code, "Cold boxes", "oppose", "'" + FORMULA, today],
        ["Season 2026", "Alpha course", "1", str(w.idea.pk), code, "Cold boxes", "oppose", "Already exists", today],
        ["Season 2026", "Alpha course", "1", str(w.anon.pk), anon_code, "Hidden helpers", "support", "Nice", today],
    ]  # fmt: skip
    assert len(today) == 10  # a date, no time


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_ballot_file_names_no_voter_anywhere(client, w, fmt):
    response = get(client, w.hr, "ballots", fmt)
    body = response_bytes(response)
    if fmt == "xlsx":
        text = repr(read_xlsx(body))
    else:
        text = body.decode("utf-8")
    for voter in w.voters:
        for secret in (
            voter.display_name,
            voter.email,
            voter.employee_number,
            "Secret Voter",
            "secret.voter",
        ):
            assert secret not in text
    # No voter id as a column either: the only ids are the ideas'.
    assert "voter" not in text.lower()


def test_ballots_by_racecourse_admin_are_their_racecourses_only(client, w):
    other_window = w.window.__class__.objects.create(
        racecourse=w.rc_b,
        stage="screening",
        opens_at=w.window.opens_at,
        closes_at=w.window.closes_at,
    )
    from voting.models import Ballot

    Ballot.objects.create(
        voter=w.voters[0], idea=w.other, window=other_window, choice="support",
        reason="Beta reason",
    )  # fmt: skip
    rows = rows_of(client, w.admin_a, "ballots")
    assert {r[1] for r in rows[1:]} == {"Alpha course"}
    assert len(rows) == 6
    # Naming a racecourse they do not run is refused.
    assert get(client, w.admin_a, "ballots", racecourse=w.rc_b.pk).status_code == 403
    assert len(rows_of(client, w.hr, "ballots", racecourse=w.rc_b.pk)) == 2


@pytest.mark.parametrize("kind", ["ballots", "scorecards", "ideas", "grants"])
def test_employee_cannot_export_staff_kinds(client, w, kind):
    assert get(client, w.employee, kind).status_code == 403
    assert get(client, w.captain, kind, "xlsx").status_code == 403


# --- ideas with their history -----------------------------------------------------


def test_ideas_export_dates_each_stage_and_hides_anonymous_captains(client, w):
    rows = rows_of(client, w.hr, "ideas")
    header = rows[0]
    assert header[:11] == [
        "idea_id", "registration_code", "title", "season", "racecourse", "stage",
        "visibility", "anonymous", "captain", "team_size", "created",
    ]  # fmt: skip
    by_title = {r[2]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert set(by_title) == {"Cold boxes", "Beta idea", "Hidden helpers"}
    cold = by_title["Cold boxes"]
    assert cold["captain"] == "Cora Captain"
    assert cold["team_size"] == "2"
    assert cold["stage"] == "screening"
    assert cold["entered_registered"] == cold["created"]
    assert cold["entered_screening"] == cold["created"]
    assert cold["entered_gestation"] == ""
    hidden = by_title["Hidden helpers"]
    assert hidden["anonymous"] == "yes"
    assert hidden["captain"] == ""  # HR has not unmasked it
    # After unmasking (with a reason, logged) HR sees who is behind it.
    IdeaAccess.objects.create(
        idea=w.anon,
        user=w.hr,
        kind=IdeaAccess.Kind.UNMASK,
        reason="audit",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    rows = rows_of(client, w.hr, "ideas")
    assert {r[2]: r[8] for r in rows[1:]}["Hidden helpers"] == "Quiet Captain"


def test_ideas_export_for_racecourse_admin_is_their_racecourse(client, w):
    rows = rows_of(client, w.admin_a, "ideas")
    assert sorted(r[2] for r in rows[1:]) == ["Cold boxes", "Hidden helpers"]


# --- scorecards -------------------------------------------------------------------


def test_scorecards_export_scores_totals_and_respects_conflicts(client, w):
    from tests.factories_scoring import rubric_for

    rubric_for(w.rc_a)
    criteria = list(w.rc_a.rubric.criteria.order_by("position", "pk"))
    judge = w.voters[0]
    card = scorecard(assign(w.idea, judge), submitted=True)
    for criterion, value in zip(criteria, [4, 3, 5, 2, 1], strict=False):
        Score.objects.create(scorecard=card, criterion=criterion, value=value)
    conflicted = w.voters[1]
    scorecard(assign(w.idea, conflicted), submitted=True)
    Conflict.objects.create(
        idea=w.idea, evaluator=conflicted, kind="other", source="admin",
        declared_by=w.hr,
    )  # fmt: skip
    rows = rows_of(client, w.hr, "scorecards")
    assert rows[0] == [
        "racecourse", "idea_id", "registration_code", "title", "evaluator",
        "evaluator_email", "status", "scores", "total", "submitted_at",
    ]  # fmt: skip
    assert len(rows) == 2  # the conflicted evaluator's card is left out
    row = rows[1]
    values = [4, 3, 5, 2, 1][: len(criteria)]
    assert row[:7] == [
        "Alpha course", str(w.idea.pk), w.idea.registration.code, "Cold boxes",
        judge.display_name, judge.email, "submitted",
    ]  # fmt: skip
    assert row[7] == "; ".join(
        f"{c.name}: {v}" for c, v in zip(criteria, values, strict=False)
    )
    assert row[8] == str(sum(values))
    # A racecourse admin on the idea's team gets none of its scorecards.
    from ideas.models import TeamMembership

    TeamMembership.objects.create(idea=w.idea, user=w.admin_a)
    assert len(rows_of(client, w.admin_a, "scorecards")) == 1


# --- innovation records -------------------------------------------------------------


def test_own_record_lists_roles_stages_and_outcomes(client, w):
    assign(w.other, w.captain)
    rows = rows_of(client, w.captain, "records")
    assert rows[0] == [
        "employee_number", "name", "email", "department", "role", "idea_id",
        "registration_code", "title", "season", "racecourse", "furthest_stage",
        "current_stage", "outcome",
    ]  # fmt: skip
    assert [r[4:] for r in rows[1:]] == [
        ["captain", str(w.idea.pk), w.idea.registration.code, "Cold boxes",
         "Season 2026", "Alpha course", "screening", "screening", "in progress"],
        ["evaluator", str(w.other.pk), w.other.registration.code, "Beta idea",
         "Season 2026", "Beta course", "registered", "registered", "in progress"],
    ]  # fmt: skip
    assert {r[1] for r in rows[1:]} == {"Cora Captain"}
    # Someone else's record: refused.
    assert get(client, w.captain, "records", person=w.member.pk).status_code == 403


def test_hr_record_export_keeps_anonymous_teams_anonymous(client, w):
    rows = rows_of(client, w.hr, "records")
    quiet = [r for r in rows[1:] if r[1] == "Quiet Captain"]
    assert quiet == [
        [quiet[0][0], "Quiet Captain", quiet[0][2], "", "captain", "", "",
         "(an anonymous team's idea)", "Season 2026", "", "screening",
         "screening", "in progress"],
    ]  # fmt: skip
    assert "Hidden helpers" not in repr(rows)
    names = {r[1] for r in rows[1:]}
    assert {"Cora Captain", "Milo Member", "Quiet Captain"} <= names


# --- grants -----------------------------------------------------------------------


def test_grants_export_lists_requests_and_tranches(client):
    from tests.factories_realization import plan_for, realization_world

    world = realization_world()
    plan_for(world.idea, actor=world.hr, amounts=("1000", "2500"))
    rows = rows_of(client, world.hr, "grants")
    tranches = [r for r in rows[1:] if r[0] == "tranche"]
    assert [(r[5][:3], r[6], r[7], r[9]) for r in tranches] == [
        ("#1:", "CNY", "1000.00", "planned"),
        ("#2:", "CNY", "2500.00", "planned"),
    ]
    assert all(r[2] == str(world.idea.pk) for r in tranches)


# --- formula injection ----------------------------------------------------------------


def test_formula_cells_are_defused_in_csv_and_excel(client, w):
    w.idea.title = "+SUM(A1:A9)"
    w.idea.save()
    rows = rows_of(client, w.hr, "ideas")
    titles = {r[2] for r in rows[1:]}
    assert "'+SUM(A1:A9)" in titles
    xlsx = get(client, w.hr, "ideas", "xlsx")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response_bytes(xlsx))).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_bad_parameters_are_a_message_not_a_500(client, w):
    response = get(client, w.hr, "ballots", racecourse="abc")
    assert response.status_code == 302
    assert get(client, w.hr, "nope").status_code == 404


def test_exports_page_lists_what_the_viewer_may_export(client, w):
    client.force_login(w.employee)
    page = client.get(reverse("exports:index")).content.decode()
    assert "Innovation records" in page
    assert "Screening ballots, anonymised" not in page
    client.force_login(w.admin_a)
    page = client.get(reverse("exports:index")).content.decode()
    assert "Screening ballots, anonymised" in page
    assert (
        "Alpha course" in page
        and "Beta course" not in page.split("ballots")[1].split("</form>")[0]
    )


def test_feedback_export_after_the_close(client, w):
    assert get(client, w.captain, "feedback", idea=w.idea.pk).status_code == 302
    apply_round(w.window)
    rows = rows_of(client, w.captain, "feedback", idea=w.idea.pk)
    assert rows == [
        ["racecourse", "round", "judgment", "reason"],
        ["Alpha course", "1", "support", "Useful for small sellers"],
        ["Alpha course", "1", "oppose", "'" + FORMULA],
        ["Alpha course", "1", "oppose", "Already exists"],
    ]
    # Not the team: the same answer as for an idea that does not exist.
    assert get(client, w.employee, "feedback", idea=w.idea.pk).status_code == 302


def test_hr_exports_one_departments_records(client, w):
    from tests.factories import DepartmentFactory

    team = DepartmentFactory(name="Logistics")
    below = DepartmentFactory(name="Cold chain", parent=team)
    w.member.department = below
    w.member.save()
    rows = rows_of(client, w.hr, "records", department=team.pk)
    assert [(r[1], r[3], r[4], r[7]) for r in rows[1:]] == [
        ("Milo Member", "Cold chain", "member", "Cold boxes")
    ]
    assert get(client, w.member, "records", department=team.pk).status_code == 403


def test_preferences_page_offers_the_own_record(client, w):
    client.force_login(w.member)
    page = client.get(reverse("accounts:preferences")).content.decode()
    assert reverse("exports:xlsx", args=["records"]) in page
    response = client.get(reverse("exports:xlsx", args=["records"]))
    assert response["Content-Disposition"] == 'attachment; filename="records.xlsx"'
    sheet = read_xlsx(response_bytes(response))
    assert [row[1] for row in sheet[1:]] == ["Milo Member"]
