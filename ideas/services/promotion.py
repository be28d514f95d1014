"""Promotion: a department racecourse's best ideas move up to its parent.

A promoted idea stays the same row, so it keeps its registration, team,
stage history and ballots; only its racecourse changes, and ``promoted_from``
records where it won. The stage is not touched here: the closing of the
department's screening window decides whether the idea is judged again on
the parent racecourse or goes straight on (see ``voting.screening.closers``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from contests.models import Racecourse
from horserace.accounts.models import User
from horserace.common.permissions import can
from horserace.notifications.services import event_send
from ideas.events import IdeaPromoted
from ideas.models import Idea, Stage


def _promotion_marker(idea: Idea, to_racecourse: Racecourse) -> str:
    """The notification URL, unique per idea and destination."""
    return f"{idea.get_absolute_url()}#promoted-{to_racecourse.pk}"


@transaction.atomic
def idea_promote(
    *, idea: Idea, to_racecourse: Racecourse, actor: User | None = None, reason: str
) -> Idea:
    """Move ``idea`` from its department racecourse up to ``to_racecourse``.

    ``to_racecourse`` must be the parent of the idea's racecourse, and the
    idea must be in online screening. Locks the idea's row; an idea already on
    ``to_racecourse`` is returned unchanged, so a retried close is harmless.
    ``actor`` is ``None`` when the closing task promotes; a person must be HR
    or an admin of the department racecourse.

    The change is saved with ``save()`` (not ``update()``) so the idea's
    history records it with ``reason``; the team is told in the app and by
    e-mail.
    """
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if locked.racecourse_id == to_racecourse.pk:
        return locked
    source = Racecourse.objects.get(pk=locked.racecourse_id)
    if actor is not None and not can(actor, "contests.manage_racecourse", source):
        raise PermissionDenied(
            _("Only HR or this racecourse's admins may promote its ideas.")
        )
    if source.parent_id != to_racecourse.pk:
        raise ValidationError(
            _("%(racecourse)s does not feed into %(parent)s.")
            % {"racecourse": source, "parent": to_racecourse},
            code="not_parent",
        )
    if locked.stage != Stage.SCREENING:
        raise ValidationError(
            _("Only ideas in online screening can be promoted."), code="wrong_stage"
        )

    locked.racecourse = to_racecourse
    locked.promoted_from = source
    # The history's reason column holds 100 characters; the team's
    # notification carries the whole reason.
    locked._change_reason = Truncator(reason).chars(100)
    if actor is not None:
        locked._history_user = actor
    locked.save(update_fields=["racecourse", "promoted_from", "updated_at"])
    idea.racecourse, idea.promoted_from = to_racecourse, source

    event_send(
        IdeaPromoted,
        about=locked,
        url=_promotion_marker(locked, to_racecourse),
        idea_id=locked.pk,
        racecourse_id=to_racecourse.pk,
        idea=locked.title,
        racecourse=to_racecourse.name,
        reason=reason,
    )
    return locked
