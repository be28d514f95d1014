"""``ideas.visibility``: the one decision of who sees what of an idea.

Each test here is one of the leaks found on main, tried from outside, or a
piece of the confidentiality levels: seeing more needs more permission, and
every look behind the curtain is in the access log.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from contests.models import Racecourse
from horserace.common.permissions import can
from ideas.gestation.services.progress import progress_update_post
from ideas.models import IdeaAccess, Visibility
from ideas.services.access import idea_access_request
from ideas.visibility import Viewer
from tests.factories import DepartmentFactory, RacecourseFactory, UserFactory
from tests.factories_evaluation import assign
from tests.factories_gestation import gestating_idea
from tests.factories_scoring import proposal_for
from voting.models import Conflict

pytestmark = pytest.mark.django_db

NAME = "Zhu Marker-Person"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def anonymous_project():
    """An anonymous idea in gestation whose captain has a name to look for,
    with a progress update and a submitted proposal by the captain."""
    idea = gestating_idea(anonymous=True)
    idea.author.display_name = NAME
    idea.author.save()
    progress_update_post(idea=idea, actor=idea.author, body="Pilot in two stores.")
    proposal_for(idea, submitted_by=idea.author)
    return idea


# --- the four channels that named an anonymous team --------------------------


def test_the_team_page_hides_an_anonymous_team(client, anonymous_project):
    """``/ideas/<id>/team/`` listed names, e-mails and departments to anyone."""
    client.force_login(UserFactory())
    page = client.get(reverse("ideas:team", args=[anonymous_project.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert NAME not in body and anonymous_project.author.email not in body
    assert "not shown to you" in body
    client.force_login(anonymous_project.member)
    assert (
        NAME
        in client.get(
            reverse("ideas:team", args=[anonymous_project.pk])
        ).content.decode()
    )


def test_the_team_page_hides_a_blind_project_from_its_evaluators(client):
    idea = gestating_idea()
    idea.author.display_name = NAME
    idea.author.save()
    idea.racecourse.blind_evaluation = True
    idea.racecourse.save()
    judge = UserFactory(is_evaluator=True)
    idea.racecourse.evaluators.add(judge)
    client.force_login(judge)
    body = client.get(reverse("ideas:team", args=[idea.pk])).content.decode()
    assert NAME not in body
    client.force_login(UserFactory())  # not an evaluator of the pool: not blind
    assert NAME in client.get(reverse("ideas:team", args=[idea.pk])).content.decode()


def test_progress_and_proposal_apis_name_nobody_of_an_anonymous_team(
    anonymous_project,
):
    """``author`` and ``submitted_by`` are null to whoever may not see the team."""
    colleague, pk = UserFactory(), anonymous_project.pk
    updates = api(colleague).get(reverse("api:idea-progress-updates", args=[pk]))
    assert updates.status_code == 200
    assert [u["author"] for u in updates.json()] == [None]
    proposal = api(colleague).get(reverse("api:idea-proposal", args=[pk])).json()
    assert proposal["submitted_by"] is None and NAME not in str(proposal)
    member = api(anonymous_project.member)
    updates = member.get(reverse("api:idea-progress-updates", args=[pk])).json()
    assert updates[0]["author"]["display_name"] == NAME
    proposal = member.get(reverse("api:idea-proposal", args=[pk])).json()
    assert proposal["submitted_by"]["display_name"] == NAME


def test_latest_updates_on_the_idea_page_name_nobody_of_an_anonymous_team(
    client, anonymous_project
):
    client.force_login(UserFactory())
    body = client.get(anonymous_project.get_absolute_url()).content.decode()
    assert "Pilot in two stores." in body  # the update is there
    assert NAME not in body  # its author is not
    client.force_login(anonymous_project.member)
    assert NAME in client.get(anonymous_project.get_absolute_url()).content.decode()


# --- confidential: evaluators only while assigned and not conflicted ---------


def test_an_evaluator_reads_a_confidential_idea_only_while_assigned_and_unconflicted(
    client,
):
    idea = gestating_idea(visibility=Visibility.CONFIDENTIAL, title="Quiet project")
    judge, other = UserFactory(is_evaluator=True), UserFactory(is_evaluator=True)
    client.force_login(other)
    assert client.get(idea.get_absolute_url()).status_code == 404
    listing = api(other).get(reverse("api:idea-list"), {"search": "Quiet"})
    assert "Quiet project" not in listing.content.decode()
    assert not can(judge, "ideas.view_idea", idea)
    assignment = assign(idea, judge)
    assert can(judge, "ideas.read_content", idea)
    client.force_login(judge)
    assert client.get(idea.get_absolute_url()).status_code == 200
    Conflict.objects.create(
        idea=idea,
        evaluator=judge,
        kind=Conflict.Kind.OTHER,
        source=Conflict.Source.EVALUATOR,
        declared_by=judge,
    )
    assert not can(judge, "ideas.view_idea", idea)
    assert client.get(idea.get_absolute_url()).status_code == 404
    assignment.delete()


# --- opening and unmasking: the access log -----------------------------------


def test_hr_sees_a_confidential_idea_exists_and_opens_it_with_a_reason(client):
    idea = gestating_idea(visibility=Visibility.CONFIDENTIAL, title="Quiet project")
    hr = UserFactory(is_hr_admin=True)
    client.force_login(hr)
    sealed = client.get(idea.get_absolute_url()).content.decode()
    assert "Quiet project" in sealed and idea.problem not in sealed
    assert "This idea is confidential" in sealed
    refused = client.post(
        reverse("ideas:access", args=[idea.pk]), {"kind": "open", "reason": "why"}
    )
    assert refused.status_code == 400 and "at least" in refused.content.decode()
    assert not IdeaAccess.objects.exists()
    opened = client.post(
        reverse("ideas:access", args=[idea.pk]),
        {"kind": "open", "reason": "An audit of the gestation budget."},
    )
    assert opened.status_code == 302
    assert idea.problem in client.get(idea.get_absolute_url()).content.decode()
    # The team is told, and reads the log on its page.
    assert any("audit" in note.body for note in idea.author.notifications.all())
    client.force_login(idea.author)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "An audit of the gestation budget." in page and 'id="access-log"' in page
    # HR reviews every entry; nobody else may.
    client.force_login(hr)
    log = client.get(reverse("ideas:access_log")).content.decode()
    assert "An audit of the gestation budget." in log
    client.force_login(idea.author)
    assert client.get(reverse("ideas:access_log")).status_code == 403


def test_a_grant_expires_and_asking_again_while_it_runs_writes_nothing():
    idea = gestating_idea(visibility=Visibility.CONFIDENTIAL)
    hr = UserFactory(is_hr_admin=True)
    first = idea_access_request(
        idea=idea, user=hr, kind="open", reason="A complaint names it."
    )
    again = idea_access_request(
        idea=idea, user=hr, kind="open", reason="Still the same complaint."
    )
    assert again == first and IdeaAccess.objects.count() == 1
    assert can(hr, "ideas.read_content", idea)
    IdeaAccess.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert not can(hr, "ideas.read_content", idea)
    assert not Viewer(hr).reads_content(idea)


def test_only_hr_and_the_racecourses_admins_may_open_or_unmask():
    idea = gestating_idea(visibility=Visibility.CONFIDENTIAL, anonymous=True)
    reason = "I am curious about it."
    for outsider in (UserFactory(), UserFactory(is_evaluator=True), idea.member):
        with pytest.raises(PermissionDenied):
            idea_access_request(idea=idea, user=outsider, kind="open", reason=reason)
    other_admin = UserFactory()
    RacecourseFactory(
        season=idea.racecourse.season,
        kind=Racecourse.Kind.DEPARTMENT,
        department=DepartmentFactory(),
    ).admins.add(other_admin)
    with pytest.raises(PermissionDenied):
        idea_access_request(idea=idea, user=other_admin, kind="open", reason=reason)
    admin = UserFactory()
    idea.racecourse.admins.add(admin)
    idea_access_request(idea=idea, user=admin, kind="open", reason=reason)
    assert can(admin, "ideas.read_content", idea)
    assert not can(admin, "ideas.see_team", idea)  # opened, still anonymous
    idea_access_request(idea=idea, user=admin, kind="unmask", reason=reason)
    assert can(admin, "ideas.see_team", idea)
    with pytest.raises(ValidationError):
        idea_access_request(idea=idea, user=admin, kind="peek", reason=reason)


def test_nothing_to_unmask_on_a_named_team():
    idea = gestating_idea()
    with pytest.raises(PermissionDenied, match="nothing to unmask"):
        idea_access_request(
            idea=idea,
            user=UserFactory(is_hr_admin=True),
            kind="unmask",
            reason="Just checking who they are.",
        )


def test_a_sealed_body_is_not_searchable(client):
    """A match in a confidential pitch HR has not opened would tell what it says."""
    idea = gestating_idea(visibility=Visibility.CONFIDENTIAL, title="Quiet project")
    word = idea.problem.split()[0]
    hr = UserFactory(is_hr_admin=True)
    found = api(hr).get(reverse("api:idea-list"), {"search": word}).json()
    assert idea.pk not in [r["id"] for r in found["results"]]
    found = api(hr).get(reverse("api:idea-list"), {"search": "Quiet"}).json()
    assert [r["pitch"] for r in found["results"] if r["id"] == idea.pk] == [""]
    idea_access_request(idea=idea, user=hr, kind="open", reason="Reviewing it now.")
    found = api(hr).get(reverse("api:idea-list"), {"search": word}).json()
    assert idea.pk in [r["id"] for r in found["results"]]


def test_the_viewer_agrees_with_the_rules():
    """The per-page ``Viewer`` is the same decision as the rules, idea by idea."""
    ideas = [
        gestating_idea(visibility=v, anonymous=a)
        for v in Visibility.values
        for a in (False, True)
    ]
    hr, admin, trainer_less = (
        UserFactory(is_hr_admin=True),
        UserFactory(),
        UserFactory(),
    )
    for idea in ideas:
        idea.racecourse.admins.add(admin)
    idea_access_request(
        idea=ideas[-1], user=hr, kind="open", reason="Needed for a review."
    )
    idea_access_request(
        idea=ideas[-1], user=hr, kind="unmask", reason="Needed for a review."
    )
    people = [hr, admin, trainer_less, ideas[0].member, ideas[-1].author]
    for user in people:
        viewer = Viewer(user)
        for idea in ideas:
            if not can(user, "ideas.view_idea", idea):
                continue
            assert viewer.reads_content(idea) == can(user, "ideas.read_content", idea)
            assert viewer.sees_names(idea) == can(user, "ideas.see_team", idea)


def test_desk_apis_name_nobody_of_an_anonymous_team_until_unmasked():
    """The resource-request list names its requester through the same field,
    even though the list view passes no viewer: the current request is asked."""
    from decimal import Decimal

    from ideas.gestation.services.resources import resource_request_create
    from tests.factories_gestation import budget_for

    idea = gestating_idea(anonymous=True)
    budget = budget_for(idea)
    resource_request_create(
        idea=idea,
        actor=idea.author,
        resource=budget.resource,
        amount=Decimal(3),
        justification="Lab time.",
    )
    hr = UserFactory(is_hr_admin=True)
    rows = api(hr).get(reverse("api:resource-request-list")).json()["results"]
    assert [r["requested_by"] for r in rows] == [None]
    idea_access_request(
        idea=idea, user=hr, kind="unmask", reason="Paying the lab invoice."
    )
    rows = api(hr).get(reverse("api:resource-request-list")).json()["results"]
    assert [r["requested_by"]["id"] for r in rows] == [idea.author.pk]
    rows = api(idea.member).get(reverse("api:resource-request-list")).json()["results"]
    assert [r["requested_by"]["id"] for r in rows] == [idea.author.pk]


def test_hr_unmasks_an_anonymous_team_before_allocating_a_members_time(client):
    """Choosing a member names them, and "not on the team" would confirm who
    is: the form and the service both wait for the unmasking."""
    from ideas.realization.services.allocations import time_allocation_propose
    from tests.factories import idea_in_stage

    idea = idea_in_stage("realization", anonymous=True)
    hr = UserFactory(is_hr_admin=True)
    client.force_login(hr)
    page = reverse("realization:allocation_propose", args=[idea.pk])
    assert client.get(page).status_code == 302
    with pytest.raises(PermissionDenied, match="unmask"):
        time_allocation_propose(idea=idea, actor=hr, member=UserFactory(), share=20)
    idea_access_request(
        idea=idea, user=hr, kind="unmask", reason="Setting up the team's time."
    )
    assert client.get(page).status_code == 200
