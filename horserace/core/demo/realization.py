"""Realization: what became of the selected projects, and the money behind them.

Through ``ideas.realization.services``, as the realization pages would:
outcomes (a department adopts the project, with an owner), time allocations
that the member's manager approves (or has not yet), and investment plans in
three tranches, each released when HR approves the team's milestone review.
The projects still in realization have their first tranche released and the
second's review waiting for HR; the realized ones had every tranche
released, which is what realized them.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from horserace.accounts.models import Department, User
from ideas.models import Idea
from ideas.realization.services.allocations import (
    time_allocation_approve,
    time_allocation_propose,
)
from ideas.realization.services.outcomes import outcome_record
from ideas.realization.services.plan import investment_plan_create
from ideas.realization.services.reviews import tranche_approve, tranche_review_submit

from .ideas import IdeaSpec


@dataclass(frozen=True)
class Plan:
    #: (department code, owner key) of the adopting department, if any.
    adopted_by: tuple[str, str] | None
    #: (member key, share %, approved by their manager yet)
    time: tuple[tuple[str, int, bool], ...]
    #: (amount in yuan, milestone, due in days from now, the team's review)
    tranches: tuple[tuple[int, str, int, str], ...]
    #: Of the tranches, how many are released, and whether the next one's
    #: review waits for HR.
    released: int
    in_review: bool = False


PLANS = {
    "Returnable parcel boxes": Plan(
        adopted_by=("logistics-last-mile", "wei.dong"),
        time=(("wei.dong", 100, True), ("ren.hao", 50, True)),
        tranches=(
            (200_000, "Pilot in three cities", -60, "Hangzhou, Ningbo and Suzhou run."),
            (300_000, "Ten cities", -25, "Ten cities; boxes reused 28 times."),
            (500_000, "Forty cities", -2, "Forty cities and 18 million reuses."),
        ),
        released=3,
    ),
    "Seller copilot for customer service": Plan(
        adopted_by=("taobao-sellers", "ma.lin"),
        time=(("jiang.yu", 100, True),),
        tranches=(
            (300_000, "5,000 sellers", -50, "5,400 sellers use it every day."),
            (400_000, "50,000 sellers", -20, "52,000 sellers; 61% sent unedited."),
            (300_000, "Self-service sign-up", -1, "Sign-up is open to every seller."),
        ),
        released=3,
    ),
    "Village livestream studios": Plan(
        adopted_by=("taobao-live", "amy.zhang"),
        time=(("amy.zhang", 100, True), ("he.jing", 20, False)),
        tranches=(
            (150_000, "Kits in twenty villages", -20, "Twenty villages streaming."),
            (250_000, "Sixty villages streaming weekly", 20, "Sixty villages stream "
             "at least four evenings a week; sales ¥1.2 million a month."),
            (400_000, "Two hundred villages", 120, ""),
        ),
        released=1,
        in_review=True,
    ),
    "Instant refunds for trusted buyers": Plan(
        adopted_by=None,
        time=(("zheng.kai", 50, True), ("olivia.song", 30, False)),
        tranches=(
            (500_000, "Guarantee fund set up", -15, "The fund holds ¥500,000."),
            (1_000_000, "Live for 1% of buyers", 30, "Live for 1% of buyers for a "
             "month: 0.2% abuse, refunds paid in 40 seconds on average."),
            (1_500_000, "Live for the top trust tier", 90, ""),
        ),
        released=1,
        in_review=True,
    ),
}  # fmt: skip


def realization_seed(
    *,
    specs: list[IdeaSpec],
    people: dict[str, User],
    ideas: dict[str, Idea],
    today: dt.date,
) -> None:
    hr = people["hr"]
    departments = {d.code: d for d in Department.objects.all()}
    for spec in specs:
        idea = ideas[spec.title]
        plan = PLANS[spec.title]
        captain = people[spec.captain]
        if plan.adopted_by:
            code, owner = plan.adopted_by
            outcome_record(
                idea=idea,
                actor=hr,
                kind="adopted",
                department=departments[code],
                owner=people[owner],
                notes=spec.outcome,
            )
        for key, share, approved in plan.time:
            member = people[key]
            allocation = time_allocation_propose(
                idea=idea, actor=captain, member=member, share=share
            )
            if approved:
                assert member.manager is not None  # whose manager approves
                time_allocation_approve(
                    allocation=allocation,
                    actor=member.manager,
                    note="Agreed; your other work moves to the team.",
                )
        investment = investment_plan_create(
            idea=idea,
            actor=hr,
            tranches=[
                {
                    "amount": Decimal(amount),
                    "milestone": milestone,
                    "due_on": today + dt.timedelta(days=due),
                }
                for amount, milestone, due, _review in plan.tranches
            ],
        )
        tranches = list(investment.tranches.order_by("position"))
        reviews = [review for *_rest, review in plan.tranches]
        for number, tranche in enumerate(tranches):
            if number >= plan.released + plan.in_review:
                break
            tranche_review_submit(
                tranche=tranche, actor=captain, review=reviews[number]
            )
            if number < plan.released:
                tranche_approve(
                    tranche=tranche, actor=hr, note="Milestone reached: released."
                )
