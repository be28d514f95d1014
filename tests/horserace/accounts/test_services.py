"""The user's own preferences (``user_update_preferences``) and the department tree."""

import pytest
from django.core.exceptions import ValidationError

from horserace.accounts.models import User
from horserace.accounts.services import user_update_preferences
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_preferences_are_saved():
    """Display name (trimmed), language and time zone are stored."""
    user = UserFactory()
    user_update_preferences(
        user=user, display_name="  Li Wei ", locale="zh-hans", time_zone="Asia/Shanghai"
    )
    user = User.objects.get(pk=user.pk)
    assert (user.display_name, user.locale, user.time_zone) == (
        "Li Wei",
        "zh-hans",
        "Asia/Shanghai",
    )


def test_only_given_preferences_change():
    """Leaving a preference out keeps its current value."""
    user = UserFactory(display_name="Li Wei", locale="en", time_zone="Europe/Berlin")
    user_update_preferences(user=user, locale="zh-hans")
    user = User.objects.get(pk=user.pk)
    assert (user.display_name, user.locale, user.time_zone) == (
        "Li Wei",
        "zh-hans",
        "Europe/Berlin",
    )


def test_no_changes_writes_nothing():
    """Calling without preferences sends no UPDATE."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        user_update_preferences(user=user)
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_name", ""),
        ("display_name", "   "),
        ("locale", "fr"),
        ("locale", "zh"),
        ("time_zone", "Mars/Olympus_Mons"),
        ("time_zone", "asia/shanghai"),
    ],
)
def test_invalid_preferences_are_refused(field, value):
    """Blank names, unsupported languages and unknown zones are errors on that field."""
    user = UserFactory(display_name="Li Wei", locale="en", time_zone="UTC")
    with pytest.raises(ValidationError) as excinfo:
        user_update_preferences(user=user, **{field: value})
    assert list(excinfo.value.message_dict) == [field]
    user = User.objects.get(pk=user.pk)
    assert (user.display_name, user.locale, user.time_zone) == ("Li Wei", "en", "UTC")


def test_an_invalid_preference_saves_none_of_the_others():
    """A request with one bad value changes nothing at all."""
    user = UserFactory(display_name="Li Wei", locale="en")
    with pytest.raises(ValidationError):
        user_update_preferences(user=user, display_name="New", time_zone="Nowhere")
    assert User.objects.get(pk=user.pk).display_name == "Li Wei"


def test_department_tree_ancestors_and_descendants():
    """Departments know their parents and everything below them."""
    group = DepartmentFactory(name="Group")
    taobao = DepartmentFactory(name="Taobao", parent=group)
    search = DepartmentFactory(name="Search", parent=taobao)
    DepartmentFactory(name="Alipay", parent=group)
    assert search.ancestors() == [taobao, group]
    assert group.ancestors() == []
    assert taobao.descendant_ids() == {taobao.pk, search.pk}
    assert search.descendant_ids() == {search.pk}


def test_email_is_unique_whatever_its_case():
    """Two accounts cannot share an address that differs only in case."""
    from django.db import IntegrityError, transaction

    User.objects.create_user("li.wei@example.com", display_name="Li Wei")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="LI.WEI@example.com", display_name="X")])


def test_create_user_lowercases_the_address():
    """Accounts are made with the e-mail address in lower case."""
    user = User.objects.create_user("Li.Wei@Example.COM", password="pw-12345678")
    assert user.email == "li.wei@example.com"
    assert user.check_password("pw-12345678")
    assert str(user) == "li.wei@example.com"
