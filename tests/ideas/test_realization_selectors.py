"""Realization reads: the ledger, the idea page's summary, the HR desk lists
and who may fetch a tranche or an allocation."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ideas.models import Ledger, Stage, Visibility
from ideas.realization import selectors
from ideas.realization.services.allocations import (
    time_allocation_approve,
    time_allocation_propose,
)
from ideas.realization.services.outcomes import outcome_record
from ideas.realization.services.plan import tranche_cancel
from ideas.realization.services.reviews import tranche_review_submit
from ideas.selectors import idea_get_visible
from tests.factories import UserFactory
from tests.factories_realization import (
    CLOSED,
    plan_for,
    realization_world,
    release,
)

pytestmark = pytest.mark.django_db


def test_the_ledger_counts_planned_released_in_review_and_remaining():
    """Cancelled tranches leave the planned total; remaining = planned - released."""
    w = realization_world()
    plan = plan_for(w.idea, actor=w.hr, amounts=("100.50", "200", "300", "400"))
    first, second, third, fourth = plan.tranches.order_by("position")
    release(first, team_member=w.member, hr=w.hr)
    tranche_review_submit(tranche=second, actor=w.member, review="x")
    tranche_cancel(tranche=fourth, actor=w.hr)
    ledger = selectors.investment_plan_get(idea=w.idea).ledger
    assert ledger == Ledger(
        currency="CNY",
        planned=Decimal("600.50"),
        released=Decimal("100.50"),
        in_review=Decimal("200.00"),
        remaining=Decimal("500.00"),
        released_count=1,
        tranche_count=3,
    )
    assert selectors.next_tranche(selectors.investment_plan_get(idea=w.idea)) == second


def test_no_story_for_an_idea_that_never_reached_realization():
    """Gestation, evaluation: the idea page shows no realization."""
    for stage in (Stage.GESTATION, Stage.EVALUATION):
        w = realization_world(stage)
        assert selectors.realization_story(idea=w.idea, user=w.hr) is None


@pytest.mark.parametrize("stage", [Stage.REALIZATION, Stage.REALIZED, CLOSED])
def test_the_team_sees_the_whole_story(stage):
    """Outcomes, approved allocations only, ledger and tranches."""
    w = realization_world(stage)
    story = selectors.realization_story(idea=w.idea, user=w.member)
    assert story["full"] is True
    assert story["allocations"] == []


def test_the_story_shows_outcomes_and_approved_allocations_to_the_team():
    """Waiting allocations stay off the summary; approved ones appear."""
    w = realization_world()
    outcome_record(idea=w.idea, actor=w.hr, kind="venture", venture_name="V")
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.hr, member=w.member, share=20
    )
    plan_for(w.idea, actor=w.hr)
    story = selectors.realization_story(idea=w.idea, user=w.captain)
    assert [o.kind for o in story["outcomes"]] == ["venture", "time"]
    assert story["allocations"] == []
    time_allocation_approve(allocation=allocation, actor=w.manager)
    story = selectors.realization_story(idea=w.idea, user=w.captain)
    assert [a.member for a in story["allocations"]] == [w.member]
    assert story["ledger"].planned == Decimal("6000.00")
    assert len(story["tranches"]) == 3


def test_others_see_outcomes_and_progress_but_no_amounts():
    """A colleague who may see the idea sees outcomes and how many stages are
    released, not the ledger, the tranches or anybody's time."""
    w = realization_world()
    outcome_record(idea=w.idea, actor=w.hr, kind="venture", venture_name="V")
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.hr, member=w.member, share=20
    )
    time_allocation_approve(allocation=allocation, actor=w.manager)
    plan = plan_for(w.idea, actor=w.hr)
    release(plan.tranches.get(position=1), team_member=w.member, hr=w.hr)
    story = selectors.realization_story(idea=w.idea, user=w.colleague)
    assert story["full"] is False
    assert len(story["outcomes"]) == 2
    assert story["allocations"] == [] and story["tranches"] == []
    assert story["ledger"] is None
    assert (story["released_count"], story["tranche_count"]) == (1, 3)


def test_the_story_reads_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    """However many outcomes and tranches, the summary takes a handful of queries."""
    w = realization_world()
    for n in range(5):
        outcome_record(idea=w.idea, actor=w.hr, kind="venture", venture_name=f"V{n}")
    plan_for(w.idea, actor=w.hr, amounts=[str(n + 1) for n in range(8)])
    idea = idea_get_visible(user=w.member, pk=w.idea.pk)
    with django_assert_max_num_queries(6):
        story = selectors.realization_story(idea=idea, user=w.member)
        [(o.department, o.owner) for o in story["outcomes"]]
        [(t.review_submitted_by, t.released_by) for t in story["tranches"]]


def test_realization_get_hides_and_refuses():
    """404 for an idea the user cannot see or that never reached realization;
    403 for a visible idea whose realization is not theirs to see."""
    w = realization_world()
    assert selectors.realization_get(user=w.member, pk=w.idea.pk) == w.idea
    with pytest.raises(PermissionDenied):
        selectors.realization_get(user=w.colleague, pk=w.idea.pk)
    early = realization_world(Stage.GESTATION)
    with pytest.raises(Http404):
        selectors.realization_get(user=early.hr, pk=early.idea.pk)
    secret = realization_world(visibility=Visibility.CONFIDENTIAL)
    with pytest.raises(Http404):
        selectors.realization_get(user=secret.colleague, pk=secret.idea.pk)


def test_the_desk_lists_the_projects_each_manager_runs():
    """HR sees every project in realization; a racecourse admin only theirs;
    realized and closed projects leave the list."""
    a, b = realization_world(), realization_world()
    realization_world(Stage.REALIZED)
    realization_world(CLOSED)
    plan_for(a.idea, actor=a.hr)
    projects = selectors.realization_projects(user=a.hr)
    assert {i.pk for i in projects} == {a.idea.pk, b.idea.pk}
    by_pk = {i.pk: i for i in projects}
    assert by_pk[a.idea.pk].ledger.planned == Decimal("6000.00")
    assert by_pk[b.idea.pk].plan is None
    assert [i.pk for i in selectors.realization_projects(user=a.admin)] == [a.idea.pk]
    assert selectors.realization_projects(user=a.member) == []


def test_reviews_waiting_are_scoped_to_who_may_see_them():
    """HR sees every waiting review; the admin and the team their project's."""
    a, b = realization_world(), realization_world()
    for w in (a, b):
        plan = plan_for(w.idea, actor=w.hr)
        tranche_review_submit(
            tranche=plan.tranches.get(position=1), actor=w.member, review="x"
        )
    assert selectors.tranche_reviews_waiting(user=a.hr).count() == 2
    for user in (a.admin, a.member):
        waiting = selectors.tranche_reviews_waiting(user=user)
        assert [t.plan.idea_id for t in waiting] == [a.idea.pk]
    assert not selectors.tranche_reviews_waiting(user=a.colleague).exists()


def test_tranches_and_allocations_are_hidden_from_outsiders():
    """A tranche is a 404 for anyone who cannot see the realization; an
    allocation is visible to its manager and member too."""
    w = realization_world()
    plan = plan_for(w.idea, actor=w.hr)
    tranche = plan.tranches.first()
    assert selectors.tranche_get_visible(user=w.member, pk=tranche.pk) == tranche
    with pytest.raises(Http404):
        selectors.tranche_get_visible(user=w.colleague, pk=tranche.pk)
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.hr, member=w.member, share=20
    )
    for user in (w.manager, w.member, w.captain, w.hr):
        assert selectors.allocation_get_visible(user=user, pk=allocation.pk)
    with pytest.raises(Http404):
        selectors.allocation_get_visible(user=w.colleague, pk=allocation.pk)
    with pytest.raises(Http404):
        selectors.outcome_get_visible(user=w.colleague, pk=allocation.outcome_id)


def test_a_manager_sees_what_waits_for_them():
    """Waiting allocations for their manager only; decided ones leave the list."""
    w = realization_world()
    allocation = time_allocation_propose(
        idea=w.idea, actor=w.hr, member=w.member, share=20
    )
    assert list(selectors.allocations_waiting(user=w.manager)) == [allocation]
    assert not selectors.allocations_waiting(user=UserFactory()).exists()
    time_allocation_approve(allocation=allocation, actor=w.manager)
    assert not selectors.allocations_waiting(user=w.manager).exists()
    assert list(selectors.allocation_list(user=w.member)) == [allocation]
