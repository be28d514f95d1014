"""The ideas app's lifecycles: every status with more than two values, as data.

Each table lists the moves a status may make; ``horserace.common.lifecycles``
``status_move`` is the one door that performs them and writes a
``StatusChange`` row per change. Services lock the row, check who may and
what else must hold, then call ``move``. A test fails if anything else
assigns one of these statuses (``tests/test_lifecycles_one_door.py``).

    invitation      pending ──accept / decline / cancel──▶ accepted / declined / cancelled
    join request    pending ──accept / decline / withdraw─▶ accepted / declined / cancelled
    resource req.   pending ⇄ question (ask / answer); open ──grant / decline / cancel──▶
    trainer         requested ──assign──▶ active ──end──▶ ended;  requested ──decline──▶ declined
    plan            active ──complete / close──▶ completed / closed
    tranche         planned ⇄ in review (submit review / send back); in review ──approve──▶
                    released; planned or in review ──cancel──▶ cancelled
"""

from horserace.common.lifecycles import Lifecycle, Lifecycles, Move

from .models import (
    InvestmentPlan,
    JoinRequest,
    RequestStatus,
    ResourceRequest,
    StatusChange,
    TeamInvitation,
    TrainerAssignment,
    Tranche,
)

_Request = ResourceRequest.Status
_Trainer = TrainerAssignment.Status
_Plan = InvestmentPlan.Status
_Tranche = Tranche.Status

INVITATION = Lifecycle(
    model=TeamInvitation,
    events=StatusChange,
    moves=[
        Move("accept", (RequestStatus.PENDING,), RequestStatus.ACCEPTED),
        Move("decline", (RequestStatus.PENDING,), RequestStatus.DECLINED),
        Move("cancel", (RequestStatus.PENDING,), RequestStatus.CANCELLED),
    ],
)

JOIN_REQUEST = Lifecycle(
    model=JoinRequest,
    events=StatusChange,
    moves=[
        Move("accept", (RequestStatus.PENDING,), RequestStatus.ACCEPTED),
        Move("decline", (RequestStatus.PENDING,), RequestStatus.DECLINED),
        Move("withdraw", (RequestStatus.PENDING,), RequestStatus.CANCELLED),
    ],
)

_OPEN_REQUEST = (_Request.PENDING, _Request.QUESTION)
RESOURCE_REQUEST = Lifecycle(
    model=ResourceRequest,
    events=StatusChange,
    moves=[
        # A second question while the first waits is a move too: it is asked.
        Move("ask", _OPEN_REQUEST, _Request.QUESTION),
        Move("answer", (_Request.QUESTION,), _Request.PENDING),
        Move("grant", _OPEN_REQUEST, _Request.GRANTED),
        Move("decline", _OPEN_REQUEST, _Request.DECLINED),
        Move("cancel", _OPEN_REQUEST, _Request.CANCELLED),
    ],
)

TRAINER_ASSIGNMENT = Lifecycle(
    model=TrainerAssignment,
    events=StatusChange,
    moves=[
        Move("assign", (_Trainer.REQUESTED,), _Trainer.ACTIVE),
        Move("decline", (_Trainer.REQUESTED,), _Trainer.DECLINED),
        Move("end", (_Trainer.ACTIVE,), _Trainer.ENDED),
    ],
)

INVESTMENT_PLAN = Lifecycle(
    model=InvestmentPlan,
    events=StatusChange,
    moves=[
        Move("complete", (_Plan.ACTIVE,), _Plan.COMPLETED),
        Move("close", (_Plan.ACTIVE,), _Plan.CLOSED),
    ],
)

TRANCHE = Lifecycle(
    model=Tranche,
    events=StatusChange,
    moves=[
        Move("submit_review", (_Tranche.PLANNED,), _Tranche.IN_REVIEW),
        Move("send_back", (_Tranche.IN_REVIEW,), _Tranche.PLANNED),
        Move("approve", (_Tranche.IN_REVIEW,), _Tranche.RELEASED),
        # The team cancels a planned tranche; a plan that closes cancels
        # whatever is not released yet, a review waiting for HR included.
        Move("cancel", (_Tranche.PLANNED, _Tranche.IN_REVIEW), _Tranche.CANCELLED),
    ],
)

LIFECYCLES = Lifecycles(
    INVITATION,
    JOIN_REQUEST,
    RESOURCE_REQUEST,
    TRAINER_ASSIGNMENT,
    INVESTMENT_PLAN,
    TRANCHE,
)

#: The one door: perform a move on a locked instance through its table.
move = LIFECYCLES.move
