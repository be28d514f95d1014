"""Gestation on the main racecourse: what each shortlisted team did with its time.

Every project that reached gestation has a story: the resources its captain
asked for and what became of each request, its trainer and the sessions
logged, its milestones and progress updates, and, for the projects that have
moved on, the final proposal that took them to offline evaluation. All of it
is written through ``ideas.services`` (as the workspace, the grant queue and
the trainer's page would), so budgets, capacities and windows are checked as
they would be for real.

The projects still in gestation show every state a request can be in:
granted (in full or in part), waiting, waiting for the team's answer to a
question, answered and back in the queue, and declined. mentor@ coaches two
of them (one is the demo employee's team); a third asks for a trainer.
"""

import datetime as dt

from contests.models import Resource, Trainer
from horserace.accounts.models import User
from ideas.models import Idea
from ideas.services import trainers as trainer_services
from ideas.services.gestation.progress import (
    milestone_create,
    milestone_set_done,
    progress_update_post,
)
from ideas.services.gestation.proposal import final_proposal_submit
from ideas.services.gestation.resources import (
    resource_request_answer,
    resource_request_ask,
    resource_request_create,
    resource_request_decline,
    resource_request_grant,
)

from .gestation_stories import PROPOSAL, STORIES, Ask
from .ideas import IdeaSpec

#: Requests are decided (``Ask.decider``) by the main racecourse's admin Zhou
#: Min (also in HR), by Zhao Lei who co-runs it, or by HR; Zhou Min assigns
#: the trainers.


def gestation_seed(
    *,
    specs: list[IdeaSpec],
    people: dict[str, User],
    ideas: dict[str, Idea],
    resources: dict[str, Resource],
    trainers: dict[str, Trainer],
    today: dt.date,
) -> None:
    """Each spec's gestation story; those past gestation hand in their proposal.

    Projects that moved on go first: their trainers' assignments end with the
    proposal, which frees the seats for the teams still in gestation.
    """
    for spec in specs:
        idea = ideas[spec.title]
        story = STORIES[spec.title]
        captain = people[spec.captain]
        _trainer(idea, story, captain, people, trainers, today)
        for ask in story.asks:
            _ask(idea, ask, captain, people, resources[ask.resource])
        _progress(idea, story, captain, people, today)
        if spec.stage == "gestation":
            continue
        # Handing in the proposal also ends the coaching (the funnel frees
        # the trainer's seat when the idea leaves gestation).
        final_proposal_submit(
            idea=idea,
            actor=captain,
            summary=story.summary,
            document=PROPOSAL.format(
                problem=spec.problem, proposal=spec.proposal, learned=story.learned
            ),
        )


def _trainer(idea, story, captain, people, trainers, today):
    assignment = None
    if story.asked_for_trainer is not None:
        trainer_services.trainer_request(
            idea=idea,
            actor=captain,
            message=story.trainer_message,
            trainer=trainers.get(story.asked_for_trainer),
        )
    if story.trainer:
        assignment = trainer_services.trainer_assign(
            idea=idea, actor=people["zhou.min"], trainer=trainers[story.trainer]
        )
    for days_ago, minutes, topic, notes in story.sessions:
        trainer_services.trainer_session_log(
            assignment=assignment,
            actor=people[story.trainer],
            held_on=today - dt.timedelta(days=days_ago),
            topic=topic,
            notes=notes,
            duration_minutes=minutes,
        )
    return assignment


def _ask(idea, ask: Ask, captain, people, resource) -> None:
    request = resource_request_create(
        idea=idea,
        actor=captain,
        resource=resource,
        amount=ask.amount,
        justification=ask.why,
    )
    decider = people[ask.decider]
    if ask.decision is None:
        return
    what, *details = ask.decision
    if what == "grant":
        amount, note = details
        resource_request_grant(request=request, actor=decider, amount=amount, note=note)
    elif what == "decline":
        resource_request_decline(request=request, actor=decider, reason=details[0])
    elif what == "ask":
        question, answer = details
        resource_request_ask(request=request, actor=decider, question=question)
        if answer:
            resource_request_answer(request=request, actor=captain, answer=answer)
    else:  # pragma: no cover - a typo in the data above
        raise ValueError(what)


def _progress(idea, story, captain, people, today) -> None:
    milestones = [
        milestone_create(
            idea=idea,
            actor=captain,
            title=title,
            due_on=today + dt.timedelta(days=due),
        )
        for title, due, _done in story.milestones
    ]
    reported = set()
    for author, body, index in story.updates:
        milestone = milestones[index] if index is not None else None
        done = index is not None and story.milestones[index][2]
        progress_update_post(
            idea=idea,
            actor=people[author],
            body=body,
            milestone=milestone,
            milestone_done=done,
        )
        if done:
            reported.add(index)
    # Milestones done without an update of their own.
    for index, (_title, _due, done) in enumerate(story.milestones):
        if done and index not in reported:
            milestone_set_done(milestone=milestones[index], actor=captain)
