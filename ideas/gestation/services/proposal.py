"""The final proposal, and HR's extensions and eliminations."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from horserace.accounts.models import User
from horserace.common.notes import note
from horserace.common.permissions import can
from horserace.notifications.services import event_send
from ideas import funnel
from ideas.gestation import events
from ideas.gestation.services.helpers import field_error, required_text, workspace_url
from ideas.models import FinalProposal, Idea, ProposalExtension
from ideas.rules import gestation_window_of
from ideas.services.common import lock_idea, require


@transaction.atomic
def final_proposal_submit(
    *, idea: Idea, actor: User, summary: str, document: str
) -> FinalProposal:
    """The captain hands in the final proposal; the idea goes to evaluation.

    Allowed while the racecourse's gestation window is open (or it has none),
    or until an extension HR granted runs out. The files attached beforehand
    as kind "proposal" belong to it. Once only.
    """
    idea = lock_idea(idea)
    if FinalProposal.objects.filter(idea=idea).exists():
        raise ValidationError(
            _("The final proposal has already been submitted."),
            code="already_submitted",
        )
    if not can(actor, "ideas.submit_proposal", idea):
        if can(actor, "ideas.request_resources", idea):  # captain, in gestation
            raise ValidationError(
                _(
                    "The gestation window has closed and your team has no "
                    "extension: the proposal can no longer be submitted."
                ),
                code="deadline_passed",
            )
        raise PermissionDenied(
            _("Only the captain of a team in gestation submits its final proposal.")
        )
    summary = required_text(
        summary, "summary", _("Sum the proposal up in a few lines.")
    )
    if len(summary) > 500:
        raise field_error(
            "summary", _("Keep the summary to 500 characters."), "too_long"
        )
    document = required_text(document, "document", _("The proposal document is empty."))
    proposal = FinalProposal.objects.create(
        idea=idea,
        summary=summary,
        document=document,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    funnel.idea_submit_proposal(
        idea=idea, actor=actor, reason=note(gettext_noop("Final proposal submitted."))
    )
    event_send(
        events.ProposalSubmitted,
        about=proposal,
        url=idea.get_absolute_url(),
        proposal=proposal.pk,
        idea=idea.title,
        summary=summary,
    )
    return proposal


@transaction.atomic
def proposal_extension_grant(
    *, idea: Idea, actor: User, until: datetime, reason: str
) -> ProposalExtension:
    """HR gives a team in gestation until ``until`` to hand in its proposal.

    ``until`` must be in the future and after the gestation window's close.
    """
    idea = lock_idea(idea)
    require(
        actor,
        "ideas.grant_extension",
        idea,
        _("Only HR can extend the proposal deadline of a team in gestation."),
    )
    reason = required_text(reason, "reason", _("Say why the team gets more time."))
    if until <= timezone.now():
        raise field_error("until", _("An extension must end in the future."), "past")
    window = gestation_window_of(idea)
    if window is not None and until <= window.closes_at:
        raise field_error(
            "until",
            _("An extension must end after the gestation window closes (%(closes)s).")
            % {"closes": f"{timezone.localtime(window.closes_at):%Y-%m-%d %H:%M}"},
            "before_close",
        )
    extension = ProposalExtension.objects.create(
        idea=idea, until=until, reason=reason, granted_by=actor
    )
    event_send(
        events.ExtensionGranted,
        about=extension,
        url=workspace_url(idea),
        extension=extension.pk,
        idea=idea.title,
        until=f"{timezone.localtime(until):%Y-%m-%d %H:%M}",
        reason=reason,
    )
    return extension


@transaction.atomic
def gestation_eliminate(*, idea: Idea, actor: User, reason: str) -> Idea:
    """HR ends a project that has no proposal once the gestation window closed."""
    idea = lock_idea(idea)
    if not can(actor, "ideas.eliminate_without_proposal", idea):
        if can(actor, "ideas.grant_extension", idea):  # HR, in gestation
            raise ValidationError(
                _(
                    "The gestation window is still open: the team may still "
                    "submit its proposal."
                ),
                code="window_open",
            )
        raise PermissionDenied(
            _("Only HR can eliminate a project in gestation that has no proposal.")
        )
    reason = required_text(reason, "reason", _("Say why the project ends."))
    return funnel.idea_eliminate(idea=idea, actor=actor, reason=reason)
