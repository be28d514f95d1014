"""Sign-up is open to the company's own mail domains only; SSO fills the profile."""

import pytest
from allauth.socialaccount.models import SocialLogin
from django.urls import reverse

from horserace.accounts.adapters import (
    AccountAdapter,
    SocialAccountAdapter,
    email_domain_allowed,
)
from horserace.accounts.models import User


@pytest.fixture
def company_domains(settings):
    settings.HORSERACE_SIGNUP_DOMAINS = ["example.com", "example.cn"]
    return settings.HORSERACE_SIGNUP_DOMAINS


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("li.wei@example.com", True),
        ("LI.WEI@EXAMPLE.COM", True),
        ("zhang@example.cn", True),
        ("someone@gmail.com", False),
        ("someone@sub.example.com", False),
        ("someone@example.com.attacker.org", False),
        ("someone@notexample.com", False),
        ("no-at-sign", False),
    ],
)
def test_only_configured_domains_are_allowed(company_domains, email, allowed):
    """The domain after the last @ must be one of the configured ones, exactly."""
    assert email_domain_allowed(email) is allowed


def test_no_configured_domain_allows_nobody(settings):
    """Without configured domains nobody can sign up by e-mail."""
    settings.HORSERACE_SIGNUP_DOMAINS = []
    assert email_domain_allowed("li.wei@example.com") is False
    assert AccountAdapter().is_open_for_signup(request=None) is False


def test_signup_is_open_when_domains_are_configured(company_domains):
    """Configuring a domain opens e-mail sign-up."""
    assert AccountAdapter().is_open_for_signup(request=None) is True


def test_clean_email_accepts_company_addresses_in_lower_case(company_domains):
    """Company addresses pass and are stored in lower case."""
    assert AccountAdapter().clean_email("Li.Wei@Example.COM") == "li.wei@example.com"


@pytest.mark.django_db
def test_signup_form_refuses_other_domains_and_names_the_allowed_ones(
    company_domains,
):
    """The sign-up form tells the visitor which domains are accepted."""
    from horserace.accounts.forms import SignupForm

    form = SignupForm(
        data={
            "email": "someone@gmail.com",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
        }
    )
    assert not form.is_valid()
    assert "example.com, example.cn" in form.errors["email"][0]
    ok = SignupForm(
        data={
            "email": "li.wei@example.cn",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
        }
    )
    assert ok.is_valid(), ok.errors


def test_populate_username_derives_a_display_name():
    """With no username, the display name defaults to the address's local part."""
    user = User(email="li.wei@example.com")
    AccountAdapter().populate_username(None, user)
    assert user.display_name == "li.wei"
    named = User(email="li.wei@example.com", display_name="Li Wei")
    AccountAdapter().populate_username(None, named)
    assert named.display_name == "Li Wei"


@pytest.mark.django_db
def test_signup_form_refuses_an_outside_address(client, company_domains):
    """Through the real sign-up page, an outside address creates no account."""
    response = client.post(
        reverse("account_signup"),
        {
            "email": "someone@gmail.com",
            "password1": "a-Long-pass-phrase-42",
            "password2": "a-Long-pass-phrase-42",
        },
    )
    assert response.status_code == 200
    assert "company addresses only" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_form_creates_a_company_account(client, company_domains):
    """A company address signs up, lower-cased, with a display name."""
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Li.Wei@Example.com",
            "password1": "a-Long-pass-phrase-42",
            "password2": "a-Long-pass-phrase-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "li.wei@example.com"
    assert user.display_name == "li.wei"


@pytest.mark.django_db
def test_signup_page_is_closed_without_domains(client, settings):
    """With no domains configured the sign-up page says sign-up is closed."""
    settings.HORSERACE_SIGNUP_DOMAINS = []
    response = client.post(
        reverse("account_signup"),
        {
            "email": "li.wei@example.com",
            "password1": "a-Long-pass-phrase-42",
            "password2": "a-Long-pass-phrase-42",
        },
    )
    assert not User.objects.exists()
    assert response.status_code in (200, 403)


def test_sso_is_open_for_signup_whatever_the_domains(settings):
    """The identity provider vouches for the employee, so SSO is not domain-gated."""
    settings.HORSERACE_SIGNUP_DOMAINS = []
    assert SocialAccountAdapter().is_open_for_signup(None, None) is True


@pytest.mark.parametrize(
    ("data", "display_name"),
    [
        ({"email": "li.wei@example.com", "name": "Li Wei"}, "Li Wei"),
        (
            {"email": "li.wei@example.com", "first_name": "Wei", "last_name": "Li"},
            "Wei Li",
        ),
        ({"email": "li.wei@example.com", "first_name": "Wei"}, "Wei"),
        ({"email": "li.wei@example.com"}, "li.wei"),
        ({}, ""),
    ],
)
def test_sso_fills_the_display_name(company_domains, data, display_name):
    """SSO users get a display name from the provider's name, else their address."""
    sociallogin = SocialLogin(user=User())
    user = SocialAccountAdapter().populate_user(None, sociallogin, data)
    assert user.display_name == display_name
    assert user.email == data.get("email", "")


def test_sso_keeps_the_providers_address_outside_the_signup_domains(settings):
    """SSO is not domain-gated, so the address the IdP vouches for is kept."""
    settings.HORSERACE_SIGNUP_DOMAINS = []
    sociallogin = SocialLogin(user=User())
    user = SocialAccountAdapter().populate_user(
        None, sociallogin, {"email": "li.wei@subsidiary.example.org"}
    )
    assert user.email == "li.wei@subsidiary.example.org"
    assert user.display_name == "li.wei"


# --- SSO claims: employee number, department and manager (horserace.accounts.sso)


def oidc_login(user, *, userinfo=None, id_token=None, uid="sub-1"):
    """A social login as allauth's OpenID Connect provider hands it over."""
    from allauth.socialaccount.models import SocialAccount

    extra = {}
    if userinfo is not None:
        extra["userinfo"] = userinfo
    if id_token is not None:
        extra["id_token"] = id_token
    account = SocialAccount(provider="company-sso", uid=uid, extra_data=extra)
    return SocialLogin(user=user, account=account)


def sso_request(rf):
    from django.contrib.sessions.middleware import SessionMiddleware

    request = rf.get("/accounts/oidc/company-sso/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    return request


@pytest.mark.django_db
def test_first_sso_login_fills_number_department_and_manager(rf):
    """The claims fill the new employee's directory fields; an unknown
    department is created, the manager is found by employee number."""
    from horserace.accounts.models import Department
    from tests.factories import UserFactory

    boss = UserFactory(employee_number="M-1")
    login = oidc_login(
        User(email="li.wei@example.com", display_name="Li Wei"),
        id_token={"employee_number": "E-1", "department": "Old Team"},
        userinfo={"department": "Taobao Search", "manager": "M-1"},
    )

    user = SocialAccountAdapter().save_user(sso_request(rf), login)

    user.refresh_from_db()
    assert user.employee_number == "E-1"
    assert user.department.name == "Taobao Search"  # userinfo wins over the id token
    assert Department.objects.filter(name="Taobao Search").count() == 1
    assert user.manager == boss


@pytest.mark.django_db
def test_each_later_login_refreshes_the_fields(rf):
    """A transfer at the identity provider shows on the next login."""
    from tests.factories import DepartmentFactory, UserFactory

    old, new = DepartmentFactory(code="old"), DepartmentFactory(code="search")
    first_boss, second_boss = UserFactory(), UserFactory(email="boss2@example.com")
    user = UserFactory(employee_number="E-9", department=old, manager=first_boss)
    login = oidc_login(
        user,
        userinfo={"department": "search", "manager": {"email": "BOSS2@example.com"}},
    )

    SocialAccountAdapter().pre_social_login(sso_request(rf), login)

    user.refresh_from_db()
    assert user.department == new  # by code
    assert user.manager == second_boss  # by e-mail
    assert user.employee_number == "E-9"  # no claim: unchanged


@pytest.mark.django_db
def test_claim_names_come_from_settings(rf, settings):
    """Another provider's claim names (OIDC_CLAIM_* in the environment)."""
    from tests.factories import UserFactory

    settings.HORSERACE_OIDC_CLAIMS = {
        "employee_number": ["extension_employeeId"],
        "department": ["org.unit"],
        "manager": ["manager_mail"],
    }
    boss = UserFactory(email="boss@example.com")
    user = UserFactory(employee_number=None)
    login = oidc_login(
        user,
        userinfo={
            "extension_employeeId": 4711,
            "employee_number": "ignored",
            "org": {"unit": "飞猪"},
            "manager_mail": "boss@example.com",
        },
    )

    SocialAccountAdapter().pre_social_login(sso_request(rf), login)

    user.refresh_from_db()
    assert user.employee_number == "4711"
    assert user.department.name == "飞猪"
    assert user.department.code  # a code even for a name slugify cannot spell
    assert user.manager == boss


@pytest.mark.django_db
def test_unknown_department_stays_unset_when_creation_is_off(rf, settings):
    from horserace.accounts.models import Department
    from tests.factories import UserFactory

    settings.HORSERACE_OIDC_CREATE_DEPARTMENTS = False
    user = UserFactory()
    login = oidc_login(user, userinfo={"department": "Nowhere"})

    SocialAccountAdapter().pre_social_login(sso_request(rf), login)

    user.refresh_from_db()
    assert user.department is None
    assert not Department.objects.filter(name="Nowhere").exists()


@pytest.mark.django_db
def test_bad_or_clashing_claims_never_fail_the_login(rf):
    """A taken employee number, an unknown manager or odd types are skipped."""
    from tests.factories import UserFactory

    UserFactory(employee_number="TAKEN")
    boss = UserFactory()
    user = UserFactory(employee_number="E-5", manager=boss)
    login = oidc_login(
        user,
        userinfo={
            "employee_number": "TAKEN",
            "manager": "nobody@example.com",
            "department": {"unexpected": True},
        },
    )

    SocialAccountAdapter().pre_social_login(sso_request(rf), login)

    user.refresh_from_db()
    assert user.employee_number == "E-5"
    assert user.manager == boss
    assert user.department is None


def test_claims_of_reads_nested_and_flat_extra_data():
    from horserace.accounts.sso import claims_of

    assert claims_of({"userinfo": {"a": 1}, "id_token": {"a": 2, "b": 3}}) == {
        "a": 1,
        "b": 3,
    }
    assert claims_of({"department": "x"}) == {"department": "x"}
    assert claims_of(None) == {}
