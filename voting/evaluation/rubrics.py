"""A racecourse's scoring rubric: its criteria, their scales and weights.

HR and the racecourse's admins (``contests.manage_racecourse``) write the
rubric. Once a submitted scorecard uses a criterion, its scale and weight are
frozen (changing them would silently re-weigh cards already handed in), it
cannot be removed, and no criterion can be added while submitted cards exist
(they would miss it). Names, guidance and order may always change. Draft
scores follow the rubric: a value outside a new scale is dropped, and a
removed criterion takes its draft scores with it.

Every write locks the rubric's row, as ``scorecard_submit`` does, so a scale
cannot change under a card being submitted.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from contests.models import Criterion, Racecourse, Rubric
from horserace.accounts.models import User
from horserace.common.permissions import can
from voting.models import Score, Scorecard

#: The widest scale a criterion may have (0–100 is a percentage).
SCALE_LIMIT = 100
WEIGHT_MAX = Decimal("999.99")
NAME_MAX = 120
GUIDANCE_MAX = 4000


def _require_manage(actor: User | None, racecourse: Racecourse) -> None:
    if actor is None or not can(actor, "contests.manage_racecourse", racecourse):
        raise PermissionDenied(
            _("Only HR or this racecourse's admins may change its rubric.")
        )


def _lock_rubric(rubric: Rubric) -> Rubric:
    return (
        Rubric.objects.select_for_update(of=("self",))
        .select_related("racecourse")
        .get(pk=rubric.pk)
    )


def _submitted_scores(criterion: Criterion):

    return Score.objects.filter(
        criterion=criterion, scorecard__status=Scorecard.Status.SUBMITTED
    )


def rubric_has_submissions(*, rubric: Rubric) -> bool:
    """Has any evaluator submitted a scorecard on the rubric's racecourse?"""

    return Scorecard.objects.filter(
        assignment__idea__racecourse_id=rubric.racecourse_id,
        status=Scorecard.Status.SUBMITTED,
    ).exists()


def criteria_in_use(*, rubric: Rubric) -> set[int]:
    """Ids of the rubric's criteria that a submitted score uses (frozen)."""

    return set(
        Score.objects.filter(
            criterion__rubric=rubric, scorecard__status=Scorecard.Status.SUBMITTED
        )
        .values_list("criterion_id", flat=True)
        .distinct()
    )


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the criterion a name.")})
    if len(name) > NAME_MAX:
        raise ValidationError(
            {"name": _("At most %(n)d characters.") % {"n": NAME_MAX}}
        )
    return name


def _clean_scale(scale_min, scale_max) -> tuple[int, int]:
    try:
        low, high = int(scale_min), int(scale_max)
    except (TypeError, ValueError):
        raise ValidationError(
            {"scale_max": _("The scale's ends must be whole numbers.")}
        ) from None
    if low < 0 or high > SCALE_LIMIT:
        raise ValidationError(
            {
                "scale_max": _("A scale runs between 0 and %(limit)d.")
                % {"limit": SCALE_LIMIT}
            }
        )
    if high <= low:
        raise ValidationError(
            {"scale_max": _("The highest score must be above the lowest.")}
        )
    return low, high


def _clean_weight(weight) -> Decimal:
    try:
        value = Decimal(str(weight)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"weight": _("The weight must be a number.")}) from None
    if value <= 0 or value > WEIGHT_MAX:
        raise ValidationError(
            {
                "weight": _("The weight must be above 0 and at most %(max)s.")
                % {"max": WEIGHT_MAX}
            }
        )
    return value


@transaction.atomic
def rubric_save(
    *, actor: User, racecourse: Racecourse, title: str, instructions: str = ""
) -> Rubric:
    """Create the racecourse's rubric, or change its title and instructions."""
    _require_manage(actor, racecourse)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the rubric a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("At most %(n)d characters.") % {"n": 200}})
    # The racecourse row serialises two first saves (one rubric per racecourse).
    Racecourse.objects.select_for_update().filter(pk=racecourse.pk).first()
    rubric, _created = Rubric.objects.update_or_create(
        racecourse=racecourse,
        defaults={"title": title, "instructions": (instructions or "").strip()},
    )
    return rubric


@transaction.atomic
def criterion_add(
    *,
    actor: User,
    rubric: Rubric,
    name: str,
    guidance: str = "",
    scale_min: int = 1,
    scale_max: int = 5,
    weight: Decimal | int | str = 1,
) -> Criterion:
    """Add a criterion at the end of the rubric.

    Refused once a scorecard on the racecourse is submitted: that card would
    have no score for the new criterion.
    """
    _require_manage(actor, rubric.racecourse)
    rubric = _lock_rubric(rubric)
    name = _clean_name(name)
    low, high = _clean_scale(scale_min, scale_max)
    weight = _clean_weight(weight)
    if rubric_has_submissions(rubric=rubric):
        raise ValidationError(
            _(
                "Scorecards have been submitted with this rubric: a new criterion "
                "would be missing from them. Add criteria before evaluators submit."
            ),
            code="rubric_in_use",
        )
    last = rubric.criteria.aggregate(m=Max("position"))["m"]
    return Criterion.objects.create(
        rubric=rubric,
        name=name,
        guidance=(guidance or "").strip()[:GUIDANCE_MAX],
        scale_min=low,
        scale_max=high,
        weight=weight,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def criterion_update(
    *,
    actor: User,
    criterion: Criterion,
    name: str | None = None,
    guidance: str | None = None,
    scale_min: int | None = None,
    scale_max: int | None = None,
    weight: Decimal | int | str | None = None,
) -> Criterion:
    """Change a criterion; arguments left ``None`` keep their value.

    The scale and the weight are refused once a submitted score uses the
    criterion. Draft scores outside a new scale are dropped.
    """
    rubric = criterion.rubric
    _require_manage(actor, rubric.racecourse)
    _lock_rubric(rubric)
    criterion = Criterion.objects.get(pk=criterion.pk)
    low, high = _clean_scale(
        criterion.scale_min if scale_min is None else scale_min,
        criterion.scale_max if scale_max is None else scale_max,
    )
    new_weight = criterion.weight if weight is None else _clean_weight(weight)
    changes_numbers = (
        low != criterion.scale_min
        or high != criterion.scale_max
        or new_weight != criterion.weight
    )
    if changes_numbers and _submitted_scores(criterion).exists():
        raise ValidationError(
            _(
                "“%(name)s” is already scored on submitted scorecards: its scale "
                "and weight can no longer change."
            )
            % {"name": criterion.name},
            code="criterion_in_use",
        )
    if name is not None:
        criterion.name = _clean_name(name)
    if guidance is not None:
        criterion.guidance = guidance.strip()[:GUIDANCE_MAX]
    criterion.scale_min, criterion.scale_max, criterion.weight = low, high, new_weight
    criterion.save()
    if changes_numbers:
        Score.objects.filter(criterion=criterion).exclude(
            value__gte=low, value__lte=high
        ).delete()
    return criterion


@transaction.atomic
def criterion_remove(*, actor: User, criterion: Criterion) -> None:
    """Remove a criterion no submitted score uses; its draft scores go with it."""

    rubric = criterion.rubric
    _require_manage(actor, rubric.racecourse)
    _lock_rubric(rubric)
    if _submitted_scores(criterion).exists():
        raise ValidationError(
            _("“%(name)s” is scored on submitted scorecards and cannot be removed.")
            % {"name": criterion.name},
            code="criterion_in_use",
        )
    Score.objects.filter(criterion=criterion).delete()
    criterion.delete()


@transaction.atomic
def criteria_reorder(
    *, actor: User, rubric: Rubric, order: list[int]
) -> list[Criterion]:
    """Put the criteria in the order of ``order`` (every criterion id once)."""
    _require_manage(actor, rubric.racecourse)
    rubric = _lock_rubric(rubric)
    criteria = {c.pk: c for c in rubric.criteria.all()}
    if len(order) != len(set(order)) or set(order) != set(criteria):
        raise ValidationError(
            {"order": _("List every criterion of this rubric exactly once.")}
        )
    for position, pk in enumerate(order):
        criteria[pk].position = position
    Criterion.objects.bulk_update(criteria.values(), ["position"])
    return [criteria[pk] for pk in order]


@transaction.atomic
def criterion_move(*, actor: User, criterion: Criterion, step: int) -> list[Criterion]:
    """Move a criterion one place up (``step=-1``) or down (``+1``)."""
    _require_manage(actor, criterion.rubric.racecourse)
    _lock_rubric(criterion.rubric)
    ids = list(criterion.rubric.criteria.values_list("pk", flat=True))
    at = ids.index(criterion.pk)
    to = min(max(at + step, 0), len(ids) - 1)
    ids.insert(to, ids.pop(at))
    return criteria_reorder(actor=actor, rubric=criterion.rubric, order=ids)
