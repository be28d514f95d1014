"""Who may manage the race: HR admins everywhere, racecourse admins at home."""

import pytest
from django.contrib.auth.models import AnonymousUser

from contests.rules import is_racecourse_admin
from tests.factories import RacecourseFactory, UserFactory

pytestmark = pytest.mark.django_db

# role → (may manage this racecourse, may manage seasons)
MATRIX = {
    "hr_admin": (True, True),
    "superuser": (True, True),
    "this_racecourse_admin": (True, False),
    "other_racecourse_admin": (False, False),
    "evaluator": (False, False),
    "mentor": (False, False),
    "employee": (False, False),
    "anonymous": (False, False),
}


@pytest.fixture
def racecourse():
    return RacecourseFactory()


def _person(role, racecourse):
    if role == "anonymous":
        return AnonymousUser()
    user = UserFactory(
        is_hr_admin=role == "hr_admin",
        is_superuser=role == "superuser",
        is_evaluator=role == "evaluator",
        is_mentor=role == "mentor",
    )
    if role == "this_racecourse_admin":
        racecourse.admins.add(user)
    if role == "other_racecourse_admin":
        RacecourseFactory(season=racecourse.season).admins.add(user)
    return user


@pytest.mark.parametrize("role", MATRIX)
def test_manage_permissions_by_role(racecourse, role):
    """Only HR and the racecourse's own admins manage it; only HR manages seasons."""
    user = _person(role, racecourse)
    may_manage_racecourse, may_manage_season = MATRIX[role]
    assert user.has_perm("contests.manage_racecourse", racecourse) is (
        may_manage_racecourse
    )
    assert user.has_perm("contests.manage_season") is may_manage_season


def test_admin_rights_do_not_carry_to_the_next_season(racecourse):
    """Admins are named per racecourse, so a new season starts without them."""
    admin = _person("this_racecourse_admin", racecourse)
    next_year = RacecourseFactory(slug=racecourse.slug)
    assert not admin.has_perm("contests.manage_racecourse", next_year)


def test_racecourse_admin_predicate_handles_missing_racecourse():
    """Asking about no racecourse is a plain no."""
    assert is_racecourse_admin(UserFactory(), None) is False
    assert is_racecourse_admin(AnonymousUser(), None) is False


@pytest.mark.django_db
def test_an_inactive_hr_admin_manages_nothing():
    """Deactivating an account takes its HR powers away at once."""
    from tests.factories import RacecourseFactory, UserFactory

    former = UserFactory(is_hr_admin=True, is_active=False)
    assert not former.has_perm("contests.manage_season")
    assert not former.has_perm("contests.manage_racecourse", RacecourseFactory())
