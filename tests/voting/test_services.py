"""Casting, changing and withdrawing ballots; batches; impressions; tallies."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ideas.models import Stage, Visibility
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import DepartmentFactory, UserFactory, idea_in_stage
from voting.models import Ballot, Choice, Impression, Tally
from voting.screening.ranking import wilson_interval
from voting.screening.services.ballots import (
    Outcome,
    ballot_cast,
    ballot_withdraw,
    impression_record,
)
from voting.screening.services.batch import ballot_cast_batch
from voting.screening.services.tallies import tally_round

from .factories import (
    after,
    closed_round,
    department_racecourse,
    during,
    screening_idea,
    screening_round,
    voters,
    waiting_idea,
)

pytestmark = pytest.mark.django_db

SUP, OPP = Choice.SUPPORT, Choice.OPPOSE


@pytest.fixture
def window():
    return screening_round()


@pytest.fixture
def idea(window):
    return screening_idea(window)


@pytest.fixture
def voter(db):
    return UserFactory()


def cast(voter, idea, choice=SUP, **kwargs):
    return ballot_cast(voter=voter, idea=idea, choice=choice, **kwargs)


#: The API's status for each outcome (``voting.screening.apis.ballots``), so the batch
#: tests read as the API reports them.
STATUS = {
    Outcome.CREATED: 201,
    Outcome.CHANGED: 200,
    Outcome.INVALID: 400,
    Outcome.FORBIDDEN: 403,
    Outcome.NOT_FOUND: 404,
}


def batch(**kwargs) -> list[dict]:
    """The batch's results as dicts, with the status the API gives each."""
    return [
        dict(vars(r), ok=r.ok, status=STATUS[r.outcome])
        for r in ballot_cast_batch(**kwargs)
    ]


# --- Casting, changing, withdrawing -------------------------------------------------------


def test_cast_writes_one_ballot_and_an_impression(window, idea, voter):
    result = cast(voter, idea, SUP, reason="  Sellers need this.  ")
    assert result.created
    ballot = result.ballot
    assert (ballot.voter, ballot.idea, ballot.window) == (voter, idea, window)
    assert (ballot.choice, ballot.reason) == (SUP, "Sellers need this.")
    assert Impression.objects.filter(voter=voter, idea=idea, window=window).count() == 1


def test_changing_a_judgment_updates_the_same_ballot(idea, voter):
    first = cast(voter, idea, SUP, reason="Good").ballot
    result = cast(voter, idea, OPP, reason="On reflection, no")
    assert not result.created
    second = result.ballot
    assert second.pk == first.pk
    assert second.created_at == first.created_at
    assert second.updated_at > first.updated_at
    assert Ballot.objects.get().choice == OPP
    assert Ballot.objects.get().reason == "On reflection, no"
    assert Impression.objects.count() == 1


def test_casting_the_same_judgment_again_is_harmless(idea, voter):
    cast(voter, idea, SUP)
    again = cast(voter, idea, SUP)
    assert not again.created
    assert Ballot.objects.count() == 1


def test_withdraw_removes_the_ballot_and_reports_whether_there_was_one(idea, voter):
    cast(voter, idea, SUP)
    assert ballot_withdraw(voter=voter, idea=idea) is True
    assert not Ballot.objects.exists()
    assert ballot_withdraw(voter=voter, idea=idea) is False


def test_withdraw_only_while_the_round_is_open(window, idea, voter):
    cast(voter, idea, SUP)
    with pytest.raises(ValidationError) as exc:
        ballot_withdraw(voter=voter, idea=idea, when=after(window))
    assert exc.value.code == "closed"
    assert Ballot.objects.count() == 1


@pytest.mark.parametrize("choice", ["", "maybe", None, "SUPPORT"])
def test_unknown_choice_is_refused(idea, voter, choice):
    with pytest.raises(ValidationError) as exc:
        cast(voter, idea, choice)
    assert "choice" in exc.value.message_dict
    assert not Ballot.objects.exists()


def test_reason_of_at_most_280_characters(idea, voter):
    cast(voter, idea, SUP, reason="x" * 280)
    with pytest.raises(ValidationError) as exc:
        cast(voter, idea, OPP, reason="x" * 281)
    assert "reason" in exc.value.message_dict
    assert Ballot.objects.get().choice == SUP


@pytest.mark.parametrize("moment", ["before", "after"])
def test_closed_round_refuses_and_writes_nothing(window, idea, voter, moment):
    when = (
        window.opens_at - dt.timedelta(seconds=1)
        if moment == "before"
        else after(window)
    )
    with pytest.raises(ValidationError):
        cast(voter, idea, SUP, when=when)
    assert not Ballot.objects.exists()
    assert not Impression.objects.exists()


def test_own_idea_is_refused_for_captain_and_members(idea):
    member = UserFactory()
    invitation_accept(
        invitation=team_invite(idea=idea, actor=idea.author, invitee=member),
        actor=member,
    )
    for person in (idea.author, member):
        with pytest.raises(PermissionDenied, match="own team"):
            cast(person, idea, SUP)
    assert not Ballot.objects.exists()


def test_idea_not_in_screening_is_refused(window, voter):
    registered = waiting_idea(window)
    with pytest.raises(ValidationError) as exc:
        cast(voter, registered, SUP)
    assert exc.value.code == "not_screening"


def test_idea_without_a_round_is_refused(voter):
    idea = idea_in_stage(Stage.SCREENING)  # its racecourse has no screening window
    with pytest.raises(ValidationError) as exc:
        cast(voter, idea, SUP)
    assert exc.value.code == "no_round"


def test_wrong_audience_is_refused():
    home = DepartmentFactory()
    window = screening_round(racecourse=department_racecourse(department=home))
    idea = screening_idea(window, author=UserFactory(department=home))
    with pytest.raises(PermissionDenied):
        cast(UserFactory(department=DepartmentFactory()), idea, SUP)
    assert cast(UserFactory(department=home), idea, SUP).created


def test_invisible_idea_is_refused(window, voter):
    idea = screening_idea(window, visibility=Visibility.CONFIDENTIAL)
    with pytest.raises(PermissionDenied):
        cast(voter, idea, SUP)


# --- The support budget ---------------------------------------------------------------------


@pytest.fixture
def budget_round():
    return screening_round(support_budget=2)


def test_support_budget_caps_supports_not_opposes(budget_round, voter):
    a, b, c = (screening_idea(budget_round) for _ in range(3))
    cast(voter, a, SUP)
    cast(voter, b, SUP)
    with pytest.raises(ValidationError) as exc:
        cast(voter, c, SUP)
    assert exc.value.code == "over_budget"
    assert "2" in exc.value.messages[0]
    cast(voter, c, OPP)  # opposing costs nothing
    cast(voter, a, SUP, reason="still yes")  # re-supporting costs nothing
    cast(voter, a, OPP)  # frees a support
    cast(voter, c, SUP)
    ballot_withdraw(voter=voter, idea=b)  # frees another
    cast(voter, a, SUP)
    assert Ballot.objects.filter(voter=voter, choice=SUP).count() == 2


def test_budget_is_per_round(budget_round, voter):
    elsewhere = screening_round(support_budget=2)
    for window in (budget_round, elsewhere):
        for _ in range(2):
            cast(voter, screening_idea(window), SUP)
    assert Ballot.objects.filter(voter=voter, choice=SUP).count() == 4


def test_zero_budget_allows_no_support(voter):
    window = screening_round(support_budget=0)
    idea = screening_idea(window)
    with pytest.raises(ValidationError):
        cast(voter, idea, SUP)
    cast(voter, idea, OPP)


# --- Impressions -----------------------------------------------------------------------------


def test_impression_recorded_once_per_voter_idea_and_round(window, idea, voter):
    for _ in range(3):
        impression_record(voter=voter, idea=idea, window=window)
    cast(voter, idea, SUP)
    impression_record(voter=UserFactory(), idea=idea, window=window)
    assert Impression.objects.filter(idea=idea, window=window).count() == 2


def test_impression_only_for_an_idea_the_voter_may_judge(window, idea):
    with pytest.raises(PermissionDenied):
        impression_record(voter=idea.author, idea=idea, window=window)
    with pytest.raises(ValidationError):
        impression_record(voter=UserFactory(), idea=idea, window=screening_round())
    assert not Impression.objects.exists()


# --- Batches -----------------------------------------------------------------------------


def test_batch_gives_each_item_its_own_result(window, voter):
    ideas = [screening_idea(window) for _ in range(3)]
    own = screening_idea(window, author=voter)
    registered = waiting_idea(window)
    hidden = screening_idea(window, visibility=Visibility.CONFIDENTIAL)
    cast(voter, ideas[1], OPP)
    results = batch(
        voter=voter,
        judgments=[
            {"idea": ideas[0].pk, "choice": SUP, "reason": "yes"},
            {"idea": ideas[1].pk, "choice": SUP},
            {"idea": own.pk, "choice": SUP},
            {"idea": 999_999_999, "choice": SUP},
            {"idea": hidden.pk, "choice": SUP},
            {"idea": registered.pk, "choice": OPP},
            {"idea": ideas[2].pk, "choice": "meh"},
            {"idea": ideas[2].pk, "choice": OPP, "reason": "x" * 281},
            {"idea": "7", "choice": SUP},
            "not an object",
            {"idea": ideas[2].pk, "choice": OPP},
        ],
    )
    statuses = [(r["idea"], r["status"], r["ok"], r["choice"]) for r in results]
    assert statuses == [
        (ideas[0].pk, 201, True, SUP),
        (ideas[1].pk, 200, True, SUP),
        (own.pk, 403, False, None),
        (999_999_999, 404, False, None),
        (hidden.pk, 404, False, None),
        (registered.pk, 400, False, None),
        (ideas[2].pk, 400, False, None),
        (ideas[2].pk, 400, False, None),
        (None, 400, False, None),
        (None, 400, False, None),
        (ideas[2].pk, 201, True, OPP),
    ]
    assert all(r["error"] for r in results if not r["ok"])
    assert all(r["error"] is None for r in results if r["ok"])
    assert "own team" in results[2]["error"]
    stored = dict(Ballot.objects.filter(voter=voter).values_list("idea_id", "choice"))
    assert stored == {ideas[0].pk: SUP, ideas[1].pk: SUP, ideas[2].pk: OPP}
    assert Ballot.objects.get(idea=ideas[0]).reason == "yes"
    assert Impression.objects.filter(voter=voter).count() == 3


def test_batch_items_on_the_same_idea_apply_in_order(window, voter):
    idea = screening_idea(window)
    results = batch(
        voter=voter,
        judgments=[
            {"idea": idea.pk, "choice": SUP},
            {"idea": idea.pk, "choice": OPP, "reason": "changed my mind"},
        ],
    )
    assert [(r["status"], r["choice"]) for r in results] == [(201, SUP), (200, OPP)]
    ballot = Ballot.objects.get()
    assert (ballot.choice, ballot.reason) == (OPP, "changed my mind")


def test_batch_counts_the_budget_item_by_item(budget_round, voter):
    a, b, c, d = (screening_idea(budget_round) for _ in range(4))
    cast(voter, a, SUP)
    results = batch(
        voter=voter,
        judgments=[
            {"idea": b.pk, "choice": SUP},
            {"idea": c.pk, "choice": SUP},  # over: a and b are supported
            {"idea": a.pk, "choice": OPP},  # frees one
            {"idea": d.pk, "choice": SUP},
        ],
    )
    assert [r["status"] for r in results] == [201, 400, 200, 201]
    assert results[1]["choice"] is None
    supported = set(
        Ballot.objects.filter(voter=voter, choice=SUP).values_list("idea_id", flat=True)
    )
    assert supported == {b.pk, d.pk}


def test_batch_respects_a_closed_round(voter):
    window = closed_round()
    idea = screening_idea(window)
    cast(voter, idea, SUP, when=during(window))
    [result] = batch(voter=voter, judgments=[{"idea": idea.pk, "choice": OPP}])
    assert (result["status"], result["choice"]) == (400, SUP)
    assert Ballot.objects.get().choice == SUP


def test_batch_spans_racecourses(voter):
    first, second = screening_round(), screening_round()
    a, b = screening_idea(first), screening_idea(second)
    results = batch(
        voter=voter,
        judgments=[{"idea": a.pk, "choice": SUP}, {"idea": b.pk, "choice": OPP}],
    )
    assert [r["status"] for r in results] == [201, 201]
    assert set(Ballot.objects.values_list("window_id", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_batch_must_be_a_list_of_at_most_100(window, voter):
    idea = screening_idea(window)
    with pytest.raises(ValidationError):
        ballot_cast_batch(voter=voter, judgments={"idea": idea.pk})
    with pytest.raises(ValidationError, match="100"):
        ballot_cast_batch(
            voter=voter, judgments=[{"idea": idea.pk, "choice": SUP}] * 101
        )
    assert ballot_cast_batch(voter=voter, judgments=[]) == []
    results = batch(voter=voter, judgments=[{"idea": idea.pk, "choice": SUP}] * 100)
    assert [r["status"] for r in results] == [201] + [200] * 99
    assert Ballot.objects.count() == 1


def test_batch_of_100_runs_in_a_fixed_number_of_queries(
    window, django_assert_max_num_queries
):
    ideas = [screening_idea(window) for _ in range(20)]
    voter = UserFactory()
    judgments = [{"idea": i.pk, "choice": SUP} for i in ideas] * 5
    with django_assert_max_num_queries(10):
        results = batch(voter=voter, judgments=judgments)
    assert all(r["ok"] for r in results)


# --- Tallies --------------------------------------------------------------------------------


def test_tally_counts_rates_bounds_and_ranks(window):
    ideas = [screening_idea(window) for _ in range(4)]
    people = voters(10)
    # idea 0: 8 of 10 support; idea 1: 3 of 3; idea 2: 1 of 4; idea 3: nobody.
    for n, person in enumerate(people):
        cast(person, ideas[0], SUP if n < 8 else OPP)
    for person in people[:3]:
        cast(person, ideas[1], SUP)
    for n, person in enumerate(people[:4]):
        cast(person, ideas[2], SUP if n == 0 else OPP)
    impression_record(voter=people[9], idea=ideas[3], window=window)
    impression_record(voter=people[9], idea=ideas[1], window=window)

    assert tally_round(window=window) == 4
    tallies = {t.idea_id: t for t in Tally.objects.filter(window=window)}
    first = tallies[ideas[0].pk]
    assert (first.supports, first.opposes, first.voters, first.impressions) == (
        8,
        2,
        10,
        10,
    )
    assert first.support_rate == pytest.approx(0.8)
    assert first.wilson_lower == pytest.approx(0.4902, abs=1e-4)
    assert first.wilson_upper == pytest.approx(0.9433, abs=1e-4)
    second = tallies[ideas[1].pk]
    assert (second.supports, second.voters, second.impressions) == (3, 3, 4)
    assert second.wilson_lower == pytest.approx(wilson_interval(3, 3)[0])
    nobody = tallies[ideas[3].pk]
    assert (nobody.voters, nobody.support_rate, nobody.impressions) == (0, 0.0, 1)
    assert (nobody.wilson_lower, nobody.wilson_upper) == (0.0, 0.0)
    ranks = {i: tallies[ideas[i].pk].rank for i in range(4)}
    # 8/10 (0.49) > 3/3 (0.44) > 1/4 (0.05) > nobody (0).
    assert ranks == {0: 1, 1: 2, 2: 3, 3: 4}


def test_tally_ties_go_to_more_voters_then_earlier_registration(window):
    early, late, crowd = (screening_idea(window) for _ in range(3))
    assert early.registration.registered_at < late.registration.registered_at
    people = voters(5)
    # Equal Wilson bounds: 2 of 2 for early and late; 0 of 5 and 0 of 2 tie at 0.
    for person in people[:2]:
        cast(person, late, SUP)
        cast(person, early, SUP)
    zero_few, zero_many = screening_idea(window), screening_idea(window)
    for person in people[:2]:
        cast(person, zero_few, OPP)
    for person in people:
        cast(person, zero_many, OPP)
    tally_round(window=window)
    order = list(
        Tally.objects.filter(window=window)
        .order_by("rank")
        .values_list("idea_id", flat=True)
    )
    assert order == [early.pk, late.pk, zero_many.pk, zero_few.pk, crowd.pk]


def test_tally_is_idempotent_and_follows_changes(window, idea):
    people = voters(3)
    for person in people:
        cast(person, idea, SUP)
    assert tally_round(window=window) == 1
    assert tally_round(window=window) == 1
    assert Tally.objects.count() == 1
    cast(people[0], idea, OPP)
    ballot_withdraw(voter=people[1], idea=idea)
    tally_round(window=window)
    tally = Tally.objects.get()
    assert (tally.supports, tally.opposes, tally.voters) == (1, 1, 2)


def test_tally_keeps_ideas_that_left_screening_and_covers_ballots_only(window):
    stays, leaves = screening_idea(window), screening_idea(window)
    cast(UserFactory(), leaves, SUP)
    from ideas import funnel

    funnel.idea_pass_screening(idea=leaves)
    silent = screening_idea(window)
    tally_round(window=window)
    funnel.idea_withdraw(idea=silent, actor=silent.author, reason="test")
    tally_round(window=window)
    assert set(Tally.objects.values_list("idea_id", flat=True)) == {
        stays.pk,
        leaves.pk,
        silent.pk,
    }
    # The withdrawn idea's snapshot was refreshed too, not left stale.
    assert Tally.objects.filter(computed_at__lt=timezone.now()).count() == 3
    assert len(set(Tally.objects.values_list("computed_at", flat=True))) == 1


def test_tally_reads_in_a_fixed_number_of_queries(
    window, django_assert_max_num_queries
):
    ideas = [screening_idea(window) for _ in range(8)]
    for person in voters(3):
        for idea in ideas:
            cast(person, idea, SUP)
    with django_assert_max_num_queries(6):
        assert tally_round(window=window) == 8


def test_tally_of_a_round_writes_only_its_own_snapshots(window, idea):
    other = screening_round()
    screening_idea(other)
    cast(UserFactory(), idea, SUP)
    tally_round(window=window)
    assert set(Tally.objects.values_list("window_id", flat=True)) == {window.pk}
