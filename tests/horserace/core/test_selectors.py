"""The home page's "waiting for you": each role's queue, counted, with a link."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contests.models import Season
from horserace.core.selectors import work_waiting
from ideas.gestation.services.resources import (
    resource_request_ask,
    resource_request_create,
)
from ideas.models import TrainerAssignment
from ideas.realization.services.allocations import time_allocation_propose
from ideas.realization.services.reviews import tranche_review_submit
from tests.factories import UserFactory
from tests.factories_evaluation import assign, idea_in_evaluation, racecourse_with_pool
from tests.factories_gestation import budget_for, gestating_idea, trainer_for
from tests.factories_realization import plan_for, realization_world

pytestmark = pytest.mark.django_db


def _kinds(user) -> dict[str, int]:
    return {str(w.label): w.count for w in work_waiting(user=user)}


def _open(racecourse):
    Season.objects.filter(pk=racecourse.season_id).update(status="open")


def test_an_employee_with_nothing_to_do_sees_nothing():
    assert work_waiting(user=UserFactory()) == []


def test_gestation_queues_reach_the_admin_and_the_captain():
    """A pending request waits for the admin; a question waits for the captain."""
    idea = gestating_idea()
    _open(idea.racecourse)
    admin = UserFactory()
    idea.racecourse.admins.add(admin)
    budget = budget_for(idea)
    request = resource_request_create(
        idea=idea,
        actor=idea.author,
        resource=budget.resource,
        amount=Decimal(5),
        justification="Load tests.",
    )
    other = budget_for(idea)
    resource_request_create(
        idea=idea,
        actor=idea.author,
        resource=other.resource,
        amount=Decimal(2),
        justification="Legal review.",
    )
    assert _kinds(admin) == {"resource requests to decide": 2}
    [item] = work_waiting(user=admin)
    assert item.url == reverse("gestation:desk", args=[idea.racecourse_id])
    assert item.where == idea.racecourse.name

    resource_request_ask(request=request, actor=admin, question="Why 5?")
    assert _kinds(admin) == {"resource request to decide": 1}
    assert _kinds(idea.author) == {"question about a resource request": 1}
    assert _kinds(idea.member) == {}  # questions go to the captain


def test_a_team_asking_for_a_trainer_and_a_trainer_with_teams():
    idea = gestating_idea()
    _open(idea.racecourse)
    hr = UserFactory(is_hr_admin=True)
    trainer = trainer_for(idea)
    TrainerAssignment.objects.create(
        idea=idea, status=TrainerAssignment.Status.REQUESTED, requested_by=idea.author
    )
    assert _kinds(hr) == {"team asking for a trainer": 1}
    TrainerAssignment.objects.filter(idea=idea).update(
        status=TrainerAssignment.Status.ACTIVE, trainer=trainer
    )
    assert _kinds(trainer.user) == {"team to coach": 1}
    assert _kinds(hr) == {}


def test_an_evaluator_counts_unsubmitted_projects_and_the_panel_undecided_ones():
    racecourse = racecourse_with_pool(2)
    _open(racecourse)
    chair = UserFactory()
    racecourse.admins.add(chair)
    idea = idea_in_evaluation(racecourse=racecourse)
    judge = racecourse.evaluators.first()
    assign(idea, judge)
    assert _kinds(judge) == {"project to score": 1}
    assert _kinds(chair) == {"project awaiting the panel's decision": 1}


def test_managers_and_hr_see_realization_decisions():
    world = realization_world()
    _open(world.idea.racecourse)
    time_allocation_propose(
        idea=world.idea, actor=world.hr, member=world.member, share=20
    )
    assert _kinds(world.manager) == {"time allocation to approve": 1}
    plan = plan_for(world.idea, actor=world.hr)
    tranche_review_submit(
        tranche=plan.tranches.first(), actor=world.member, review="Done."
    )
    assert _kinds(world.hr)["milestone review to decide"] == 1


def test_the_home_page_lists_what_waits(client):
    racecourse = racecourse_with_pool(1)
    _open(racecourse)
    judge = racecourse.evaluators.first()
    assign(idea_in_evaluation(racecourse=racecourse), judge)
    client.force_login(judge)
    page = client.get(reverse("home")).content.decode()
    assert "Evaluation" in page
    assert (
        reverse(
            "evaluation:scorecard", args=[judge.evaluation_assignments.get().idea_id]
        )
        in page
    )
