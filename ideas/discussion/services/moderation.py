"""Reports of comments and what the moderators do with them.

HR and the admins of the idea's racecourse moderate (``ideas.moderate_idea``).
Hiding needs a reason, which is recorded on the comment and sent to its
author; nothing is deleted.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from horserace.accounts.models import User
from horserace.notifications.services import event_send
from ideas.discussion import events
from ideas.discussion.services.helpers import comment_url, field_error
from ideas.models import Comment, CommentReport
from ideas.services.common import require

REASON_MAX = 1000


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", message, "required")
    if len(reason) > REASON_MAX:
        raise field_error(
            "reason",
            _("At most %(max)d characters.") % {"max": REASON_MAX},
            "max_length",
        )
    return reason


@transaction.atomic
def comment_report(*, comment: Comment, actor: User, reason: str) -> CommentReport:
    """``actor`` asks the moderators to look at ``comment``."""
    require(
        actor,
        "ideas.report_comment",
        comment,
        _("You cannot report this comment."),
    )
    reason = _reason(reason, _("Say what is wrong with this comment."))
    if CommentReport.objects.filter(comment=comment, reporter=actor).exists():
        raise field_error(
            "reason", _("You have already reported this comment."), "duplicate"
        )
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(
                comment=comment, reporter=actor, reason=reason
            )
    except IntegrityError:
        raise field_error(
            "reason", _("You have already reported this comment."), "duplicate"
        ) from None
    idea = comment.idea
    event_send(
        events.CommentReported,
        about=comment,
        url=comment_url(comment),
        comment=comment.pk,
        idea=idea.title,
    )
    return report


@transaction.atomic
def comment_hide(*, comment: Comment, actor: User, reason: str) -> Comment:
    """A moderator hides ``comment`` with a reason its author is sent.

    Its open reports are resolved. Hiding a hidden comment again changes nothing.
    """
    comment = (
        Comment.objects.select_for_update().select_related("idea").get(pk=comment.pk)
    )
    if comment.is_hidden:
        return comment
    require(
        actor,
        "ideas.hide_comment",
        comment,
        _("Only HR and the racecourse's admins can hide comments."),
    )
    reason = _reason(reason, _("Say why the comment is hidden: its author is told."))
    now = timezone.now()
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = now, actor, reason
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    comment.reports.filter(resolution=CommentReport.Resolution.OPEN).update(
        resolution=CommentReport.Resolution.HIDDEN, resolved_at=now, resolved_by=actor
    )
    event_send(
        events.CommentHidden,
        about=comment,
        url=comment_url(comment),
        comment=comment.pk,
        idea=comment.idea.title,
        reason=reason,
    )
    return comment


@transaction.atomic
def comment_reports_dismiss(*, comment: Comment, actor: User) -> int:
    """A moderator finds nothing wrong: the comment's open reports are closed."""
    require(
        actor,
        "ideas.moderate_idea",
        comment.idea,
        _("Only HR and the racecourse's admins can moderate comments."),
    )
    return comment.reports.filter(resolution=CommentReport.Resolution.OPEN).update(
        resolution=CommentReport.Resolution.DISMISSED,
        resolved_at=timezone.now(),
        resolved_by=actor,
    )
