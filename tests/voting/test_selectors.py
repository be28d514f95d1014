"""Who may judge what, the judging queue, progress, counts and results."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from contests.models import Racecourse, WindowStage
from ideas import funnel
from ideas.models import Stage, Visibility
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import (
    DepartmentFactory,
    StageWindowFactory,
    UserFactory,
    idea_in_stage,
    open_racecourse,
)
from voting.models import Choice, Tally
from voting.screening.selectors.ballots import ballot_list
from voting.screening.selectors.queue import (
    judging_progress,
    judging_queue,
    shuffle_position,
)
from voting.screening.selectors.results import (
    counts_visible,
    leaderboard,
    windows_to_tally,
)
from voting.screening.selectors.rounds import (
    judge_refusal,
    judge_refusal_detail,
    screening_window,
    voter_in_audience,
)
from voting.screening.services.ballots import ballot_cast
from voting.screening.services.tallies import tally_round

from .factories import (
    after,
    before,
    closed_round,
    department_racecourse,
    during,
    screening_idea,
    screening_round,
    voters,
    waiting_idea,
)

pytestmark = pytest.mark.django_db


def join_team(idea, user):
    invitation = team_invite(idea=idea, actor=idea.author, invitee=user)
    invitation_accept(invitation=invitation, actor=user)


def refusal_code(user, idea, window, when=None):
    refusal = judge_refusal_detail(user=user, idea=idea, window=window, when=when)
    return None if refusal is None else refusal.code


# --- Rounds and audiences --------------------------------------------------------


def test_screening_window_is_the_racecourses_screening_round():
    window = screening_round()
    assert screening_window(racecourse=window.racecourse) == window
    assert screening_window(racecourse=open_racecourse()) is None


def test_main_racecourse_and_farm_vote_company_wide():
    main = open_racecourse()
    farm = open_racecourse(kind=Racecourse.Kind.FARM)
    for racecourse in (main, farm):
        assert voter_in_audience(user=UserFactory(), racecourse=racecourse)
        assert voter_in_audience(
            user=UserFactory(department=DepartmentFactory()), racecourse=racecourse
        )


def test_department_racecourse_votes_in_its_department_and_below():
    """Its department and sub-departments vote; the parent, others and no one don't."""
    parent = DepartmentFactory()
    home = DepartmentFactory(parent=parent)
    child = DepartmentFactory(parent=home)
    grandchild = DepartmentFactory(parent=child)
    racecourse = department_racecourse(department=home)

    def votes(department):
        user = UserFactory(department=department)
        return voter_in_audience(user=user, racecourse=racecourse)

    assert votes(home) and votes(child) and votes(grandchild)
    assert not votes(parent)
    assert not votes(DepartmentFactory())
    assert not votes(None)
    assert not voter_in_audience(user=AnonymousUser(), racecourse=racecourse)


def test_audience_setting_overrides_the_kind():
    home = DepartmentFactory()
    outsider = UserFactory(department=DepartmentFactory())
    company_wide = department_racecourse(department=home, audience="company")
    assert voter_in_audience(user=outsider, racecourse=company_wide)
    narrowed = open_racecourse(department=home, audience="department")
    assert not voter_in_audience(user=outsider, racecourse=narrowed)
    assert voter_in_audience(user=UserFactory(department=home), racecourse=narrowed)


def test_department_audience_without_a_department_is_the_company():
    racecourse = open_racecourse(audience="department")
    assert voter_in_audience(user=UserFactory(), racecourse=racecourse)


# --- judge_refusal ------------------------------------------------------------------


@pytest.fixture
def window():
    return screening_round()


@pytest.fixture
def idea(window):
    return screening_idea(window)


def test_an_employee_may_judge_an_idea_in_the_open_round(window, idea):
    assert judge_refusal(user=UserFactory(), idea=idea, window=window) is None


def test_no_judging_before_the_round_opens_or_after_it_closes(window, idea):
    voter = UserFactory()
    assert refusal_code(voter, idea, window, before(window)) == "not_open"
    assert refusal_code(voter, idea, window, after(window)) == "closed"
    assert refusal_code(voter, idea, window, window.closes_at) == "closed"
    assert refusal_code(voter, idea, window, window.opens_at) is None
    message = judge_refusal(user=voter, idea=idea, window=window, when=after(window))
    assert "closed" in message


def test_no_judging_without_a_screening_round(idea):
    registration = idea.racecourse.windows.get(stage=WindowStage.REGISTRATION)
    assert refusal_code(UserFactory(), idea, registration) == "no_round"
    assert refusal_code(UserFactory(), idea, None) == "no_round"


def test_an_idea_is_judged_only_in_its_own_racecourses_round(idea):
    other = screening_round()
    assert refusal_code(UserFactory(), idea, other) == "wrong_round"


@pytest.mark.parametrize("stage", [Stage.REGISTERED, Stage.GESTATION, Stage.WITHDRAWN])
def test_only_ideas_in_screening_are_judged(window, stage):
    if stage == Stage.REGISTERED:
        idea = waiting_idea(window)
    else:
        idea = idea_in_stage(stage, racecourse=window.racecourse)
    assert refusal_code(UserFactory(), idea, window) == "not_screening"


def test_nobody_judges_their_own_teams_idea(window, idea):
    member = UserFactory()
    join_team(idea, member)
    idea.refresh_from_db()
    for person in (idea.author, member):
        refusal = judge_refusal_detail(user=person, idea=idea, window=window)
        assert refusal.code == "own_team" and refusal.forbidden


def test_outside_the_audience_is_refused():
    home = DepartmentFactory()
    window = screening_round(racecourse=department_racecourse(department=home))
    idea = screening_idea(window, author=UserFactory(department=home))
    outsider = UserFactory(department=DepartmentFactory())
    assert refusal_code(outsider, idea, window) == "audience"
    assert refusal_code(UserFactory(department=home), idea, window) is None


def test_an_idea_the_voter_may_not_see_is_refused(window):
    idea = screening_idea(window, visibility=Visibility.CONFIDENTIAL)
    assert refusal_code(UserFactory(), idea, window) == "not_visible"
    # The evaluator role alone reads nothing confidential; the team's invitee does.
    assert refusal_code(UserFactory(is_evaluator=True), idea, window) == "not_visible"
    from ideas.services.teams import team_invite

    invitee = UserFactory()
    team_invite(idea=idea, actor=idea.author, invitee=invitee)
    assert refusal_code(invitee, idea, window) is None


def test_anonymous_and_inactive_people_are_refused(window, idea):
    assert refusal_code(AnonymousUser(), idea, window) == "not_logged_in"
    assert refusal_code(UserFactory(is_active=False), idea, window) == "not_logged_in"


# --- The judging queue ---------------------------------------------------------------


@pytest.fixture
def field(window):
    """Twelve ideas in screening on the window's racecourse."""
    return [screening_idea(window) for _ in range(12)]


def queue_ids(user, window):
    return [i.pk for i in judging_queue(user=user, window=window)]


def test_queue_holds_exactly_the_ideas_the_voter_may_judge(window, field):
    voter = UserFactory()
    own = screening_idea(window, author=voter)
    hidden = screening_idea(window, visibility=Visibility.CONFIDENTIAL)
    registered = waiting_idea(window)
    elsewhere = screening_idea(screening_round())
    ids = queue_ids(voter, window)
    assert sorted(ids) == sorted(i.pk for i in field)
    assert not {own.pk, hidden.pk, registered.pk, elsewhere.pk} & set(ids)


def test_queue_order_is_stable_per_voter_and_differs_between_voters(window, field):
    alice, bob, carol = voters(3)
    first = queue_ids(alice, window)
    assert queue_ids(alice, window) == first
    assert len(set(first)) == len(field)
    others = [queue_ids(bob, window), queue_ids(carol, window)]
    assert all(sorted(o) == sorted(first) for o in others)
    assert len({tuple(first), *map(tuple, others)}) == 3
    assert first != sorted(first)  # not simply by id


def test_queue_order_changes_with_the_round():
    a, b = screening_round(), screening_round()
    # Compare the orders the two rounds give the same ids.
    voter = UserFactory()
    ids = list(range(1, 40))

    def order(window):
        return sorted(
            ids,
            key=lambda i: shuffle_position(
                voter_id=voter.pk, window_id=window.pk, idea_id=i
            ),
        )

    assert order(a) != order(b)


def test_queue_order_in_sql_matches_the_python_positions(window, field):
    voter = UserFactory()
    ideas = list(judging_queue(user=voter, window=window))
    assert [i.shuffle for i in ideas] == [
        shuffle_position(voter_id=voter.pk, window_id=window.pk, idea_id=i.pk)
        for i in ideas
    ]


def test_first_looks_are_spread_across_the_ideas(window, field):
    """Over many voters, more than a few different ideas come first."""
    firsts = {queue_ids(v, window)[0] for v in voters(40)}
    assert len(firsts) >= 6


def test_queue_marks_judged_ideas_and_progress_counts_them(window, field):
    voter = UserFactory()
    for idea in field[:3]:
        ballot_cast(voter=voter, idea=idea, choice=Choice.SUPPORT)
    queue = judging_queue(user=voter, window=window)
    judged = {i.pk: i.my_choice for i in queue if i.my_choice}
    assert judged == {i.pk: Choice.SUPPORT for i in field[:3]}
    assert queue.filter(my_choice__isnull=True).count() == len(field) - 3
    assert judging_progress(user=voter, window=window) == (3, len(field))


def test_queue_is_empty_outside_the_audience():
    home = DepartmentFactory()
    window = screening_round(racecourse=department_racecourse(department=home))
    screening_idea(window, author=UserFactory(department=home))
    outsider = UserFactory(department=DepartmentFactory())
    assert queue_ids(outsider, window) == []
    assert judging_progress(user=outsider, window=window) == (0, 0)


def test_queue_reads_in_a_fixed_number_of_queries(
    window, field, django_assert_max_num_queries
):
    voter = UserFactory()
    with django_assert_max_num_queries(3):
        ideas = list(judging_queue(user=voter, window=window))
        for idea in ideas:
            [m.user.display_name for m in idea.memberships.all()]
            idea.challenge, idea.registration  # noqa: B018


# --- Counts and results ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("hide", "moment", "voter_sees"),
    [
        (True, "during", False),
        (True, "after", True),
        (False, "during", True),
        (False, "after", True),
    ],
)
def test_counts_are_hidden_from_voters_until_the_close(hide, moment, voter_sees):
    window = screening_round(hide_counts=hide)
    admin = UserFactory()
    window.racecourse.admins.add(admin)
    when = during(window) if moment == "during" else after(window)
    assert counts_visible(user=UserFactory(), window=window, when=when) == voter_sees
    hr = UserFactory(is_hr_admin=True)
    assert counts_visible(user=hr, window=window, when=when)
    assert counts_visible(user=admin, window=window, when=when)
    assert not counts_visible(user=AnonymousUser(), window=window, when=when)


def test_admins_of_another_racecourse_do_not_see_live_counts(window):
    other_admin = UserFactory()
    open_racecourse().admins.add(other_admin)
    assert not counts_visible(user=other_admin, window=window, when=during(window))


def test_leaderboard_is_in_rank_order_without_extra_queries(
    window, field, django_assert_num_queries
):
    people = voters(3)
    for n, idea in enumerate(field[:4]):
        for voter in people[: n % 3 + 1]:
            ballot_cast(voter=voter, idea=idea, choice=Choice.SUPPORT)
    tally_round(window=window)
    with django_assert_num_queries(1):
        rows = list(leaderboard(window=window))
        [(t.idea.title, t.idea.registration.code) for t in rows]
    assert [t.rank for t in rows] == list(range(1, len(field) + 1))
    assert rows[0].voters == 3


def test_ballot_list_is_the_voters_own_last_changed_first(window, field):
    voter, other = voters(2)
    ballot_cast(voter=voter, idea=field[0], choice=Choice.SUPPORT)
    ballot_cast(voter=voter, idea=field[1], choice=Choice.OPPOSE)
    ballot_cast(voter=other, idea=field[0], choice=Choice.OPPOSE)
    ballot_cast(voter=voter, idea=field[0], choice=Choice.OPPOSE)
    ballots = list(ballot_list(voter=voter))
    assert [b.idea_id for b in ballots] == [field[0].pk, field[1].pk]
    assert list(ballot_list(voter=voter, window=screening_round())) == []


def test_windows_to_tally_are_open_ones_and_closed_ones_not_yet_final():
    now = timezone.now()
    open_now = screening_round()
    screening_idea(open_now)
    closed = closed_round()
    idea = screening_idea(closed)
    ballot_cast(
        voter=UserFactory(), idea=idea, choice=Choice.SUPPORT, when=during(closed)
    )
    empty_closed = closed_round()
    future = screening_round(
        opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=2)
    )
    StageWindowFactory(racecourse=future.racecourse, stage=WindowStage.GESTATION)

    due = set(windows_to_tally(when=now))
    assert due == {open_now, closed}
    assert empty_closed not in due

    tally_round(window=closed)
    assert set(windows_to_tally(when=now)) == {open_now}

    # A snapshot from before the close is not final.
    Tally.objects.filter(window=closed).update(
        computed_at=closed.closes_at - dt.timedelta(minutes=5)
    )
    assert closed in set(windows_to_tally(when=now))


def test_a_closed_round_with_ideas_left_in_screening_is_tallied_once():
    closed = closed_round()
    idea = screening_idea(closed)
    assert closed in set(windows_to_tally())
    tally_round(window=closed)
    assert closed not in set(windows_to_tally())
    funnel.idea_pass_screening(idea=idea)
    assert closed not in set(windows_to_tally())


def test_idea_for_judging_brings_its_round_in_the_same_query(
    window, idea, django_assert_num_queries
):
    """The ballot hot path reads the idea, its round and the voter's role at once."""
    from voting.screening.selectors.ballots import idea_for_judging

    voter = UserFactory()
    # On PostgreSQL the statement is prepared once per connection (a PREPARE
    # before the first EXECUTE): count a call on a connection that has it.
    idea_for_judging(user=voter, pk=idea.pk)
    with django_assert_num_queries(1):
        loaded = idea_for_judging(user=voter, pk=idea.pk)
        assert loaded.idea == idea and loaded.window == window
        assert loaded.on_team is False and loaded.readable is True
