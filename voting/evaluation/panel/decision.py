"""The panel's discussion and the chair's decision: who may, and the writes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contests.models import Racecourse
from horserace.accounts.models import User
from horserace.common.permissions import can
from horserace.notifications.services import event_send
from ideas import funnel
from ideas.models import Idea, Stage
from voting.evaluation.conflicts.automatic import is_conflicted
from voting.evaluation.events import PanelDecided
from voting.evaluation.scorecards.selectors import has_submitted
from voting.evaluation.scorecards.services import COMMENT_MAX
from voting.screening.selectors.rounds import Refusal

from ...models import PanelComment, PanelDecision
from .cards import racecourse_calibration

# --- The discussion ----------------------------------------------------------------


def manager_of(user, idea: Idea) -> bool:
    """HR, or an admin of the idea's racecourse who may read the idea."""
    if can(user, "contests.manage_season"):
        return True
    return can(user, "contests.manage_racecourse", idea.racecourse) and can(
        user, "ideas.read_content", idea
    )


def comment_refusal(*, user, idea: Idea) -> Refusal | None:
    """Why ``user`` may not add to the project's panel discussion now, or None."""
    if not user.is_authenticated or not user.is_active:
        return Refusal(_("Log in to take part in the discussion."), "login", True)
    if is_conflicted(user=user, idea=idea):
        return Refusal(
            _("You have a conflict of interest with this project."), "conflicted", True
        )
    if not (manager_of(user, idea) or has_submitted(user=user, idea=idea)):
        return Refusal(
            _(
                "The project's evaluators join the discussion once they have "
                "submitted their scorecard; HR and the racecourse's admins too."
            ),
            "not_panel",
            True,
        )
    if (
        PanelDecision.objects.filter(idea_id=idea.pk).exists()
        or idea.stage != Stage.EVALUATION
    ):
        return Refusal(
            _("The discussion is closed: the project is no longer being evaluated."),
            "closed",
        )
    return None


@transaction.atomic
def panel_comment_add(*, actor: User, idea: Idea, body: str) -> PanelComment:
    """Add to the panel's discussion of ``idea`` (never seen by the team)."""
    refusal = comment_refusal(user=actor, idea=idea)
    if refusal is not None:
        if refusal.forbidden:
            raise PermissionDenied(refusal.message)
        raise ValidationError(refusal.message, code=refusal.code)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    if len(body) > COMMENT_MAX:
        raise ValidationError(
            {"body": _("At most %(n)d characters.") % {"n": COMMENT_MAX}}
        )
    return PanelComment.objects.create(idea=idea, author=actor, body=body)


def panel_comments_visible(*, user, idea: Idea) -> list[PanelComment]:
    """The discussion of ``idea``, for those who hold ``voting.see_discussion``."""
    if not can(user, "voting.see_discussion", idea):
        raise PermissionDenied(
            _(
                "You read the panel's discussion once you have submitted your "
                "scorecard (and never with a conflict of interest)."
            )
        )
    return list(PanelComment.objects.filter(idea=idea).select_related("author"))


# --- The decision -------------------------------------------------------------------


def decide_refusal(*, user, idea: Idea) -> Refusal | None:
    """Why ``user`` may not record the panel's decision on ``idea``, or None."""
    if not user.is_authenticated or not user.is_active or not manager_of(user, idea):
        return Refusal(
            _("Only HR or this racecourse's admins record the panel's decisions."),
            "not_manager",
            True,
        )
    if is_conflicted(user=user, idea=idea):
        return Refusal(
            _(
                "You have a conflict of interest with this project: another "
                "admin or HR records the decision."
            ),
            "conflicted",
            True,
        )
    existing = (
        PanelDecision.objects.filter(idea_id=idea.pk)
        .select_related("decided_by")
        .first()
    )
    if existing is not None:
        return Refusal(
            _(
                "The panel has already decided on this project (%(outcome)s, "
                "recorded by %(who)s on %(date)s)."
            )
            % {
                "outcome": existing.get_outcome_display(),
                "who": existing.decided_by,
                "date": date_format(existing.created_at, "DATE_FORMAT"),
            },
            "already_decided",
        )
    if idea.stage != Stage.EVALUATION:
        return Refusal(
            _("Only projects in offline evaluation can be decided."), "wrong_stage"
        )
    return None


@transaction.atomic
def panel_decide(
    *, actor: User, idea: Idea, outcome: str, feedback: str
) -> PanelDecision:
    """Record the chair's decision on ``idea`` and move it on.

    ``outcome`` is ``selected`` (→ realization) or ``eliminated``; the
    feedback is required: the team reads it with its scorecards' comments.
    """
    # The racecourse first, then the idea: the order the assignment services
    # and the funnel (which locks both) use, so no two of them deadlock.
    Racecourse.objects.select_for_update().filter(pk=idea.racecourse_id).first()
    locked = (
        Idea.objects.select_for_update(of=("self",))
        .select_related("racecourse")
        .get(pk=idea.pk)
    )
    refusal = decide_refusal(user=actor, idea=locked)
    if refusal is not None:
        if refusal.forbidden:
            raise PermissionDenied(refusal.message)
        raise ValidationError(refusal.message, code=refusal.code)
    if outcome not in PanelDecision.Outcome.values:
        raise ValidationError(
            {"outcome": _("Choose: selected for realization, or eliminated.")}
        )
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError(
            {
                "feedback": _(
                    "Write feedback for the team: they read it with the decision."
                )
            }
        )
    if len(feedback) > COMMENT_MAX:
        raise ValidationError(
            {"feedback": _("At most %(n)d characters.") % {"n": COMMENT_MAX}}
        )
    calibration = racecourse_calibration(racecourse=locked.racecourse)
    decision = PanelDecision.objects.create(
        idea=locked,
        outcome=outcome,
        feedback=feedback,
        calibrated_score=calibration.quality.get(locked.pk),
        decided_by=actor,
    )
    # The caller's instance goes to the funnel, which updates it in place.
    if outcome == PanelDecision.Outcome.SELECTED:
        funnel.idea_select(idea=idea, actor=actor, reason=feedback)
    else:
        funnel.idea_eliminate(idea=idea, actor=actor, reason=feedback)
    # The funnel's stage-change notice mails the feedback; this one (in the
    # app only) points the team to its scorecards' comments.
    event_send(
        PanelDecided,
        about=decision,
        url=f"{locked.get_absolute_url()}#evaluation",
        decision=decision.pk,
        idea=locked.title,
        outcome=str(PanelDecision.Outcome(outcome).value),
    )
    return decision
