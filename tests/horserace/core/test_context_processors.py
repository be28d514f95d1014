"""``roles``: the person's roles, worked out at most once per request."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from horserace.core.context_processors import roles
from horserace.core.roles import roles_of
from tests.factories import RacecourseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_roles_are_lazy_and_asked_once(django_assert_num_queries):
    admin = UserFactory()
    RacecourseFactory().admins.add(admin)
    with django_assert_num_queries(0):
        context = roles(_request(admin))
    with django_assert_num_queries(1):
        assert context["roles"].racecourse_admin
        assert context["roles"].racecourse_admin
        assert context["roles"].names == ["employee", "racecourse_admin"]


def test_the_roles_of_each_kind_of_person():
    assert roles_of(UserFactory()).names == ["employee"]
    assert roles_of(UserFactory(is_evaluator=True, is_mentor=True)).names == [
        "employee",
        "evaluator",
        "mentor",
    ]
    assert roles_of(UserFactory(is_hr_admin=True)).names == [
        "employee",
        "racecourse_admin",
        "hr",
    ]
    assert roles_of(AnonymousUser()).names == []
    leaver = UserFactory(is_active=False)
    RacecourseFactory().admins.add(leaver)
    assert not roles_of(leaver).racecourse_admin


def test_the_menu_shows_the_console_to_a_racecourse_admin_only(client):
    admin = UserFactory()
    RacecourseFactory().admins.add(admin)
    console = reverse("console:index")
    client.force_login(admin)
    assert console in client.get(reverse("ideas:mine")).content.decode()
    client.force_login(UserFactory())
    assert console not in client.get(reverse("ideas:mine")).content.decode()
