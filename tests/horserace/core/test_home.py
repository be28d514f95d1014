"""The home page by role: each role's section, its contents and its cost.

Every role's page is read with a bound on its queries that does not grow
with the number of items (two worlds, one with more items, the same bound).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contests.models import Season, StageWindow, WindowStage
from horserace.core.home import home_sections
from horserace.core.roles import roles_of
from ideas.gestation.services.resources import resource_request_create
from ideas.models import TeamInvitation, TrainerAssignment
from ideas.services.teams import team_invite
from tests.factories import UserFactory
from tests.factories_evaluation import assign, idea_in_evaluation, racecourse_with_pool
from tests.factories_evaluation import scorecard as scorecard_for
from tests.factories_gestation import budget_for, gestating_idea, trainer_for
from tests.voting.factories import screening_idea, screening_round
from voting.screening.services.ballots import ballot_cast

pytestmark = pytest.mark.django_db

# The page's fixed cost by role: session, user, season, racecourses,
# challenges, deadlines, the unread count, and each section's few reads
# (a little room for the database's own: savepoints on PostgreSQL).
# The admin and HR pages ask once for reported comments to review.
BOUND = {"employee": 17, "evaluator": 29, "mentor": 18, "admin": 24, "hr": 25}


def _open(racecourse):
    Season.objects.filter(pk=racecourse.season_id).update(status="open")


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def _costs(client, bound, django_assert_max_num_queries, make) -> None:
    """The home of ``make(n)``'s user costs the same for 1 and 3 items, within
    ``bound``."""
    counts = []
    for n in (1, 3):
        user = make(n)
        client.force_login(user)
        with django_assert_max_num_queries(bound) as ctx:
            assert client.get(reverse("home")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def _roles(user) -> list[str]:
    return [s.role for s in home_sections(user=user, roles=roles_of(user), season=None)]


# --- Employee ------------------------------------------------------------------


def _round_with(n: int, **window):
    win = screening_round(**window)
    _open(win.racecourse)
    ideas = [screening_idea(win, title=f"Idea number {i}") for i in range(n)]
    return win, ideas


def test_an_employee_sees_how_many_ideas_are_left_to_judge(client):
    window, ideas = _round_with(3)
    voter = UserFactory()
    ballot_cast(voter=voter, idea=ideas[0], choice="support")
    page = _home(client, voter)
    assert "You have <strong>2</strong> ideas left to judge in" in page
    assert window.racecourse.name in page
    assert reverse("voting:judge", args=[window.racecourse_id]) in page


def test_a_voter_who_judged_everything_is_told_so(client):
    window, ideas = _round_with(2)
    voter = UserFactory()
    for idea in ideas:
        ballot_cast(voter=voter, idea=idea, choice="oppose")
    page = _home(client, voter)
    assert "You have judged all 2 ideas in" in page
    assert "left to judge" not in page


def test_own_team_ideas_are_not_counted_as_left_to_judge(client):
    window, ideas = _round_with(2)
    author = ideas[0].author
    page = _home(client, author)
    assert "You have <strong>1</strong> idea left to judge in" in page


def test_a_closed_round_is_not_listed(client):
    now = timezone.now()
    window, _ = _round_with(
        1, opens_at=now - dt.timedelta(days=3), closes_at=now - dt.timedelta(hours=1)
    )
    assert "left to judge" not in _home(client, UserFactory())


def test_the_employee_sees_invitations_and_their_ideas_with_the_next_step(client):
    idea = gestating_idea(title="Parcel lockers")
    _open(idea.racecourse)
    guest = UserFactory()
    team_invite(idea=idea, actor=idea.author, invitee=guest)
    assert TeamInvitation.objects.filter(invitee=guest).exists()
    page = _home(client, guest)
    assert "invites you to join “Parcel lockers”" in page
    page = _home(client, idea.author)
    assert "Parcel lockers" in page
    assert "Build it, log progress and hand in the final proposal." in page
    assert "Captain" in page


def test_an_employee_only_has_the_employee_section():
    assert _roles(UserFactory()) == ["employee"]


def test_the_employee_page_has_bounded_queries(client, django_assert_max_num_queries):
    def make(n):
        _, ideas = _round_with(n)
        voter = UserFactory()
        ballot_cast(voter=voter, idea=ideas[0], choice="support")
        for _ in range(n):
            gestating = gestating_idea()
            team_invite(idea=gestating, actor=gestating.author, invitee=voter)
        return voter

    _costs(client, BOUND["employee"], django_assert_max_num_queries, make)


# --- Evaluator -----------------------------------------------------------------


def test_an_evaluator_sees_scorecards_to_fill_with_their_due_time(client):
    racecourse = racecourse_with_pool(1)
    _open(racecourse)
    closes = timezone.now() + dt.timedelta(days=2)
    StageWindow.objects.create(
        racecourse=racecourse,
        stage=WindowStage.EVALUATION,
        opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=closes,
    )
    judge = racecourse.evaluators.first()
    todo = idea_in_evaluation(racecourse=racecourse, title="Smart shelves")
    done = idea_in_evaluation(racecourse=racecourse, title="Paper straws")
    assign(todo, judge)
    scorecard_for(assign(done, judge), submitted=True)
    page = _home(client, judge)
    assert "Smart shelves" in page
    assert "Paper straws" not in page
    assert reverse("evaluation:scorecard", args=[todo.pk]) in page
    [section] = [
        s
        for s in home_sections(user=judge, roles=roles_of(judge), season=None)
        if s.role == "evaluator"
    ]
    assert section.waiting == 1
    assert section.due == closes
    # Something waits with a deadline: the evaluator's section comes first.
    assert _roles(judge)[0] == "evaluator"


def test_the_evaluator_page_has_bounded_queries(client, django_assert_max_num_queries):
    def make(n):
        racecourse = racecourse_with_pool(1)
        _open(racecourse)
        judge = racecourse.evaluators.first()
        for _ in range(n):
            assign(idea_in_evaluation(racecourse=racecourse), judge)
        return judge

    _costs(client, BOUND["evaluator"], django_assert_max_num_queries, make)


# --- Mentor --------------------------------------------------------------------


def _coached(n: int):
    ideas = [gestating_idea(title=f"Coached {i}") for i in range(n)]
    trainer = trainer_for(ideas[0])
    for idea in ideas:
        _open(idea.racecourse)
        TrainerAssignment.objects.create(
            idea=idea,
            trainer=trainer,
            status=TrainerAssignment.Status.ACTIVE,
            assigned_at=timezone.now(),
        )
    return trainer.user, ideas


def test_a_mentor_sees_the_teams_they_coach(client):
    user, ideas = _coached(2)
    page = _home(client, user)
    assert "Coached 0" in page and "Coached 1" in page
    assert "No session logged yet" in page
    assert "mentor" in _roles(user)


def test_the_mentor_page_has_bounded_queries(client, django_assert_max_num_queries):
    _costs(
        client,
        BOUND["mentor"],
        django_assert_max_num_queries,
        lambda n: _coached(n)[0],
    )


# --- Racecourse admin ------------------------------------------------------------


def _admin_with_requests(n: int):
    idea = gestating_idea()
    _open(idea.racecourse)
    admin = UserFactory()
    idea.racecourse.admins.add(admin)
    for i in range(n):
        budget = budget_for(idea)
        resource_request_create(
            idea=idea,
            actor=idea.author,
            resource=budget.resource,
            amount=Decimal(i + 1),
            justification="Load tests.",
        )
    return admin, idea


def test_a_racecourse_admin_sees_their_queues_with_counts(client):
    admin, idea = _admin_with_requests(2)
    page = _home(client, admin)
    assert "Racecourses you run" in page
    assert "resource requests to decide" in page
    assert reverse("gestation:desk", args=[idea.racecourse_id]) in page
    assert _roles(admin)[0] == "racecourse_admin"  # something waits


def test_the_admin_page_has_bounded_queries(client, django_assert_max_num_queries):
    _costs(
        client,
        BOUND["admin"],
        django_assert_max_num_queries,
        lambda n: _admin_with_requests(n)[0],
    )


# --- HR ----------------------------------------------------------------------------


def test_hr_sees_the_season_dashboard_summary(client):
    window, ideas = _round_with(3)
    hr = UserFactory(is_hr_admin=True)
    page = _home(client, hr)
    assert "Season dashboard" in page
    assert "/dashboard/" in page or reverse("core:dashboard") in page
    assert reverse("console:index") in page
    [section] = [
        s
        for s in home_sections(
            user=hr, roles=roles_of(hr), season=window.racecourse.season
        )
        if s.role == "hr"
    ]
    stages = dict((str(label), n) for label, n in section.data["stages"])
    assert stages["Online screening"] == 3
    assert [w.pk for w in section.data["windows"]] == [
        w.pk
        for w in StageWindow.objects.filter(
            racecourse__season=window.racecourse.season
        ).order_by("closes_at")
    ]
    assert "racecourse_admin" not in _roles(hr)  # HR's section covers it


def test_the_hr_page_has_bounded_queries(client, django_assert_max_num_queries):
    def make(n):
        _round_with(n)
        _admin_with_requests(n)
        return UserFactory(is_hr_admin=True)

    _costs(client, BOUND["hr"], django_assert_max_num_queries, make)


# --- Several roles ---------------------------------------------------------------


def test_a_person_with_several_roles_sees_each_section_most_urgent_first(client):
    admin, _ = _admin_with_requests(1)
    admin.is_evaluator = True
    admin.is_mentor = True
    admin.save()
    roles = _roles(admin)
    assert set(roles) == {"employee", "evaluator", "mentor", "racecourse_admin"}
    assert roles[0] == "racecourse_admin"  # the only one with something waiting
    page = _home(client, admin)
    assert "Racecourses you run" in page and "Teams you coach" in page


def test_a_closed_round_decided_by_a_person_waits_for_its_admin(client):
    now = timezone.now()
    window, _ = _round_with(
        1,
        opens_at=now - dt.timedelta(days=3),
        closes_at=now - dt.timedelta(hours=1),
        rule=StageWindow.Rule.MANUAL,
    )
    admin = UserFactory()
    window.racecourse.admins.add(admin)
    page = _home(client, admin)
    assert reverse("contests:window_confirm", args=[window.pk]) in page
    assert "confirm which ideas go on" in page
    # Applied, it no longer waits.
    StageWindow.objects.filter(pk=window.pk).update(applied_at=now)
    assert "confirm which ideas go on" not in _home(client, admin)


def test_moderators_see_reported_comments_waiting(client, hr_admin):
    from ideas.discussion.services import comment_post, comment_report

    admin, idea = _admin_with_requests(0)
    comment = comment_post(idea=idea, actor=UserFactory(), body="Buy my watches")
    comment_report(comment=comment, actor=UserFactory(), reason="Spam")
    queue = reverse("discussion:reports")
    for moderator in (admin, hr_admin):
        page = _home(client, moderator)
        assert "reported comment to review" in page
        assert queue in page
    assert queue not in _home(client, idea.author)
