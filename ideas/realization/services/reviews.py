"""Milestone reviews: the team asks, HR releases the tranche or sends it back."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from horserace.accounts.models import User
from horserace.notifications.services import event_send
from ideas import lifecycles
from ideas.models import Tranche
from ideas.realization import events
from ideas.realization.services.helpers import (
    RELEASE,
    complete_if_done,
    lock_tranche,
    page,
    require_active,
    require_in_review,
    require_planned,
    short,
)
from ideas.services.common import require


@transaction.atomic
def tranche_review_submit(*, tranche: Tranche, actor: User, review: str) -> Tranche:
    """The team reports the milestone reached and asks HR to release the tranche.

    Tranches go in order: the earlier ones must be released (or cancelled).
    HR admins are told in the app.
    """
    plan, tranche = lock_tranche(tranche)
    require(
        actor,
        "ideas.submit_milestone_review",
        plan.idea,
        _(
            "Only the team can submit milestone reviews, and only while the "
            "project is in realization."
        ),
    )
    require_active(plan)
    if tranche.status == Tranche.Status.IN_REVIEW:
        raise ValidationError(
            _("The review of tranche #%(n)d already waits for HR.")
            % {"n": tranche.position},
            code="already_in_review",
        )
    require_planned(tranche)
    earlier = (
        plan.tranches.filter(position__lt=tranche.position)
        .exclude(status__in=[Tranche.Status.RELEASED, Tranche.Status.CANCELLED])
        .order_by("position")
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            _("Tranche #%(n)d must be released before this one is reviewed.")
            % {"n": earlier.position},
            code="out_of_order",
        )
    review = (review or "").strip()
    if not review:
        raise ValidationError({"review": _("Describe how the milestone was reached.")})
    tranche.review = review
    tranche.review_submitted_at = timezone.now()
    tranche.review_submitted_by = actor
    lifecycles.move(
        tranche,
        "submit_review",
        actor=actor,
        update_fields=["review", "review_submitted_at", "review_submitted_by"],
    )
    # The review is the project's content: HR who have not opened a
    # confidential project get the subject and the link (the event says).
    event_send(
        events.TrancheReviewSubmitted,
        about=tranche,
        url=page(plan.idea),
        idea=short(plan.idea.title),
        n=tranche.position,
        review=review,
    )
    return tranche


@transaction.atomic
def tranche_approve(*, tranche: Tranche, actor: User, note: str = "") -> Tranche:
    """HR approves the milestone review: the tranche is released.

    When it was the last live tranche the plan completes and the idea moves
    to realized, in this transaction. The team is notified.
    """
    plan, tranche = lock_tranche(tranche)
    # State first: whoever lost a race to decide it hears why.
    require_in_review(tranche)
    require(actor, "ideas.release_tranche", plan.idea, str(RELEASE))
    require_active(plan)
    tranche.released_at = timezone.now()
    tranche.released_by = actor
    tranche.decision_note = (note or "").strip()
    lifecycles.move(
        tranche,
        "approve",
        actor=actor,
        reason=tranche.decision_note,
        update_fields=["released_at", "released_by", "decision_note"],
    )
    completed = complete_if_done(plan, actor)
    event_send(
        events.TrancheReleased,
        about=tranche,
        url=page(plan.idea),
        tranche=tranche.pk,
        n=tranche.position,
        idea=short(plan.idea.title),
        amount=str(tranche.amount),
        currency=plan.currency,
        completed=bool(completed),
        note=tranche.decision_note,
    )
    return tranche


@transaction.atomic
def tranche_send_back(*, tranche: Tranche, actor: User, note: str) -> Tranche:
    """HR sends the review back with a note; the tranche is planned again and
    the review stays on record until the team submits a new one."""
    plan, tranche = lock_tranche(tranche)
    # State first: whoever lost a race to decide it hears why.
    require_in_review(tranche)
    require(actor, "ideas.release_tranche", plan.idea, str(RELEASE))
    require_active(plan)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Tell the team what is missing.")})
    tranche.decision_note = note
    lifecycles.move(
        tranche,
        "send_back",
        actor=actor,
        reason=note,
        update_fields=["decision_note"],
    )
    event_send(
        events.TrancheSentBack,
        about=tranche,
        url=page(plan.idea),
        n=tranche.position,
        idea=short(plan.idea.title),
        note=note,
    )
    return tranche
