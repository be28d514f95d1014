"""What a person who leaves the company held in the ideas floor, handed over.

Registered into ``horserace.accounts.leavers`` from ``IdeasConfig.ready``;
``person_leave`` calls ``idea_person_leave`` inside its transaction, with the
leaver's row locked and still active. Nothing is deleted: the leaver stays on
their teams as a member, their ideas, registrations and ballots stay theirs.

- Captaincy of an idea still in the race goes to the team member who joined
  first (an active one), else to the successor (the leaver's manager unless
  the caller names someone), who joins the team as captain (past the seat
  limit if need be: a team must not be left without one). The requests
  waiting for the captain (join requests, invitations the leaver sent, HR's
  questions on resource requests) are then the new captain's; each is
  reported.
- The leaver's own open join requests are withdrawn and invitations to them
  cancelled.
- An active trainer assignment of the leaver ends (the team can ask again).
- Time allocations waiting for the leaver's approval as manager go to the
  successor.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from horserace.accounts.leavers import Handover
from horserace.accounts.models import User
from horserace.notifications.services import event_send

from . import events, lifecycles
from .funnel import FINAL
from .models import (
    Idea,
    JoinRequest,
    RequestStatus,
    ResourceRequest,
    TeamInvitation,
    TeamMembership,
    TimeAllocation,
    TrainerAssignment,
)
from .services.common import lock_idea

Role = TeamMembership.Role


def _next_captain(idea: Idea, leaver: User, successor: User | None):
    """The membership that takes the captaincy, made if needed; None if nobody."""
    others = (
        idea.memberships.select_related("user")
        .filter(user__is_active=True)
        .exclude(user=leaver)
        .order_by("created_at", "pk")
    )
    first = others.first()
    if first is not None:
        return first
    if successor is None:
        return None
    return TeamMembership(idea=idea, user=successor, role=Role.MEMBER)


def _waiting_for_captain(idea: Idea, leaver: User) -> list[tuple[str, int, str]]:
    """(kind, id, label) of what waits for the team's captain on ``idea``."""
    waiting: list[tuple[str, int, str]] = []
    for jr in JoinRequest.objects.filter(
        idea=idea, status=RequestStatus.PENDING
    ).select_related("requester"):
        waiting.append(("join_request", jr.pk, str(jr.requester)))
    for inv in TeamInvitation.objects.filter(
        idea=idea, invited_by=leaver, status=RequestStatus.PENDING
    ).select_related("invitee"):
        waiting.append(("invitation", inv.pk, str(inv.invitee)))
    for rr in ResourceRequest.objects.filter(
        idea=idea, status=ResourceRequest.Status.QUESTION
    ).select_related("resource"):
        waiting.append(("resource_question", rr.pk, str(rr.resource)))
    return waiting


def _hand_over_captaincies(
    leaver: User, actor: User | None, successor: User | None
) -> list[Handover]:
    done = []
    idea_ids = list(
        TeamMembership.objects.filter(user=leaver, role=Role.CAPTAIN)
        .exclude(idea__stage__in=FINAL)
        .order_by("idea_id")
        .values_list("idea_id", flat=True)
    )
    for idea_id in idea_ids:
        idea = lock_idea(Idea(pk=idea_id), season=True)
        new = _next_captain(idea, leaver, successor)
        if new is None:
            done.append(
                Handover(
                    kind="captaincy",
                    subject=idea.title,
                    object_id=idea.pk,
                    from_user_id=leaver.pk,
                    to_user_id=None,
                    note=_("Nobody could take over: appoint a captain."),
                )
            )
            continue
        # Demote first: the one-captain constraint holds at every statement.
        idea.memberships.filter(user=leaver).update(role=Role.MEMBER)
        new.role = Role.CAPTAIN
        new.save()
        event_send(
            events.TeamCaptaincyGiven,
            about=new,
            url=idea.get_absolute_url(),
            idea=idea.title,
        )
        to = {"to_user_id": new.user_id, "to_name": str(new.user)}
        done.append(
            Handover(
                kind="captaincy",
                subject=idea.title,
                object_id=idea.pk,
                from_user_id=leaver.pk,
                **to,
            )
        )
        for kind, pk, label in _waiting_for_captain(idea, leaver):
            done.append(
                Handover(
                    kind=kind,
                    subject=f"{idea.title}: {label}",
                    object_id=pk,
                    from_user_id=leaver.pk,
                    **to,
                )
            )
    return done


def _close_own_requests(leaver: User, actor: User | None) -> list[Handover]:
    """Withdraw the leaver's join requests and cancel invitations to them."""
    done = []
    reason = _("The person left the company.")
    now = timezone.now()
    pending: list[tuple[str, str, type[JoinRequest | TeamInvitation], int, int]] = [
        *(
            ("join_request", "withdraw", JoinRequest, r.pk, r.idea_id)
            for r in JoinRequest.objects.filter(
                requester=leaver, status=RequestStatus.PENDING
            )
        ),
        *(
            ("invitation", "cancel", TeamInvitation, r.pk, r.idea_id)
            for r in TeamInvitation.objects.filter(
                invitee=leaver, status=RequestStatus.PENDING
            )
        ),
    ]
    for kind, move, model, pk, idea_id in pending:
        idea = lock_idea(Idea(pk=idea_id))  # idea first: the teams' lock order
        request = model.objects.select_for_update(of=("self",)).get(pk=pk)
        if request.status != RequestStatus.PENDING:
            continue
        request.responded_at = now
        lifecycles.move(
            request, move, actor=actor, reason=reason, update_fields=["responded_at"]
        )
        done.append(
            Handover(
                kind=kind,
                subject=idea.title,
                object_id=pk,
                from_user_id=leaver.pk,
                to_user_id=None,
                note=_("Closed."),
            )
        )
    return done


def _end_trainer_assignments(leaver: User, actor: User | None) -> list[Handover]:
    done = []
    open_statuses = [
        TrainerAssignment.Status.ACTIVE,
        TrainerAssignment.Status.REQUESTED,
    ]
    for assignment in (
        TrainerAssignment.objects.select_for_update(of=("self",))
        .filter(trainer__user=leaver, status__in=open_statuses)
        .select_related("idea")
        .order_by("pk")
    ):
        if assignment.status == TrainerAssignment.Status.ACTIVE:
            assignment.ended_at = timezone.now()
            lifecycles.move(
                assignment,
                "end",
                actor=actor,
                reason=_("The trainer left the company."),
                update_fields=["ended_at"],
            )
        else:
            lifecycles.move(
                assignment,
                "decline",
                actor=actor,
                reason=_("The trainer left the company."),
            )
        done.append(
            Handover(
                kind="trainer_assignment",
                subject=assignment.idea.title,
                object_id=assignment.pk,
                from_user_id=leaver.pk,
                to_user_id=None,
                note=_("Ended: the team can ask for another trainer."),
            )
        )
    return done


def _hand_over_allocations(leaver: User, successor: User | None) -> list[Handover]:
    """Time allocations waiting for the leaver's approval go to the successor."""
    waiting = list(
        TimeAllocation.objects.select_for_update(of=("self",))
        .filter(manager=leaver, approved_at__isnull=True, declined_at__isnull=True)
        .select_related("outcome__idea", "member")
        .order_by("pk")
    )
    if not waiting or successor is None:
        return [
            Handover(
                kind="time_allocation",
                subject=f"{a.outcome.idea.title}: {a.member}",
                object_id=a.pk,
                from_user_id=leaver.pk,
                to_user_id=None,
                note=_("Nobody could take over: no manager to approve it."),
            )
            for a in waiting
        ]
    TimeAllocation.objects.filter(pk__in=[a.pk for a in waiting]).update(
        manager=successor
    )
    return [
        Handover(
            kind="time_allocation",
            subject=f"{a.outcome.idea.title}: {a.member}",
            object_id=a.pk,
            from_user_id=leaver.pk,
            to_user_id=successor.pk,
            to_name=str(successor),
        )
        for a in waiting
    ]


def idea_person_leave(
    *, user: User, actor: User | None, successor: User | None
) -> list[Handover]:
    """Hand over what ``user`` held in the ideas floor (see the module doc)."""
    return [
        *_hand_over_captaincies(user, actor, successor),
        *_close_own_requests(user, actor),
        *_end_trainer_assignments(user, actor),
        *_hand_over_allocations(user, successor),
    ]
