"""The final proposal: its deadline, extensions and files."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from ideas.models import Attachment, FinalProposal, Idea, ProposalExtension
from ideas.rules import gestation_window_of


def extension_active(*, idea: Idea, when: datetime | None = None):
    """The latest extension still running at ``when``, or None."""
    when = when or timezone.now()
    return (
        ProposalExtension.objects.filter(idea=idea, until__gt=when)
        .select_related("granted_by")
        .order_by("-until")
        .first()
    )


def proposal_deadline(*, idea: Idea, when: datetime | None = None) -> dict:
    """When the proposal is due: ``{"window", "closes_at", "extension", "open"}``.

    ``open`` says whether the proposal may be submitted now (time-wise).
    """
    when = when or timezone.now()
    window = gestation_window_of(idea)
    extension = extension_active(idea=idea, when=when)
    window_open = window is None or window.is_open(when)
    return {
        "window": window,
        "closes_at": window.closes_at if window else None,
        "extension": extension,
        "open": window_open or extension is not None,
        "window_closed": window is not None and window.closes_at <= when,
    }


def proposal_attachments(*, idea: Idea) -> QuerySet[Attachment]:
    return Attachment.objects.filter(idea=idea, kind=Attachment.Kind.PROPOSAL)


def final_proposal_get(*, idea: Idea) -> FinalProposal | None:
    return (
        FinalProposal.objects.filter(idea=idea).select_related("submitted_by").first()
    )
