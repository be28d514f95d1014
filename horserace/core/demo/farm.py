"""The demo's Innovation Farm: a closed round with results, and an open one.

Round 1 (``company.WINDOWS``) closed two days ago and was applied by
``screening.screening_seed``: its ideas passed (gestation on the farm, ready
to be carried into the season) or were voted down. Round 2 opened when it
closed, as the closing task opens it (``contests.farm.farm_round_open``), for
a month: the idea planted on the farm while no round was open joins it
(``ideas.services.rounds.farm_waiting_join``), three ideas are planted during
it and join at once (rolling entry), and colleagues have started judging.
"""

import datetime as dt

from contests.farm import farm_round_open
from contests.models import Racecourse, StageWindow, WindowStage
from horserace.accounts.models import User
from ideas.models import Idea
from ideas.services.ideas import idea_create
from ideas.services.registration import idea_register
from ideas.services.rounds import farm_waiting_join
from voting.screening.services.tallies import tally_round

from .ideas import IDEAS

#: Planted in round 2: (captain, title, pitch, problem, proposal, appeal).
ROUND_2 = [
    (
        "ren.hao",
        "Spare-seat carpools to the warehouse",
        "Night-shift staff share rides to the warehouses on the city's edge.",
        "The last bus leaves the warehouse district before the night shift ends.",
        "- A rota in the staff app.\n- Fuel paid back per kilometre.",
        0.7,
    ),
    (
        "kong.jia",
        "Gift wrap from returned boxes",
        "Turn returned boxes into free gift wrap kits.",
        "Good boxes come back from returns and are thrown away.",
        "- Sort returned boxes by size.\n- Offer them at checkout for gifts.",
        0.45,
    ),
    (
        "du.xiang",
        "Street-food map for tourists",
        "A map of the night's street-food stalls with prices in five languages.",
        "Tourists cannot find the stalls locals love, or read their menus.",
        "- Stalls post their spot each evening.\n- Menus translated automatically.",
        0.6,
    ),
]


def farm_seed(
    *,
    people: dict[str, User],
    racecourses: dict[str, Racecourse],
    ideas: dict[str, Idea],
    now: dt.datetime,
) -> None:
    from .screening import ScreeningRound  # the same voters and ballots as round 1

    farm = racecourses["farm"]
    round_1 = StageWindow.objects.get(
        racecourse=farm, stage=WindowStage.SCREENING, round=1
    )
    # The closing task runs a minute after round 1's close.
    round_2 = farm_round_open(
        racecourse=farm, when=round_1.closes_at + dt.timedelta(minutes=1)
    )
    if round_2 is None:
        return
    farm_waiting_join(racecourse=farm, when=now)
    planted = []
    for captain, title, pitch, problem, proposal, liked in ROUND_2:
        idea = idea_create(
            author=people[captain],
            racecourse=farm,
            title=title,
            pitch=pitch,
            problem=problem,
            proposal=proposal,
        )
        idea_register(idea=idea, actor=people[captain])
        ideas[title] = idea
        planted.append((idea, float(liked)))
    appeal = {s.title: s.appeal for s in IDEAS}
    joined = [
        (idea, appeal.get(idea.title, 0.5))
        for idea in farm.ideas.filter(stage="screening").exclude(
            pk__in=[i.pk for i, _a in planted]
        )
    ]
    ScreeningRound(round_2, people, now, closed=False).vote(
        joined + planted, skip=people["employee"]
    )
    tally_round(window=round_2, when=now)
