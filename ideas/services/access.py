"""Opening a confidential idea, or unmasking an anonymous team, with a reason.

The only way HR or a racecourse admin reads what ``ideas.visibility`` keeps
from them by default. Each call writes one ``IdeaAccess`` row, the grant and
the record at once, and tells the team.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from horserace.common.permissions import can
from horserace.notifications.services import event_send

from .. import events
from ..models import Idea, IdeaAccess

#: A reason says why in a sentence, not "x".
REASON_MIN_LENGTH = 10

_PERMS: dict[str, str] = {
    IdeaAccess.Kind.OPEN: "ideas.open_idea",
    IdeaAccess.Kind.UNMASK: "ideas.unmask_idea",
}


@transaction.atomic
def idea_access_request(*, idea: Idea, user, kind: str, reason: str) -> IdeaAccess:
    """Open (``kind="open"``) or unmask (``"unmask"``) ``idea`` for ``user``.

    Only HR and the admins of the idea's racecourse may, and only where there
    is something to open (a confidential idea they are not close to) or to
    unmask (an anonymous team). Asking again while a grant is active returns
    that grant and writes nothing. The team is notified on commit.
    """
    if kind not in _PERMS:
        raise ValidationError({"kind": _("Choose “open” or “unmask”.")})
    reason = (reason or "").strip()
    if not (can(user, "ideas.view_idea", idea) and can(user, _PERMS[kind], idea)):
        raise PermissionDenied(
            _("Only HR and this racecourse's admins may open or unmask this idea.")
            if kind == IdeaAccess.Kind.OPEN or idea.anonymous
            else _("This idea's team is not anonymous: there is nothing to unmask.")
        )
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": _(
                    "Say why you need it, in a sentence (at least %(n)d characters)."
                )
                % {"n": REASON_MIN_LENGTH}
            }
        )
    now = timezone.now()
    active = IdeaAccess.objects.active(now=now).filter(idea=idea, user=user, kind=kind)
    existing = active.first()
    if existing is not None:
        return existing
    access = IdeaAccess.objects.create(
        idea=idea,
        user=user,
        kind=kind,
        reason=reason,
        created_at=now,
        expires_at=now + IdeaAccess.LIFETIME,
    )
    event_send(
        events.IdeaOpened if kind == IdeaAccess.Kind.OPEN else events.TeamUnmasked,
        about=access,
        url=f"{idea.get_absolute_url()}#access-log",
        access=access.pk,
        who=str(user),
        idea=idea.title,
        reason=reason,
    )
    return access
