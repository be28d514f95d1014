"""The voting app's lifecycles, as data (see ``horserace.common.lifecycles``).

scorecard   draft ──submit──▶ submitted  (submitting again changes the
            scores, not the status; a submitted card never goes back)
"""

from django.db import models

from horserace.common.lifecycles import Lifecycle, Move, status_move

from .models import Scorecard, StatusChange

SCORECARD = Lifecycle(
    model=Scorecard,
    events=StatusChange,
    moves=[
        Move("submit", (Scorecard.Status.DRAFT,), Scorecard.Status.SUBMITTED),
    ],
)

LIFECYCLES: dict[type[models.Model], Lifecycle] = {SCORECARD.model: SCORECARD}


def move(
    instance: models.Model,
    name: str,
    *,
    actor=None,
    reason: str = "",
    update_fields=(),
) -> StatusChange:
    """Perform move ``name`` on a locked ``instance`` through its lifecycle."""
    return status_move(
        LIFECYCLES[type(instance)],
        instance,
        name,
        actor=actor,
        reason=reason,
        update_fields=update_fields,
    )
