"""``manage.py seed_demo`` loads a believable company once, and only once.

Seeding takes a few seconds, so the module seeds once, inside a transaction
that is rolled back after its last test; each test runs in a savepoint.
"""

from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from contests.models import Racecourse, Season
from contests.selectors import registration_is_open
from horserace.accounts.models import Department, User
from horserace.core import demo
from ideas.models import Idea, Stage, TeamMembership
from voting.screening.selectors.queue import judging_progress
from voting.screening.selectors.results import counts_visible, leaderboard
from voting.screening.selectors.rounds import voter_in_audience

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"accounts", "account", "contests", "ideas", "notifications", "voting"}
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The first run's output, with the demo loaded for the whole module."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert not User.objects.exists()
        yield seed()
        transaction.set_rollback(True)


def test_second_run_changes_nothing(seeded):
    """Running it twice loads once; the second run says so and adds no rows."""
    counts = row_counts()
    second = seed()
    assert "Demo company loaded" in seeded
    assert "already loaded" in second
    assert row_counts() == counts
    assert Season.objects.filter(name=demo.SEASON_NAME).count() == 1


def test_every_login_is_printed_each_time(seeded):
    second = seed()
    for _role, email, _note in demo.LOGINS:
        assert email in seeded
        assert email in second
    assert settings.HORSERACE_DEMO_PASSWORD in second


def test_ideas_at_every_stage(seeded):
    stages = set(Idea.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    assert Idea.objects.count() >= 30


def test_ideas_reached_their_stage_through_the_funnel(seeded):
    """Every idea past the draft was registered and has its stage history."""
    for idea in Idea.objects.exclude(stage=Stage.DRAFT).prefetch_related("transitions"):
        transitions = list(idea.transitions.all())
        assert transitions, idea
        assert transitions[-1].to_stage == idea.stage
        # Withdrawn straight from the draft is the one way around registration.
        assert transitions[0].to_stage in (Stage.REGISTERED, Stage.WITHDRAWN)
    registered = Idea.objects.filter(registration__isnull=False).count()
    assert registered == Idea.objects.filter(transitions__to_stage="registered").count()


def test_every_role_is_present(seeded):
    users = User.objects.all()
    assert users.count() >= 36
    assert users.filter(is_mentor=True).count() >= 3
    assert users.filter(is_evaluator=True).count() >= 3
    assert users.filter(is_hr_admin=True).count() >= 2
    assert User.objects.filter(administered_racecourses__isnull=False).exists()
    plain = users.filter(is_mentor=False, is_evaluator=False, is_hr_admin=False)
    assert plain.count() >= 24
    assert {"zh-hans", "en"} <= set(users.values_list("locale", flat=True))
    assert users.exclude(manager=None).count() == users.count() - 1  # all but the CEO
    assert not users.filter(employee_number=None).exists()


def test_well_known_logins_work(seeded, client):
    for _role, email, _note in demo.LOGINS:
        user = User.objects.get(email=email)
        assert user.check_password(settings.HORSERACE_DEMO_PASSWORD), email
        assert user.is_active
    assert client.login(email=demo.EMPLOYEE_EMAIL, password="horserace-demo")


def test_roles_of_well_known_logins(seeded):
    domain = demo.DOMAIN
    hr = User.objects.get(email=f"hr@{domain}")
    assert hr.is_hr_admin and hr.is_staff and hr.is_superuser
    assert User.objects.get(email=f"mentor@{domain}").is_mentor
    assert User.objects.get(email=f"evaluator@{domain}").is_evaluator
    admin = User.objects.get(email=f"racecourse-admin@{domain}")
    assert admin.administered_racecourses.filter(kind="department").exists()


def test_company_structure(seeded):
    group = Department.objects.get(code="group")
    assert group.parent is None
    assert Department.objects.filter(parent=group).count() >= 5
    assert Department.objects.filter(parent__parent=group).count() >= 8
    season = Season.objects.get(name=demo.SEASON_NAME)
    assert season.status == Season.Status.OPEN
    kinds = list(season.racecourses.values_list("kind", flat=True))
    assert sorted(kinds) == ["department", "department", "farm", "main"]
    main = season.racecourses.get(kind=Racecourse.Kind.MAIN)
    for course in season.racecourses.filter(kind=Racecourse.Kind.DEPARTMENT):
        assert course.parent == main
        assert course.department is not None
        assert course.promotion_quota > 0
        assert course.admins.exists()
    assert set(main.windows.values_list("stage", flat=True)) == {
        "registration",
        "screening",
        "gestation",
        "evaluation",
    }
    rules = set(season.racecourses.values_list("windows__rule", flat=True))
    assert rules >= {"manual", "top_k", "voted_down"}
    challenges = main.challenges.all()
    assert challenges.count() >= 2
    assert all(c.sponsor_id for c in challenges)
    assert any(c.prize for c in challenges)


def test_demo_employee_can_start_the_journey_now(seeded):
    """Registration is open somewhere, and employee and colleague have team room."""
    season = Season.objects.get(name=demo.SEASON_NAME)
    open_ = {
        course.kind
        for course in season.racecourses.all()
        if registration_is_open(racecourse=course)
    }
    assert open_ >= {"department", "farm"}
    employee = User.objects.get(email=demo.EMPLOYEE_EMAIL)
    colleague = User.objects.get(email=demo.COLLEAGUE_EMAIL)
    employee_ideas = set(
        TeamMembership.objects.filter(user=employee).values_list("idea", flat=True)
    )
    colleague_ideas = set(
        TeamMembership.objects.filter(user=colleague).values_list("idea", flat=True)
    )
    assert not employee_ideas & colleague_ideas
    assert len(employee_ideas) < season.teams_per_person - 1
    assert len(colleague_ideas) < season.teams_per_person
    assert not colleague.invitations.exists()


def test_refuses_production_settings(seeded, settings):
    """A superuser with a public password has no place in production."""
    settings.SETTINGS_MODULE = "horserace.settings.production"
    counts = row_counts()
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert row_counts() == counts


def test_taobao_screening_is_open_with_real_ballots(seeded):
    """The demo employee can judge now: a round is open, with ideas left."""
    from contests.models import StageWindow
    from voting.models import Ballot, Impression, Tally

    window = StageWindow.objects.get(racecourse__slug="taobao", stage="screening")
    assert window.is_open()
    screening = window.racecourse.ideas.filter(stage=Stage.SCREENING).count()
    assert 10 <= screening <= 16
    employee = User.objects.get(email=demo.EMPLOYEE_EMAIL)
    assert voter_in_audience(user=employee, racecourse=window.racecourse)
    judged, total = judging_progress(user=employee, window=window)
    assert 0 < judged < total
    ballots = Ballot.objects.filter(window=window)
    assert ballots.values("voter").distinct().count() >= 8
    assert ballots.count() >= 50
    assert Impression.objects.filter(window=window).count() > ballots.count()
    # Tallied as the periodic task would: every idea in the round has one.
    tallies = Tally.objects.filter(window=window)
    assert tallies.count() == screening
    assert sorted(tallies.values_list("rank", flat=True)) == list(
        range(1, screening + 1)
    )
    assert sum(t.voters for t in tallies) == ballots.count()
    # Hidden from voters while open; HR sees them live.
    assert not counts_visible(user=employee, window=window)
    hr = User.objects.get(email=f"hr@{demo.DOMAIN}")
    assert counts_visible(user=hr, window=window)


def test_ballots_are_dated_inside_their_rounds_over_several_days(seeded):
    """The dashboard's ballots per day tells a true story: no ballot before its
    round opened or after it closed (or after now), spread over the days."""
    from django.db.models.functions import TruncDate
    from django.utils import timezone

    from contests.models import StageWindow
    from voting.models import Ballot

    now = timezone.now()
    for window in StageWindow.objects.filter(
        stage="screening", ballots__isnull=False
    ).distinct():
        ballots = Ballot.objects.filter(window=window)
        assert not ballots.filter(created_at__lt=window.opens_at).exists()
        assert not ballots.filter(created_at__gt=min(now, window.closes_at)).exists()
        days = ballots.annotate(day=TruncDate("created_at")).values("day").distinct()
        assert days.count() > 1, window


def test_the_discussion_has_a_mention_and_a_report_to_moderate(seeded):
    from horserace.notifications.models import Notification
    from ideas.models import Comment, CommentReport

    employee = User.objects.get(email=demo.EMPLOYEE_EMAIL)
    comments = Comment.objects.filter(idea__racecourse__slug="taobao")
    assert comments.count() >= 3
    assert Notification.objects.filter(
        recipient=employee, kind="ideas.discussion.mentioned"
    ).exists()
    assert CommentReport.objects.filter(comment__in=comments).exists()


def test_farm_screening_has_closed_and_was_applied(seeded):
    """A round whose results everyone may see, decided through the funnel."""
    from contests.models import StageWindow
    from voting.models import Ballot, Tally

    window = StageWindow.objects.get(
        racecourse__slug="farm", stage="screening", round=1
    )
    assert not window.is_open()
    assert window.applied_at is not None
    employee = User.objects.get(email=demo.EMPLOYEE_EMAIL)
    assert counts_visible(user=employee, window=window)
    tallies = list(leaderboard(window=window))
    assert len(tallies) >= 5
    assert Ballot.objects.filter(window=window).count() == sum(
        t.voters for t in tallies
    )
    stages = {t.idea.stage for t in tallies}
    assert stages == {Stage.GESTATION, Stage.ELIMINATED}
    for tally in Tally.objects.filter(window=window).select_related("idea"):
        voted_down = tally.opposes > tally.supports
        assert (tally.idea.stage == Stage.ELIMINATED) == voted_down


def test_the_farm_runs_its_next_round_now(seeded):
    """Round 2 opened when round 1 closed; the idea that waited and the ideas
    planted since are in it, with ballots; it is the farm's current round."""
    from contests.models import StageWindow
    from contests.selectors import window_get
    from voting.models import Ballot

    farm = Racecourse.objects.get(slug="farm")
    round_1, round_2 = StageWindow.objects.filter(
        racecourse=farm, stage="screening"
    ).order_by("round")
    assert round_2.round == 2 and round_2.is_open()
    assert round_2.opens_at == round_1.closes_at
    assert window_get(racecourse=farm, stage="screening") == round_2
    in_round = farm.ideas.filter(stage=Stage.SCREENING)
    assert in_round.count() == 4
    assert in_round.filter(title="Courier route sharing").exists()
    assert Ballot.objects.filter(window=round_2).exists()
    assert not farm.ideas.filter(stage=Stage.REGISTERED).exists()


# --- Gestation, offline evaluation and realization ------------------------------

LATER = (Stage.EVALUATION, Stage.REALIZATION, Stage.REALIZED)


def _main():
    return Racecourse.objects.get(season__name=demo.SEASON_NAME, kind="main")


def _user(key: str) -> User:
    return User.objects.get(email=f"{key}@{demo.DOMAIN}")


def _reached_evaluation():
    """Ideas that handed in a proposal, whatever became of them since."""
    return Idea.objects.filter(transitions__to_stage=Stage.EVALUATION).distinct()


def test_every_idea_ends_at_its_demo_stage(seeded):
    """The services move the later ideas exactly as far as the bare funnel did.

    Only the farm's screening ideas differ: its closed round decided them; and
    an idea registered while its racecourse's screening is open is in it
    (rolling entry), as the farm's waiting idea is in its open round.
    """
    from contests.models import StageWindow
    from horserace.core.demo.ideas import IDEAS

    for spec in IDEAS:
        if spec.racecourse == "farm" and spec.stage == Stage.SCREENING:
            continue
        if spec.stage == Stage.REGISTERED:
            screening = StageWindow.objects.filter(
                racecourse__slug=spec.racecourse, stage="screening"
            ).order_by("-round")[0]
            if screening.is_open():
                stage = Idea.objects.get(title=spec.title).stage
                assert stage == Stage.SCREENING, spec.title
                continue
        assert Idea.objects.get(title=spec.title).stage == spec.stage, spec.title


def test_main_calendar_screened_then_gestation_and_evaluation_open(seeded):
    """The main racecourse's registration and screening closed and were applied;
    gestation is open now and holds late teams for HR; offline evaluation
    opened while gestation runs; no window is left for the periodic task."""
    from django.utils import timezone

    from contests.closing import windows_due

    main = _main()
    for stage in ("registration", "screening"):
        window = main.windows.get(stage=stage)
        assert window.closes_at <= timezone.now()
        assert window.applied_at is not None
    gestation = main.windows.get(stage="gestation")
    evaluation = main.windows.get(stage="evaluation")
    assert gestation.is_open()
    assert gestation.missing_proposal == "hold"
    assert evaluation.is_open()
    assert evaluation.opens_at > gestation.opens_at
    assert not registration_is_open(racecourse=main)
    assert not windows_due(when=timezone.now()).exists()


def test_resource_catalogue_and_budgets(seeded):
    """One resource of every kind, budgeted on the main and department racecourses."""
    from contests.models import Resource, ResourceKind

    season = Season.objects.get(name=demo.SEASON_NAME)
    resources = Resource.objects.filter(season=season)
    assert sorted(resources.values_list("kind", flat=True)) == sorted(
        ResourceKind.values
    )
    assert all(r.description and r.is_active for r in resources)
    assert _main().budgets.count() == len(ResourceKind.values)
    for course in season.racecourses.filter(kind="department"):
        assert course.budgets.count() == len(ResourceKind.values)


def test_no_budget_is_overdrawn(seeded):
    from contests.models import ResourceBudget
    from ideas.gestation.services.resources import granted_total

    budgets = ResourceBudget.objects.select_related("resource", "racecourse")
    assert budgets.exists()
    for budget in budgets:
        granted = granted_total(resource=budget.resource, racecourse=budget.racecourse)
        assert granted <= budget.amount, budget


def test_resource_requests_in_every_state(seeded):
    """Granted in full and in part, waiting, answered, asked about, declined."""
    from django.db.models import F

    from ideas.models import ResourceRequest

    requests = ResourceRequest.objects.filter(idea__racecourse=_main())
    granted = requests.filter(status="granted")
    assert granted.filter(granted_amount=F("amount")).count() >= 5
    assert granted.filter(granted_amount__lt=F("amount")).count() >= 3
    assert requests.filter(status="declined").exclude(decision_note="").count() >= 1
    question = requests.get(status="question")
    assert question.idea.stage == Stage.GESTATION
    assert question.messages.count() == 1  # the team has not answered yet
    pending = requests.filter(status="pending")
    assert pending.count() >= 2
    answered = pending.filter(messages__isnull=False).distinct().get()
    authors = list(answered.messages.values_list("author", flat=True))
    assert authors[-1] == answered.requested_by_id  # the captain answered last
    # Only teams in gestation have requests still open.
    open_requests = requests.filter(status__in=["pending", "question"])
    assert set(open_requests.values_list("idea__stage", flat=True)) == {Stage.GESTATION}


def test_trainer_pool_and_assignments(seeded):
    """Every mentor is in the pool; mentor@ coaches the demo employee's team
    and one more, with sessions logged; a team waits for a trainer."""
    from contests.models import Trainer
    from ideas.models import TrainerAssignment

    pool = Trainer.objects.filter(season__name=demo.SEASON_NAME)
    assert set(pool.values_list("user", flat=True)) == set(
        User.objects.filter(is_mentor=True).values_list("pk", flat=True)
    )
    for trainer in pool:
        active = trainer.assignments.filter(status="active").count()
        assert active <= trainer.capacity, trainer
    mentor = _user("mentor")
    active = TrainerAssignment.objects.filter(trainer__user=mentor, status="active")
    titles = set(active.values_list("idea__title", flat=True))
    assert len(titles) == 2
    assert "Voice ordering for elderly shoppers" in titles
    employee = User.objects.get(email=demo.EMPLOYEE_EMAIL)
    voice = active.get(idea__title="Voice ordering for elderly shoppers")
    assert voice.idea.memberships.filter(user=employee).exists()
    assert voice.sessions.filter(logged_by=mentor).count() >= 1
    asking = TrainerAssignment.objects.get(status="requested")
    assert asking.trainer is None and asking.idea.stage == Stage.GESTATION


def test_gestation_progress(seeded):
    """Teams in gestation have milestones (some done), post updates and have
    not handed in a proposal yet."""
    from ideas.models import FinalProposal, ProgressUpdate

    gestating = Idea.objects.filter(racecourse=_main(), stage=Stage.GESTATION)
    assert gestating.count() >= 4
    for idea in gestating:
        assert idea.milestones.filter(done_at__isnull=False).exists(), idea
        assert idea.milestones.filter(done_at__isnull=True).exists(), idea
        assert idea.progress_updates.exists(), idea
        assert not FinalProposal.objects.filter(idea=idea).exists(), idea
    employee = User.objects.get(email=demo.EMPLOYEE_EMAIL)
    assert ProgressUpdate.objects.filter(author=employee).exists()


def test_projects_past_gestation_have_their_history(seeded):
    """Grants, a trainer who logged a session, milestones and a final proposal."""
    projects = _reached_evaluation()
    assert projects.count() == 8
    for idea in projects:
        assert idea.final_proposal.summary, idea
        assert idea.resource_requests.filter(status="granted").exists(), idea
        assignment = idea.trainer_assignments.get()
        assert assignment.status == "ended"
        assert assignment.sessions.exists()
        assert not idea.milestones.filter(done_at__isnull=True).exists()


def test_rubric_and_evaluator_pool(seeded):
    main = _main()
    criteria = list(main.rubric.criteria.all())
    assert 4 <= len(criteria) <= 5
    assert all(c.guidance for c in criteria)
    assert len({c.weight for c in criteria}) > 1
    assert len({(c.scale_min, c.scale_max) for c in criteria}) > 1
    pool = main.evaluators.all()
    assert pool.count() >= 5
    assert _user("evaluator") in pool
    assert all(user.is_evaluator for user in pool)
    assert (main.evaluators_per_project, main.max_projects_per_evaluator) == (3, 6)


def test_assignments_respect_k_l_and_conflicts(seeded):
    """k evaluators per project, at most L each, never a conflicted one."""
    from collections import Counter

    from voting.evaluation.conflicts.automatic import conflict_map
    from voting.models import Assignment, Conflict

    main = _main()
    projects = list(_reached_evaluation().select_related("racecourse"))
    conflicts = conflict_map(ideas=projects)
    declared = Conflict.objects.get(evaluator=_user("evaluator"))
    assert declared.source == "evaluator"
    assert declared.evaluator_id in conflicts[declared.idea_id]
    assignments = Assignment.objects.filter(idea__in=projects)
    for idea in projects:
        assert assignments.filter(idea=idea).count() == 3, idea
    for assignment in assignments:
        assert assignment.evaluator_id not in conflicts[assignment.idea_id]
        assert assignment.source == "auto"
    loads = Counter(assignments.values_list("evaluator", flat=True))
    assert max(loads.values()) <= main.max_projects_per_evaluator


def test_evaluator_has_one_card_submitted_and_one_to_go(seeded):
    from voting.models import Assignment

    mine = Assignment.objects.filter(
        evaluator=_user("evaluator"), idea__stage=Stage.EVALUATION
    ).select_related("scorecard")
    cards = [getattr(a, "scorecard", None) for a in mine]
    assert any(c is not None and c.status == "submitted" for c in cards)
    assert any(c is None or c.status == "draft" for c in cards)


def test_panel_decisions_follow_full_scorecards(seeded):
    """Decided projects had all three cards in; the decision moved them on."""
    from voting.models import PanelDecision, Scorecard

    decisions = PanelDecision.objects.select_related("idea")
    assert decisions.count() == 5
    for decision in decisions:
        idea = decision.idea
        cards = Scorecard.objects.filter(assignment__idea=idea, status="submitted")
        assert cards.count() == 3, idea
        assert cards.filter(scores__isnull=False).exists()
        assert decision.feedback and decision.calibrated_score is not None
        if decision.outcome == "selected":
            assert idea.stage in (Stage.REALIZATION, Stage.REALIZED)
        else:
            assert idea.stage == Stage.ELIMINATED
            assert idea.transitions.last().reason == decision.feedback
    assert decisions.filter(outcome="eliminated").count() == 1
    undecided = Idea.objects.filter(racecourse=_main(), stage=Stage.EVALUATION)
    assert undecided.count() == 3
    assert not PanelDecision.objects.filter(idea__in=undecided).exists()


def test_projects_in_realization(seeded):
    """Adopted with an owner; time approved and waiting; tranche 1 released,
    tranche 2's review waiting for HR."""
    from ideas.models import TimeAllocation

    projects = Idea.objects.filter(stage=Stage.REALIZATION)
    assert projects.count() == 2
    adopted = [
        o
        for idea in projects
        for o in idea.outcomes.filter(kind="adopted").select_related("owner")
    ]
    assert adopted and all(o.department_id and o.owner_id for o in adopted)
    allocations = TimeAllocation.objects.filter(outcome__idea__in=projects)
    assert allocations.filter(approved_at__isnull=False).exists()
    assert allocations.filter(approved_at__isnull=True, declined_at__isnull=True)
    for idea in projects:
        plan = idea.investment_plan
        assert plan.status == "active"
        statuses = list(plan.tranches.order_by("position").values_list("status"))
        assert statuses == [("released",), ("in_review",), ("planned",)]


def test_realized_projects_completed_their_plans(seeded):
    """Every tranche released; the last release realized the project."""
    realized = Idea.objects.filter(stage=Stage.REALIZED)
    assert realized.count() == 2
    for idea in realized:
        plan = idea.investment_plan
        assert plan.status == "completed"
        assert set(plan.tranches.values_list("status", flat=True)) == {"released"}
        last = idea.transitions.last()
        assert (last.from_stage, last.to_stage) == (Stage.REALIZATION, Stage.REALIZED)
        assert idea.outcomes.filter(kind="adopted").exists()


# --- The calendar tells the truth -------------------------------------------------

#: Stages an idea reaches only by passing online screening.
PAST_SCREENING = (
    Stage.GESTATION,
    Stage.EVALUATION,
    Stage.REALIZATION,
    Stage.REALIZED,
)


def _stage_refusals(idea, now) -> list[str]:
    """Why ``idea``'s stage (and its history) is impossible given its windows.

    Whatever the demo's ideas are: the rules are the platform's calendar, not
    the demo's names.
    """
    from contests.models import WindowStage
    from voting.models import Tally

    course = idea.racecourse
    windows = {w.stage: w for w in course.windows.all()}
    # Every round of the racecourse (the farm may hold one after another).
    rounds = [w for w in course.windows.all() if w.stage == WindowStage.SCREENING]
    transitions = list(idea.transitions.all())
    problems = []

    def opened(stage):
        window = windows.get(stage)
        return window is None or window.opens_at <= now

    if idea.stage == Stage.REGISTERED and not (
        registration_is_open(racecourse=course, when=now)
        or any(w.opens_at > now for w in rounds)
    ):
        problems.append("registered, but registration is closed and screening open")
    if idea.stage == Stage.SCREENING and not any(w.is_open(now) for w in rounds):
        problems.append("in screening, but no screening window is open now")
    # Passed or eliminated by a round (withdrawing or merging needs none).
    screened_out = [
        t
        for t in transitions
        if t.from_stage == Stage.SCREENING
        and t.to_stage in (Stage.GESTATION, Stage.ELIMINATED)
    ]
    if idea.stage in PAST_SCREENING or screened_out:
        # Judged in a round that really closed, was applied, and tallied it.
        tallies = [
            t
            for t in Tally.objects.filter(
                idea=idea, window__stage=WindowStage.SCREENING
            ).select_related("window")
            if t.window.closes_at <= now and t.window.applied_at is not None
        ]
        if not tallies:
            problems.append("left screening without a closed, applied, tallied round")
        for t in screened_out:
            if tallies and t.created_at < min(x.window.closes_at for x in tallies):
                problems.append(f"left screening at {t.created_at}, before its close")
        # ... and entered that round before it closed.
        entered = [t.created_at for t in transitions if t.to_stage == Stage.SCREENING]
        if (
            tallies
            and entered
            and min(entered) >= max(x.window.closes_at for x in tallies)
        ):
            problems.append("entered screening only after its round had closed")
    if idea.stage in PAST_SCREENING and not opened(WindowStage.GESTATION):
        problems.append("past screening, but gestation has not opened")
    if idea.stage in PAST_SCREENING[1:] and not opened(WindowStage.EVALUATION):
        problems.append("past gestation, but offline evaluation has not opened")
    # In the order they were written, each dated no earlier than the last.
    stamps = [t.created_at for t in sorted(transitions, key=lambda t: t.pk)]
    if stamps != sorted(stamps) or any(s > now for s in stamps):
        problems.append("its stage history is out of order or in the future")
    return problems


def test_every_idea_stage_is_possible_given_its_windows(seeded):
    """No idea sits at a stage its racecourse's windows do not allow now.

    Screening only while a screening window is open; registered only while
    registration is open or screening is still to come; gestation and later
    only after a screening round that really closed, was applied and tallied
    the idea (and after the later stages' windows opened); every history in
    order and in the past.
    """
    from django.utils import timezone

    now = timezone.now()
    ideas = Idea.objects.select_related("racecourse").prefetch_related(
        "racecourse__windows", "transitions"
    )
    wrong = {
        f"{idea.title} ({idea.racecourse.slug}, {idea.stage})": problems
        for idea in ideas
        if (problems := _stage_refusals(idea, now))
    }
    assert wrong == {}
    # Every stage of the funnel is shown somewhere, truthfully.
    assert set(ideas.values_list("stage", flat=True)) == set(Stage.values)


def test_a_panel_shows_screening_results_and_the_vote_flag(seeded):
    """Projects before a panel were screened: the board shows their result, and
    the employees' vote and the panel disagree on at least one of them."""
    from voting.evaluation.panel.board import FLAG_VOTE_MISMATCH, panel_board

    hr = _user("hr")
    boards = [
        panel_board(racecourse=course, user=hr)
        for course in Racecourse.objects.filter(
            ideas__stage__in=(Stage.EVALUATION, Stage.REALIZATION)
        ).distinct()
    ]
    rows = [row for board in boards for row in board.rows]
    assert rows
    assert all(row.screening is not None for row in rows)
    assert any(FLAG_VOTE_MISMATCH in row.flags for row in rows)
