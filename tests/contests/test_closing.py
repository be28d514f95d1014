"""Closing stage windows (``contests.closing``): every rule and its edges.

Test state is built the way the platform builds it: ideas walk the funnel,
employees cast ballots through ``voting.services.ballot_cast`` while the
window is open, and the close is applied at a moment after ``closes_at``.
"""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from contests.closing import window_apply, windows_due
from contests.models import StageWindow, WindowStage
from horserace.notifications.models import Notification
from ideas.models import Stage, StageTransition
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import (
    StageWindowFactory,
    UserFactory,
    idea_draft,
    idea_in_stage,
    open_racecourse,
)
from voting.models import ClosingProposal, Tally
from voting.screening.closers import window_confirm
from voting.services.ballots import ballot_cast

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(minutes=1)


# --- Helpers (also used by the other closing tests) --------------------------------


def screening_window(racecourse=None, *, rule=StageWindow.Rule.TOP_K, **fields):
    """An open screening window on ``racecourse`` (a new main one by default)."""
    racecourse = racecourse or open_racecourse()
    if rule == StageWindow.Rule.TOP_K:
        fields.setdefault("top_k", 1)
    if rule == StageWindow.Rule.THRESHOLD:
        fields.setdefault("threshold_rate", "0.5")
    return StageWindowFactory(
        racecourse=racecourse, stage=WindowStage.SCREENING, rule=rule, **fields
    )


def in_screening(racecourse, n: int) -> list:
    """``n`` ideas in screening on ``racecourse``, registered in this order."""
    return [
        idea_in_stage(Stage.SCREENING, racecourse=racecourse, title=f"Idea {i}")
        for i in range(n)
    ]


def judge(idea, votes: str) -> None:
    """One ballot per character, each by a new employee: ``+`` supports, ``-`` opposes."""
    for mark in votes:
        ballot_cast(
            voter=UserFactory(),
            idea=idea,
            choice="support" if mark == "+" else "oppose",
        )


def end(window) -> None:
    """Move the clock past ``window``: it closed a second ago."""
    window.closes_at = timezone.now() - dt.timedelta(seconds=1)
    StageWindow.objects.filter(pk=window.pk).update(closes_at=window.closes_at)


def close(window, **kwargs) -> dict:
    """Apply ``window`` just after it closes."""
    return window_apply(window=window, when=window.closes_at + LATER, **kwargs)


def admin_of(racecourse):
    """A new employee who administers ``racecourse``."""
    admin = UserFactory()
    racecourse.admins.add(admin)
    return admin


def stage_of(idea) -> str:
    idea.refresh_from_db()
    return idea.stage


def last_reason(idea) -> str:
    return StageTransition.objects.filter(idea=idea).last().reason


# --- Which windows are due ---------------------------------------------------------


def test_windows_due_are_closed_unapplied_registration_screening_gestation_windows():
    """Open, applied and evaluation windows are not due."""
    now = timezone.now()
    past = {"opens_at": now - dt.timedelta(days=9), "closes_at": now - LATER}
    registration = StageWindowFactory(stage=WindowStage.REGISTRATION, **past)
    screening = StageWindowFactory(stage=WindowStage.SCREENING, **past)
    StageWindowFactory(stage=WindowStage.SCREENING)  # still open
    StageWindowFactory(stage=WindowStage.SCREENING, applied_at=now, **past)
    gestation = StageWindowFactory(stage=WindowStage.GESTATION, **past)
    StageWindowFactory(stage=WindowStage.EVALUATION, **past)

    assert list(windows_due(when=now)) == [registration, screening, gestation]


def test_a_manual_window_with_its_proposal_waits_for_a_person():
    """Once the proposal is written, the minute task leaves the window alone."""
    window = screening_window(rule=StageWindow.Rule.MANUAL)
    when = window.closes_at + LATER
    assert window in windows_due(when=when)
    assert close(window)["status"] == "proposed"
    assert window not in windows_due(when=when)


# --- Registration ------------------------------------------------------------------


def test_registration_close_opens_screening_for_every_registered_idea():
    """Registered ideas move to screening with the reason; drafts stay drafts."""
    racecourse = open_racecourse()
    registered = [idea_in_stage(Stage.REGISTERED, racecourse=racecourse) for _ in "ab"]
    draft = idea_draft(racecourse=racecourse)
    elsewhere = idea_in_stage(Stage.REGISTERED)
    window = racecourse.windows.get(stage=WindowStage.REGISTRATION)

    outcome = close(window)

    assert outcome["status"] == "applied"
    assert sorted(outcome["opened"]) == sorted(i.pk for i in registered)
    for idea in registered:
        assert stage_of(idea) == Stage.SCREENING
        assert last_reason(idea) == "Registration closed; online screening opened"
    assert stage_of(draft) == Stage.DRAFT
    assert stage_of(elsewhere) == Stage.REGISTERED
    window.refresh_from_db()
    assert window.applied_at == window.closes_at + LATER


def test_a_window_still_open_is_refused():
    window = screening_window()
    with pytest.raises(ValidationError) as error:
        window_apply(window=window, when=window.closes_at - LATER)
    assert error.value.code == "window_open"
    window.refresh_from_db()
    assert window.applied_at is None


def test_evaluation_windows_are_not_applied_here():
    window = StageWindowFactory(stage=WindowStage.EVALUATION)
    with pytest.raises(ValidationError) as error:
        close(window)
    assert error.value.code == "stage_not_applied"


def test_a_person_applying_must_manage_the_racecourse(hr_admin):
    window = screening_window()
    with pytest.raises(PermissionDenied):
        close(window, actor=UserFactory())
    assert close(window, actor=admin_of(window.racecourse))["status"] == "applied"


# --- Top K -------------------------------------------------------------------------


def test_top_k_passes_the_first_k_and_eliminates_the_rest():
    """Passing ideas go to gestation; both quote their numbers in the reason."""
    window = screening_window(top_k=2)
    best, second, third = in_screening(window.racecourse, 3)
    judge(best, "++++")
    judge(second, "+++-")
    judge(third, "+---")

    outcome = close(window)

    assert outcome["passed"] == [best.pk, second.pk]
    assert outcome["eliminated"] == [third.pk]
    assert stage_of(best) == stage_of(second) == Stage.GESTATION
    assert stage_of(third) == Stage.ELIMINATED
    assert last_reason(best) == (
        "Passed online screening: 100% support from 4 voters (rank 1 of 3)."
    )
    assert last_reason(third) == (
        "Not among the top 2 in online screening: 25% support from 4 voters "
        "(rank 3 of 3)."
    )


def test_top_k_tie_at_k_goes_to_the_earlier_registration():
    """Equal numbers at place K: ranks are strict, the older claim passes."""
    window = screening_window(top_k=1)
    first, second = in_screening(window.racecourse, 2)
    judge(second, "++-")
    judge(first, "++-")

    outcome = close(window)

    assert outcome["passed"] == [first.pk]
    assert stage_of(second) == Stage.ELIMINATED


def test_top_k_ranks_by_confidence_not_raw_rate():
    """1 of 1 (100%) ranks below 9 of 10 (90%): the Wilson bound decides."""
    window = screening_window(top_k=1)
    lucky, solid = in_screening(window.racecourse, 2)
    judge(lucky, "+")
    judge(solid, "+++++++++-")
    assert close(window)["passed"] == [solid.pk]


def test_top_k_larger_than_the_field_passes_everyone():
    window = screening_window(top_k=10)
    ideas = in_screening(window.racecourse, 2)
    outcome = close(window)
    assert sorted(outcome["passed"]) == sorted(i.pk for i in ideas)
    assert outcome["eliminated"] == []


def test_ideas_nobody_voted_on_come_last_and_say_so():
    window = screening_window(top_k=1)
    silent, voted = in_screening(window.racecourse, 2)
    judge(voted, "-")
    close(window)
    assert stage_of(voted) == Stage.GESTATION
    assert last_reason(silent) == (
        "Not among the top 1 in online screening: no votes (rank 2 of 2)."
    )


def test_only_ideas_in_screening_are_decided():
    """Withdrawn and earlier-eliminated ideas keep their stage."""
    window = screening_window(top_k=5)
    live, gone = in_screening(window.racecourse, 2)
    judge(gone, "+++")
    from ideas import funnel

    funnel.idea_withdraw(idea=gone, actor=gone.author)
    outcome = close(window)
    assert outcome["passed"] == [live.pk]
    assert stage_of(gone) == Stage.WITHDRAWN


# --- Threshold ---------------------------------------------------------------------


def test_threshold_needs_both_the_rate_and_the_voters():
    """At least 60% from at least 3 voters; exactly 60% passes."""
    window = screening_window(
        rule=StageWindow.Rule.THRESHOLD, threshold_rate="0.6", threshold_min_voters=3
    )
    clear, few, exact, low = in_screening(window.racecourse, 4)
    judge(clear, "+++-")  # 75% of 4
    judge(few, "++")  # 100% of 2: too few voters
    judge(exact, "+++--")  # exactly 60% of 5
    judge(low, "+---")  # 25% of 4

    outcome = close(window)

    assert sorted(outcome["passed"]) == sorted([clear.pk, exact.pk])
    assert sorted(outcome["eliminated"]) == sorted([few.pk, low.pk])
    assert last_reason(few) == (
        "Below the bar in online screening: 100% support from 2 voters "
        "(rank 1 of 4); at least 60% support from at least 3 voters was needed."
    )


def test_threshold_without_a_minimum_counts_a_single_voter():
    window = screening_window(rule=StageWindow.Rule.THRESHOLD, threshold_rate="0.5")
    one, none = in_screening(window.racecourse, 2)
    judge(one, "+")
    outcome = close(window)
    assert outcome["passed"] == [one.pk]
    assert outcome["eliminated"] == [none.pk]


def test_threshold_exactly_at_the_minimum_voters_passes():
    window = screening_window(
        rule=StageWindow.Rule.THRESHOLD, threshold_rate="0.5", threshold_min_voters=2
    )
    (idea,) = in_screening(window.racecourse, 1)
    judge(idea, "+-")
    assert close(window)["passed"] == [idea.pk]


# --- Voted down --------------------------------------------------------------------


def test_voted_down_is_out_only_when_opposes_outnumber_supports():
    """A draw passes, and so does an idea nobody voted on."""
    window = screening_window(rule=StageWindow.Rule.VOTED_DOWN)
    down, draw, up, silent = in_screening(window.racecourse, 4)
    judge(down, "+--")
    judge(draw, "+-")
    judge(up, "++-")

    outcome = close(window)

    assert outcome["eliminated"] == [down.pk]
    assert sorted(outcome["passed"]) == sorted([draw.pk, up.pk, silent.pk])
    assert last_reason(down).startswith(
        "Voted down in online screening: 2 opposed and 1 supported"
    )


# --- The tally is final ------------------------------------------------------------


def test_the_close_tallies_first_so_the_decision_reads_a_final_snapshot():
    window = screening_window(top_k=1)
    a, b = in_screening(window.racecourse, 2)
    judge(a, "+")
    judge(b, "++")
    assert not Tally.objects.filter(window=window).exists()

    close(window)

    tallies = {t.idea_id: t for t in Tally.objects.filter(window=window)}
    assert tallies[b.pk].supports == 2 and tallies[b.pk].rank == 1
    assert tallies[a.pk].computed_at == window.closes_at + LATER
    assert stage_of(b) == Stage.GESTATION


# --- Idempotency -------------------------------------------------------------------


def test_applying_twice_changes_nothing_the_second_time():
    """One transition per idea, and ``applied_at`` is set once."""
    window = screening_window(top_k=1)
    ideas = in_screening(window.racecourse, 2)
    judge(ideas[0], "+")
    first = close(window)
    window.refresh_from_db()
    applied_at = window.applied_at

    again = window_apply(window=window, when=window.closes_at + dt.timedelta(hours=1))

    assert first["status"] == "applied"
    assert again["status"] == "already_applied"
    assert again["passed"] == again["eliminated"] == []
    window.refresh_from_db()
    assert window.applied_at == applied_at
    for idea in ideas:
        assert (
            StageTransition.objects.filter(
                idea=idea, from_stage=Stage.SCREENING
            ).count()
            == 1
        )


def test_a_stale_window_instance_is_still_applied_once():
    """The applied mark is read from the locked row, not the caller's copy."""
    window = screening_window(top_k=1)
    in_screening(window.racecourse, 1)
    stale = StageWindow.objects.get(pk=window.pk)
    close(window)
    assert close(stale)["status"] == "already_applied"


# --- Decided by a person -----------------------------------------------------------


def test_manual_window_writes_a_proposal_and_changes_nothing():
    """Without K or a rate, the proposal is every idea not voted down, best first."""
    window = screening_window(rule=StageWindow.Rule.MANUAL)
    down, up, draw = in_screening(window.racecourse, 3)
    judge(down, "--")
    judge(up, "++")
    judge(draw, "+-")

    outcome = close(window)

    assert outcome["status"] == "proposed"
    assert outcome["proposed"] == [up.pk, draw.pk]
    assert ClosingProposal.objects.get(window=window).passing == [up.pk, draw.pk]
    window.refresh_from_db()
    assert window.applied_at is None
    assert {stage_of(i) for i in (down, up, draw)} == {Stage.SCREENING}


def test_manual_window_proposes_top_k_when_k_is_set():
    window = screening_window(rule=StageWindow.Rule.MANUAL, top_k=1)
    a, b = in_screening(window.racecourse, 2)
    judge(b, "+")
    assert close(window)["proposed"] == [b.pk]


def test_manual_window_proposes_by_threshold_when_a_rate_is_set():
    window = screening_window(
        rule=StageWindow.Rule.MANUAL, threshold_rate="0.7", threshold_min_voters=2
    )
    a, b = in_screening(window.racecourse, 2)
    judge(a, "++-")
    judge(b, "+++")
    assert close(window)["proposed"] == [b.pk]


def test_applying_a_manual_window_again_refreshes_its_proposal():
    window = screening_window(rule=StageWindow.Rule.MANUAL)
    (idea,) = in_screening(window.racecourse, 1)
    judge(idea, "-")
    assert close(window)["proposed"] == []
    ClosingProposal.objects.filter(window=window).update(passing=[])
    assert close(window)["proposed"] == []
    assert ClosingProposal.objects.filter(window=window).count() == 1


@pytest.fixture
def manual():
    """A closed-and-proposed manual window with three ideas and an admin."""
    window = screening_window(rule=StageWindow.Rule.MANUAL)
    ideas = in_screening(window.racecourse, 3)
    judge(ideas[0], "++")
    judge(ideas[1], "+-")
    judge(ideas[2], "--")
    end(window)
    close(window)
    return window, ideas, admin_of(window.racecourse)


def test_confirm_applies_the_chosen_list(manual):
    """The person's list decides, even against the proposal."""
    window, (a, b, c), admin = manual
    when = window.closes_at + dt.timedelta(hours=2)

    outcome = window_confirm(
        window=window, actor=admin, passing=[c.pk, a.pk], when=when
    )

    assert outcome["status"] == "applied"
    assert sorted(outcome["passed"]) == sorted([a.pk, c.pk])
    assert outcome["eliminated"] == [b.pk]
    assert stage_of(a) == stage_of(c) == Stage.GESTATION
    assert stage_of(b) == Stage.ELIMINATED
    assert last_reason(c) == (
        "Chosen at the close of online screening: 0% support from 2 voters "
        "(rank 3 of 3)."
    )
    assert StageTransition.objects.get(idea=a, to_stage=Stage.GESTATION).actor == admin
    proposal = ClosingProposal.objects.get(window=window)
    assert proposal.confirmed_by == admin
    assert proposal.confirmed_at == when
    assert sorted(proposal.passing) == sorted([a.pk, c.pk])
    window.refresh_from_db()
    assert window.applied_at == when


def test_hr_may_confirm_any_racecourse(manual, hr_admin):
    window, ideas, _admin = manual
    window_confirm(window=window, actor=hr_admin, passing=[])
    assert {stage_of(i) for i in ideas} == {Stage.ELIMINATED}


@pytest.mark.parametrize("who", ["employee", "team member", "other admin"])
def test_only_hr_and_the_racecourse_admins_may_confirm(manual, who):
    window, ideas, _admin = manual
    actor = {
        "employee": UserFactory,
        "team member": lambda: ideas[0].author,
        "other admin": lambda: admin_of(screening_window().racecourse),
    }[who]()
    with pytest.raises(PermissionDenied):
        window_confirm(window=window, actor=actor, passing=[ideas[0].pk])
    assert {stage_of(i) for i in ideas} == {Stage.SCREENING}


def test_confirm_before_the_close_is_refused():
    window = screening_window(rule=StageWindow.Rule.MANUAL)
    (idea,) = in_screening(window.racecourse, 1)
    with pytest.raises(ValidationError) as error:
        window_confirm(
            window=window,
            actor=UserFactory(is_hr_admin=True),
            passing=[idea.pk],
            when=window.closes_at - LATER,
        )
    assert error.value.code == "window_open"


def test_confirm_refuses_ideas_not_in_screening_on_that_racecourse(manual):
    window, ideas, admin = manual
    stranger = in_screening(screening_window().racecourse, 1)[0]
    with pytest.raises(ValidationError) as error:
        window_confirm(window=window, actor=admin, passing=[ideas[0].pk, stranger.pk])
    assert str(stranger.pk) in error.value.message_dict["passing"][0]
    assert {stage_of(i) for i in ideas} == {Stage.SCREENING}


def test_confirm_twice_is_refused(manual):
    window, ideas, admin = manual
    window_confirm(window=window, actor=admin, passing=[ideas[0].pk])
    with pytest.raises(ValidationError) as error:
        window_confirm(window=window, actor=admin, passing=[ideas[1].pk])
    assert error.value.code == "already_applied"
    assert stage_of(ideas[1]) == Stage.ELIMINATED


def test_confirm_is_only_for_manual_windows(hr_admin):
    window = screening_window(top_k=1)
    with pytest.raises(ValidationError) as error:
        window_confirm(window=window, actor=hr_admin, passing=[])
    assert error.value.code == "not_manual"


def test_confirm_without_a_proposal_makes_it_first(hr_admin):
    """A person quicker than the minute task still decides on a final tally."""
    window = screening_window(rule=StageWindow.Rule.MANUAL)
    a, b = in_screening(window.racecourse, 2)
    judge(a, "+")
    window_confirm(
        window=window, actor=hr_admin, passing=[a.pk], when=window.closes_at + LATER
    )
    assert Tally.objects.filter(window=window).count() == 2
    assert ClosingProposal.objects.get(window=window).confirmed_by == hr_admin
    assert stage_of(a) == Stage.GESTATION


# --- The team hears about it -------------------------------------------------------


def test_team_members_get_a_notification_and_an_email(
    django_capture_on_commit_callbacks,
):
    """Each member of a passing and of an eliminated team is told, in app and mail."""
    window = screening_window(top_k=1)
    winner, loser = in_screening(window.racecourse, 2)
    mate = UserFactory()
    invitation_accept(
        invitation=team_invite(idea=winner, actor=winner.author, invitee=mate),
        actor=mate,
    )
    judge(winner, "+")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        close(window)

    notes = Notification.objects.filter(url__contains="#transition-")
    assert {n.recipient for n in notes} == {winner.author, mate, loser.author}
    told = {n.recipient: n for n in notes}
    assert "Gestation" in told[mate].subject
    assert told[mate].body.startswith("Passed online screening")
    assert "Eliminated" in told[loser.author].subject
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (winner.author, mate, loser.author)
    )


def test_a_long_reason_is_kept_whole_and_the_history_note_fits():
    """The history's reason column holds 100 characters (PostgreSQL enforces it)."""
    window = screening_window(
        rule=StageWindow.Rule.THRESHOLD, threshold_rate="0.9", threshold_min_voters=50
    )
    (idea,) = in_screening(window.racecourse, 1)
    judge(idea, "+-")
    close(window)
    assert len(last_reason(idea)) > 100
    note = idea.history.first().history_change_reason
    assert len(note) == 100 and note.endswith("…")
    assert last_reason(idea).startswith(note[:-1])
