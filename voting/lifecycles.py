"""The voting app's lifecycles, as data (see ``horserace.common.lifecycles``).

scorecard   draft ──submit──▶ submitted  (submitting again changes the
            scores, not the status; a submitted card never goes back)
"""

from horserace.common.lifecycles import Lifecycle, Lifecycles, Move

from .models import Scorecard, StatusChange

SCORECARD = Lifecycle(
    model=Scorecard,
    events=StatusChange,
    moves=[
        Move("submit", (Scorecard.Status.DRAFT,), Scorecard.Status.SUBMITTED),
    ],
)

LIFECYCLES = Lifecycles(SCORECARD)

#: The one door: perform a move on a locked instance through its table.
move = LIFECYCLES.move
