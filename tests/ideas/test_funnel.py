"""The funnel: every allowed and every forbidden stage change, and its guarantees."""

import datetime as dt
import itertools

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from contests.models import Racecourse, WindowStage
from horserace.notifications.models import Notification
from ideas import funnel
from ideas.funnel import TRANSITIONS, TransitionNotAllowed
from ideas.models import Idea, Stage, StageTransition
from ideas.services.registration import idea_register
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import (
    RacecourseFactory,
    StageWindowFactory,
    UserFactory,
    idea_draft,
    idea_in_stage,
)

pytestmark = pytest.mark.django_db

ALLOWED = sorted(TRANSITIONS)
FORBIDDEN = [
    (source, target)
    for source, target in itertools.product(Stage.values, Stage.values)
    if source != target and (source, target) not in TRANSITIONS
]


def _transition_notes():
    """Notifications written for stage changes (their link names the transition)."""
    return Notification.objects.filter(url__contains="#transition-")


def _idea_with_member(**kwargs):
    """A draft idea whose team has a captain and one member who joined."""
    idea = idea_draft(**kwargs)
    member = UserFactory()
    invitation = team_invite(idea=idea, actor=idea.author, invitee=member)
    invitation_accept(invitation=invitation, actor=member)
    return idea, member


def test_table_covers_the_designed_funnel():
    """The table holds the DESIGN.md funnel: the main path, withdraw and merge."""
    main_path = [
        (Stage.DRAFT, Stage.REGISTERED),
        (Stage.REGISTERED, Stage.SCREENING),
        (Stage.SCREENING, Stage.GESTATION),
        (Stage.SCREENING, Stage.ELIMINATED),
        (Stage.GESTATION, Stage.EVALUATION),
        (Stage.EVALUATION, Stage.REALIZATION),
        (Stage.EVALUATION, Stage.ELIMINATED),
        (Stage.REALIZATION, Stage.REALIZED),
    ]
    for move in main_path:
        assert move in TRANSITIONS
    for stage in funnel.WITHDRAWABLE:
        assert (stage, Stage.WITHDRAWN) in TRANSITIONS
    for stage in funnel.FINAL:
        assert (stage, Stage.WITHDRAWN) not in TRANSITIONS
    for stage in Stage.values:
        if stage != Stage.MERGED:
            assert (stage, Stage.MERGED) in TRANSITIONS
    assert funnel.allowed_targets(Stage.MERGED) == []
    assert set(funnel.allowed_targets(Stage.DRAFT)) == {
        Stage.REGISTERED,
        Stage.WITHDRAWN,
        Stage.MERGED,
    }


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_every_allowed_transition_moves_and_is_recorded(source, target):
    """Each move in the table changes the stage and writes one StageTransition."""
    idea = idea_in_stage(source)
    actor = UserFactory()
    before = StageTransition.objects.filter(idea=idea).count()

    moved, changed = funnel.idea_transition(
        idea=idea, to=target, actor=actor, reason="walking the table"
    )

    assert changed is True
    assert moved.stage == target
    assert idea.stage == target, "the caller's instance is updated in place"
    assert Idea.objects.get(pk=idea.pk).stage == target
    assert StageTransition.objects.filter(idea=idea).count() == before + 1
    record = StageTransition.objects.filter(idea=idea).last()
    assert (record.from_stage, record.to_stage) == (source, target)
    assert record.actor == actor
    assert record.reason == "walking the table"


@pytest.mark.parametrize(("source", "target"), FORBIDDEN)
def test_every_forbidden_transition_is_refused_and_writes_nothing(source, target):
    """A (source, target) pair missing from the table raises and changes nothing."""
    idea = idea_in_stage(source)
    before = StageTransition.objects.count()
    history_before = idea.history.count()

    with pytest.raises(TransitionNotAllowed) as excinfo:
        funnel.idea_transition(idea=idea, to=target, actor=idea.author)

    assert excinfo.value.code == "transition_not_allowed"
    assert Idea.objects.get(pk=idea.pk).stage == source
    assert idea.stage == source
    assert StageTransition.objects.count() == before
    assert idea.history.count() == history_before


def test_forbidden_list_is_complete():
    """Allowed, forbidden and same-stage pairs together cover Stage x Stage."""
    same = len(Stage.values)
    assert len(ALLOWED) + len(FORBIDDEN) + same == len(Stage.values) ** 2


def test_unknown_target_stage_is_refused():
    """A stage name that does not exist is refused like any forbidden move."""
    idea = idea_draft()
    with pytest.raises(TransitionNotAllowed):
        funnel.idea_transition(idea=idea, to="launched", actor=idea.author)
    assert Idea.objects.get(pk=idea.pk).stage == Stage.DRAFT


@pytest.mark.parametrize("stage", Stage.values)
def test_transition_to_current_stage_is_a_no_op(stage):
    """Moving an idea to the stage it is in does nothing and writes no row."""
    idea = idea_in_stage(stage)
    before = StageTransition.objects.count()
    history_before = idea.history.count()

    moved, changed = funnel.idea_transition(idea=idea, to=stage, actor=idea.author)

    assert changed is False
    assert moved.stage == stage
    assert StageTransition.objects.count() == before
    assert idea.history.count() == history_before


def test_retrying_a_named_wrapper_is_harmless():
    """A retried wrapper call (a double click) leaves one transition row."""
    idea = idea_in_stage(Stage.REGISTERED)
    funnel.idea_open_screening(idea=idea)
    funnel.idea_open_screening(idea=idea)
    assert idea.transitions.filter(to_stage=Stage.SCREENING).count() == 1


def test_transition_uses_the_database_stage_not_a_stale_instance():
    """The row is locked and re-read, so a stale instance cannot skip the table."""
    idea = idea_in_stage(Stage.REGISTERED)
    stale = Idea.objects.get(pk=idea.pk)
    funnel.idea_withdraw(idea=idea, actor=idea.author)

    assert stale.stage == Stage.REGISTERED
    with pytest.raises(TransitionNotAllowed):
        funnel.idea_transition(idea=stale, to=Stage.SCREENING, actor=None)
    assert Idea.objects.get(pk=idea.pk).stage == Stage.WITHDRAWN


def test_transition_row_records_actor_reason_and_time():
    """The StageTransition row says who moved the idea, from where, to where, why."""
    idea = idea_in_stage(Stage.SCREENING)
    evaluator = UserFactory(is_evaluator=True)
    started = timezone.now()

    funnel.idea_eliminate(idea=idea, actor=evaluator, reason="Voted down 30 to 70.")

    record = idea.transitions.get(to_stage=Stage.ELIMINATED)
    assert record.from_stage == Stage.SCREENING
    assert record.actor == evaluator
    assert record.reason == "Voted down 30 to 70."
    assert record.created_at >= started
    assert str(record) == f"{idea.pk}: screening → eliminated"


def test_transition_without_actor_is_recorded_as_the_system():
    """Moves made by a periodic task have no actor; the row still exists."""
    idea = idea_in_stage(Stage.REGISTERED)
    funnel.idea_open_screening(idea=idea)
    record = idea.transitions.get(to_stage=Stage.SCREENING)
    assert record.actor is None
    assert record.reason == ""


def test_history_keeps_the_reason_or_the_move_name():
    """The idea's edit history names why the stage changed."""
    idea = idea_in_stage(Stage.REGISTERED)
    funnel.idea_open_screening(idea=idea)
    assert idea.history.first().history_change_reason == "open_screening"
    funnel.idea_pass_screening(idea=idea, reason="Top 10")
    assert idea.history.first().history_change_reason == "Top 10"


def test_named_wrappers_walk_the_whole_funnel():
    """The wrappers other apps call reach every stage of the main path."""
    idea = idea_draft()
    actor = idea.author
    funnel.idea_register(idea=idea, actor=actor)
    funnel.idea_open_screening(idea=idea)
    funnel.idea_pass_screening(idea=idea)
    funnel.idea_submit_proposal(idea=idea, actor=actor)
    funnel.idea_select(idea=idea, actor=actor)
    funnel.idea_complete(idea=idea, actor=actor)
    assert list(idea.transitions.values_list("to_stage", flat=True)) == [
        Stage.REGISTERED,
        Stage.SCREENING,
        Stage.GESTATION,
        Stage.EVALUATION,
        Stage.REALIZATION,
        Stage.REALIZED,
    ]


# --- the registration guard -----------------------------------------------------------


@pytest.mark.parametrize(
    ("opens", "closes"),
    [
        pytest.param(-10, -1, id="closed"),
        pytest.param(1, 10, id="not-yet-open"),
    ],
)
def test_register_outside_the_registration_window_is_refused(opens, closes):
    """Registration is only possible while the racecourse's window is open."""
    racecourse = RacecourseFactory(kind=Racecourse.Kind.MAIN)
    now = timezone.now()
    StageWindowFactory(
        racecourse=racecourse,
        stage=WindowStage.REGISTRATION,
        opens_at=now + dt.timedelta(days=opens),
        closes_at=now + dt.timedelta(days=closes),
    )
    idea = idea_draft(racecourse=racecourse)

    with pytest.raises(TransitionNotAllowed) as excinfo:
        funnel.idea_register(idea=idea, actor=idea.author)

    assert excinfo.value.code == "guard"
    assert Idea.objects.get(pk=idea.pk).stage == Stage.DRAFT
    assert not idea.transitions.exists()


def test_register_without_any_registration_window_is_refused():
    """A racecourse with no registration window takes no registrations."""
    idea = idea_draft(racecourse=RacecourseFactory(kind=Racecourse.Kind.DEPARTMENT))
    with pytest.raises(TransitionNotAllowed):
        funnel.idea_register(idea=idea, actor=idea.author)
    assert Idea.objects.get(pk=idea.pk).stage == Stage.DRAFT


def test_register_on_the_farm_is_always_open():
    """The Innovation Farm has no window and takes registrations at any time."""
    farm = RacecourseFactory(kind=Racecourse.Kind.FARM)
    idea = idea_draft(racecourse=farm)
    funnel.idea_register(idea=idea, actor=idea.author)
    assert Idea.objects.get(pk=idea.pk).stage == Stage.REGISTERED


def test_other_windows_do_not_open_registration():
    """An open screening window does not make registration possible."""
    racecourse = RacecourseFactory(kind=Racecourse.Kind.MAIN)
    StageWindowFactory(racecourse=racecourse, stage=WindowStage.SCREENING)
    idea = idea_draft(racecourse=racecourse)
    with pytest.raises(TransitionNotAllowed):
        funnel.idea_register(idea=idea, actor=idea.author)


# --- notifications --------------------------------------------------------------------


def test_team_is_notified_once_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    """Team members other than the actor hear about the change after commit."""
    idea, member = _idea_with_member()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        funnel.idea_register(idea=idea, actor=idea.author)
    assert callbacks, "notification is queued on commit"
    assert not _transition_notes().exists(), "nothing is sent before commit"

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    notes = list(_transition_notes())
    assert [n.recipient for n in notes] == [member], "the actor is not told"
    assert "Registered" in notes[0].subject
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_every_member_is_notified_when_the_system_moves_the_idea(
    django_capture_on_commit_callbacks,
):
    """With no actor (a periodic task), the whole team, captain included, hears."""
    idea, member = _idea_with_member()
    idea_register(idea=idea, actor=idea.author)
    _transition_notes().delete()

    with django_capture_on_commit_callbacks(execute=True):
        funnel.idea_open_screening(idea=idea, reason="Screening opens")

    notes = _transition_notes()
    assert {n.recipient for n in notes} == {idea.author, member}
    assert {n.body for n in notes} == {"Screening opens"}


def test_rolled_back_transition_notifies_nobody(django_capture_on_commit_callbacks):
    """If the surrounding transaction rolls back, no notification or mail goes out."""
    idea, _member = _idea_with_member()
    mail.outbox.clear()

    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            funnel.idea_register(idea=idea, actor=idea.author)
            raise Boom

    assert callbacks == []
    assert not _transition_notes().exists()
    assert mail.outbox == []
    assert Idea.objects.get(pk=idea.pk).stage == Stage.DRAFT
    assert not StageTransition.objects.filter(idea=idea).exists()


def test_no_op_transition_notifies_nobody(django_capture_on_commit_callbacks):
    """Retrying a move that already happened queues nothing."""
    idea, _member = _idea_with_member()
    idea_register(idea=idea, actor=idea.author)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        funnel.idea_register(idea=idea, actor=idea.author)
    assert callbacks == []


# --- merge ----------------------------------------------------------------------------


def test_merge_points_the_idea_at_its_successor():
    """A merged idea is in stage merged and remembers which idea absorbed it."""
    idea = idea_in_stage(Stage.REGISTERED)
    into = idea_in_stage(Stage.REGISTERED)

    funnel.idea_merge(idea=idea, into=into, actor=into.author, reason="Same plan")

    idea.refresh_from_db()
    assert idea.stage == Stage.MERGED
    assert idea.merged_into == into
    record = idea.transitions.get(to_stage=Stage.MERGED)
    assert record.reason == "Same plan"
    assert list(into.merged_ideas.all()) == [idea]


def test_merge_into_itself_is_refused():
    """An idea cannot be merged into itself."""
    idea = idea_in_stage(Stage.REGISTERED)
    with pytest.raises(TransitionNotAllowed):
        funnel.idea_merge(idea=idea, into=idea, actor=idea.author)
    idea.refresh_from_db()
    assert idea.stage == Stage.REGISTERED
    assert idea.merged_into is None


@pytest.mark.parametrize("final", funnel.FINAL)
def test_merge_into_a_finished_idea_is_refused(final):
    """Ideas can only be merged into an idea that is still in the race."""
    idea = idea_in_stage(Stage.REGISTERED)
    into = idea_in_stage(final)
    with pytest.raises(TransitionNotAllowed):
        funnel.idea_merge(idea=idea, into=into, actor=idea.author)
    idea.refresh_from_db()
    assert idea.stage == Stage.REGISTERED
    assert idea.merged_into is None
    assert not idea.transitions.filter(to_stage=Stage.MERGED).exists()


def test_merge_is_idempotent_for_the_same_target():
    """Merging again into the same idea changes nothing and writes no new row."""
    idea = idea_in_stage(Stage.REGISTERED)
    into = idea_in_stage(Stage.REGISTERED)
    funnel.idea_merge(idea=idea, into=into, actor=into.author)
    funnel.idea_merge(idea=idea, into=into, actor=into.author)
    assert idea.transitions.filter(to_stage=Stage.MERGED).count() == 1
    idea.refresh_from_db()
    assert idea.merged_into == into


def test_merged_idea_cannot_be_repointed_to_another_idea():
    """A merged idea is final: merging it again elsewhere is refused, not re-pointed."""
    idea = idea_in_stage(Stage.REGISTERED)
    first = idea_in_stage(Stage.REGISTERED)
    second = idea_in_stage(Stage.REGISTERED)
    funnel.idea_merge(idea=idea, into=first, actor=first.author)

    with pytest.raises(TransitionNotAllowed):
        funnel.idea_merge(idea=idea, into=second, actor=second.author)

    idea.refresh_from_db()
    assert idea.merged_into == first


def test_merge_checks_the_target_as_stored_not_a_stale_instance():
    """A target that left the race since it was loaded cannot absorb an idea."""
    idea = idea_in_stage(Stage.REGISTERED)
    into = idea_in_stage(Stage.REGISTERED)
    stale_into = Idea.objects.get(pk=into.pk)
    funnel.idea_withdraw(idea=into, actor=into.author)

    with pytest.raises(TransitionNotAllowed):
        funnel.idea_merge(idea=idea, into=stale_into, actor=idea.author)

    idea.refresh_from_db()
    assert idea.stage == Stage.REGISTERED
    assert idea.merged_into is None


def test_leaving_gestation_ends_coaching_and_frees_the_trainers_seat():
    """A proposal (or elimination) ends the active assignment and lapses requests."""
    from contests.models import Trainer
    from ideas.models import TrainerAssignment

    coached = idea_in_stage(Stage.GESTATION)
    waiting = idea_in_stage(Stage.GESTATION)
    untouched = idea_in_stage(Stage.GESTATION)
    trainer = Trainer.objects.create(
        season=coached.racecourse.season, user=UserFactory(is_mentor=True)
    )
    Status = TrainerAssignment.Status
    TrainerAssignment.objects.create(
        idea=coached, trainer=trainer, status=Status.ACTIVE
    )
    TrainerAssignment.objects.create(idea=waiting, status=Status.REQUESTED)
    TrainerAssignment.objects.create(
        idea=untouched, trainer=trainer, status=Status.ACTIVE
    )

    funnel.idea_submit_proposal(idea=coached, actor=coached.author)
    funnel.idea_eliminate(idea=waiting, reason="No proposal at the close.")

    assert coached.trainer_assignments.get().status == Status.ENDED
    assert coached.trainer_assignments.get().ended_at is not None
    assert waiting.trainer_assignments.get().status == Status.DECLINED
    assert untouched.trainer_assignments.get().status == Status.ACTIVE
