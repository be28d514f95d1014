"""Closing: HR ends a project in realization."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from horserace.accounts.models import User
from ideas import funnel
from ideas.models import Idea
from ideas.services.common import lock_idea, require


@transaction.atomic
def realization_close(*, idea: Idea, actor: User, reason: str) -> Idea:
    """HR ends a project in realization: it leaves the race with a reason.

    The funnel closes its plan (if any) with that reason and cancels the
    tranches not yet released, as it does whenever a project leaves
    realization unrealized, and tells the team.
    """
    idea = lock_idea(idea)
    require(
        actor,
        "ideas.close_realization",
        idea,
        _("Only HR can close a project, and only while it is in realization."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the project is closed.")})
    return funnel.idea_eliminate(idea=idea, actor=actor, reason=reason)
