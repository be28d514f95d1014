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
    assert set(main.windows.values_list("rule", flat=True)) >= {"threshold", "top_k"}
    challenges = main.challenges.all()
    assert challenges.count() >= 2
    assert all(c.sponsor_id for c in challenges)
    assert any(c.prize for c in challenges)


def test_demo_employee_can_start_the_journey_now(seeded):
    """Registration is open, and employee and colleague both have team room."""
    season = Season.objects.get(name=demo.SEASON_NAME)
    for course in season.racecourses.all():
        assert registration_is_open(racecourse=course)
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
    from voting import selectors
    from voting.models import Ballot, Impression, Tally

    window = StageWindow.objects.get(racecourse__slug="taobao", stage="screening")
    assert window.is_open()
    screening = window.racecourse.ideas.filter(stage=Stage.SCREENING).count()
    assert 8 <= screening <= 12
    employee = User.objects.get(email=demo.EMPLOYEE_EMAIL)
    assert selectors.voter_in_audience(user=employee, racecourse=window.racecourse)
    judged, total = selectors.judging_progress(user=employee, window=window)
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
    assert not selectors.counts_visible(user=employee, window=window)
    hr = User.objects.get(email=f"hr@{demo.DOMAIN}")
    assert selectors.counts_visible(user=hr, window=window)


def test_farm_screening_has_closed_and_was_applied(seeded):
    """A round whose results everyone may see, decided through the funnel."""
    from contests.models import StageWindow
    from voting import selectors
    from voting.models import Ballot, Tally

    window = StageWindow.objects.get(racecourse__slug="farm", stage="screening")
    assert not window.is_open()
    assert window.applied_at is not None
    employee = User.objects.get(email=demo.EMPLOYEE_EMAIL)
    assert selectors.counts_visible(user=employee, window=window)
    tallies = list(selectors.leaderboard(window=window))
    assert len(tallies) >= 5
    assert Ballot.objects.filter(window=window).count() == sum(
        t.voters for t in tallies
    )
    stages = {t.idea.stage for t in tallies}
    assert stages == {Stage.GESTATION, Stage.ELIMINATED}
    for tally in Tally.objects.filter(window=window).select_related("idea"):
        voted_down = tally.opposes > tally.supports
        assert (tally.idea.stage == Stage.ELIMINATED) == voted_down
