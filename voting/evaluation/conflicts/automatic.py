"""Who may not judge a project: the one definition of a conflict of interest.

An evaluator is conflicted with a project (an idea of racecourse R) when

* TEAM: they are on its team (a member, or its author);
* MANAGER: they are in the management chain of anyone on the team, up to
  ``R.conflict_manager_depth`` levels (1: the direct manager, 2: also the
  manager's manager, …; 0 turns this off);
* TRAINER: they coach or coached the team (a trainer assignment that is
  active or ended; a request that never became one does not count);
* ENTRANT: they are on the team of another idea of R still in the race
  (``ENTRANT_STAGES``): they compete with the project;
* DEPARTMENT: R asks for it (``conflict_same_department``) and they are in
  the captain's department (the captain: the team's captain, or the author
  when the team has none);
* or a declared ``Conflict`` row names them (``declared``).

``is_conflicted`` answers for one person and one project in one query;
``conflict_map`` answers for many projects at once in a fixed number of
queries (the solver, the assignment page, the panel). Both follow this
definition; the property test in ``tests/voting/test_evaluation_conflicts_orgchart.py``
checks them against it on generated org charts.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from contests.models import Racecourse
from horserace.accounts.models import User
from ideas.models import Idea, Stage, TeamMembership, TrainerAssignment

from ...models import Conflict

#: Stages in which conflicts are declared and withdrawn: before the panel
#: is formed (gestation) and while it works (evaluation).
CONFLICT_STAGES = (Stage.GESTATION, Stage.EVALUATION)
#: An idea in one of these stages is still in the race: its team competes
#: with the racecourse's other projects.
ENTRANT_STAGES = (
    Stage.REGISTERED,
    Stage.SCREENING,
    Stage.GESTATION,
    Stage.EVALUATION,
    Stage.REALIZATION,
)
#: A trainer assignment in one of these states made its trainer the team's.
TRAINER_STATES = (TrainerAssignment.Status.ACTIVE, TrainerAssignment.Status.ENDED)
AUTOMATIC_KINDS = (
    Conflict.Kind.TEAM,
    Conflict.Kind.MANAGER,
    Conflict.Kind.TRAINER,
    Conflict.Kind.ENTRANT,
    Conflict.Kind.DEPARTMENT,
)
#: Kinds computed only for the racecourse's pool by ``conflict_map`` (they
#: name many people, and only pool members could judge anyway).
POOL_ONLY_KINDS = (Conflict.Kind.ENTRANT, Conflict.Kind.DEPARTMENT)
DECLARED_KINDS = [
    (value, label)
    for value, label in Conflict.Kind.choices
    if value not in AUTOMATIC_KINDS
]
AUTOMATIC = "automatic"


@dataclass(frozen=True)
class ConflictInfo:
    evaluator_id: int
    kind: str
    source: str  # "automatic" or a Conflict.Source value
    note: str = ""
    idea_id: int | None = None
    conflict: Conflict | None = None  # the row, for declared conflicts

    @property
    def kind_label(self) -> str:
        return str(Conflict.Kind(self.kind).label)

    @property
    def is_automatic(self) -> bool:
        return self.source == AUTOMATIC


def _pools(racecourse_ids) -> dict[int, set[int]]:
    pool: dict[int, set[int]] = {rc: set() for rc in racecourse_ids}
    for rc, user_id in Racecourse.evaluators.through.objects.filter(
        racecourse_id__in=racecourse_ids
    ).values_list("racecourse_id", "user_id"):
        pool[rc].add(user_id)
    return pool


def _teams(ideas: list[Idea], manager_of: dict[int, int | None]):
    """idea id → its team's user ids (members and author); idea id → captain id.

    Fills ``manager_of`` with the members' managers on the way.
    """
    teams = {idea.pk: {idea.author_id} for idea in ideas}
    captains = {idea.pk: idea.author_id for idea in ideas}
    for idea_id, user_id, role, manager_id in TeamMembership.objects.filter(
        idea_id__in=list(teams)
    ).values_list("idea_id", "user_id", "role", "user__manager_id"):
        teams[idea_id].add(user_id)
        manager_of[user_id] = manager_id
        if role == TeamMembership.Role.CAPTAIN:
            captains[idea_id] = user_id
    return teams, captains


def _chains(
    people: set[int], depth: int, manager_of: dict[int, int | None]
) -> dict[int, list[int]]:
    """user id → their managers up to ``depth`` levels, nearest first.

    At most one query per level, however many people (``manager_of`` holds
    what is known already). A cycle in the data (A manages B manages A) stops
    the walk instead of looping.
    """
    chains: dict[int, list[int]] = {p: [] for p in people}
    frontier = set(people)
    for _level in range(depth):
        unknown = frontier - manager_of.keys()
        if unknown:
            manager_of.update(
                User.objects.filter(pk__in=unknown).values_list("pk", "manager_id")
            )
        frontier = set()
        for person, chain in chains.items():
            last = chain[-1] if chain else person
            boss = manager_of.get(last)
            if boss is not None and boss != person and boss not in chain:
                chain.append(boss)
                frontier.add(boss)
        if not frontier:
            break
    return chains


def _automatic(ideas: list[Idea], *, pool_only: bool) -> list[tuple[int, int, str]]:
    """``(idea id, user id, kind)`` for every automatic conflict, in few queries.

    With ``pool_only`` every kind names only evaluators of the project's pool;
    without, team, manager and trainer conflicts name everyone and the
    ``POOL_ONLY_KINDS`` the pool. ``ideas`` should have ``racecourse`` loaded.
    Queries: the pools, the teams, one per management level, the trainers,
    the entrants, and the captains' departments when a racecourse asks.
    """
    if not ideas:
        return []
    racecourses = {idea.racecourse_id: idea.racecourse for idea in ideas}
    pool = _pools(racecourses)
    manager_of: dict[int, int | None] = {}
    teams, captains = _teams(ideas, manager_of)
    found: list[tuple[int, int, str]] = []
    for idea_id, team in teams.items():
        found.extend((idea_id, user_id, Conflict.Kind.TEAM) for user_id in team)

    depth = max(rc.conflict_manager_depth for rc in racecourses.values())
    everyone = set().union(*teams.values())
    chains = _chains(everyone, depth, manager_of) if depth else {}
    for idea in ideas:
        limit = idea.racecourse.conflict_manager_depth
        bosses = {b for p in teams[idea.pk] for b in chains.get(p, [])[:limit]}
        found.extend((idea.pk, boss, Conflict.Kind.MANAGER) for boss in bosses)

    for idea_id, user_id in (
        TrainerAssignment.objects.filter(
            idea_id__in=list(teams), status__in=TRAINER_STATES, trainer__isnull=False
        )
        .values_list("idea_id", "trainer__user_id")
        .distinct()
    ):
        found.append((idea_id, user_id, Conflict.Kind.TRAINER))

    entrants: dict[int, set[int]] = {rc: set() for rc in racecourses}
    for rc, user_id in (
        TeamMembership.objects.filter(
            idea__racecourse_id__in=list(racecourses),
            idea__stage__in=ENTRANT_STAGES,
            user_id__in=set().union(*pool.values()),
        )
        .values_list("idea__racecourse_id", "user_id")
        .distinct()
    ):
        entrants[rc].add(user_id)
    for idea in ideas:
        found.extend(
            (idea.pk, user_id, Conflict.Kind.ENTRANT)
            for user_id in entrants[idea.racecourse_id] - teams[idea.pk]
        )

    flagged = [idea for idea in ideas if idea.racecourse.conflict_same_department]
    if flagged:
        wanted = {captains[idea.pk] for idea in flagged} | set().union(
            *(pool[idea.racecourse_id] for idea in flagged)
        )
        department = dict(
            User.objects.filter(pk__in=wanted).values_list("pk", "department_id")
        )
        for idea in flagged:
            captain = captains[idea.pk]
            dept = department.get(captain)
            if dept is None:
                continue
            found.extend(
                (idea.pk, user_id, Conflict.Kind.DEPARTMENT)
                for user_id in pool[idea.racecourse_id]
                if user_id != captain and department.get(user_id) == dept
            )

    if pool_only:
        racecourse_of = {idea.pk: idea.racecourse_id for idea in ideas}
        found = [f for f in found if f[1] in pool[racecourse_of[f[0]]]]
    return found


def _conflict_q(*, user, idea: Idea) -> Q:
    """The definition as one condition on ``Idea`` rows, for ``user``."""
    racecourse = idea.racecourse
    people = TeamMembership.objects.filter(idea=OuterRef("pk"))
    on_team = Q(author_id=user.pk) | Q(Exists(people.filter(user_id=user.pk)))
    condition = on_team
    depth = racecourse.conflict_manager_depth
    if depth:
        # ``user`` manages someone on the team within ``depth`` levels.
        def below(prefix: str) -> Q:
            q = Q()
            for level in range(1, depth + 1):
                q |= Q(**{prefix + "__".join(["manager"] * level): user.pk})
            return q

        condition |= Q(Exists(people.filter(below("user__")))) | below("author__")
    trainer = TrainerAssignment.objects.filter(
        idea=OuterRef("pk"), status__in=TRAINER_STATES, trainer__user_id=user.pk
    )
    entrant = TeamMembership.objects.filter(
        user_id=user.pk,
        idea__racecourse_id=racecourse.pk,
        idea__stage__in=ENTRANT_STAGES,
    )
    declared = Conflict.objects.filter(idea=OuterRef("pk"), evaluator_id=user.pk)
    condition |= Q(Exists(trainer)) | Q(Exists(entrant)) | Q(Exists(declared))
    if racecourse.conflict_same_department and user.department_id is not None:
        captains = TeamMembership.objects.filter(
            idea=OuterRef("pk"), role=TeamMembership.Role.CAPTAIN
        )
        same = captains.filter(user__department_id=user.department_id).exclude(
            user_id=user.pk
        )
        author_same = Q(author__department_id=user.department_id) & ~Q(
            author_id=user.pk
        )
        condition |= Q(Exists(same)) | (~Q(Exists(captains)) & author_same)
    return condition


def is_conflicted(*, user, idea: Idea) -> bool:
    """Whether ``user`` may not judge ``idea`` (in or out of the pool).

    Every kind of the module's definition, for anyone, in one query; the
    visibility rules and the per-request checks call it.
    """
    if not getattr(user, "is_authenticated", False) or idea is None or not idea.pk:
        return False
    return (
        Idea.objects.filter(pk=idea.pk)
        .filter(_conflict_q(user=user, idea=idea))
        .exists()
    )


def conflicted_idea_ids(*, user, ideas: Iterable[Idea]) -> set[int]:
    """Ids of ``ideas`` that ``user`` is conflicted with (``is_conflicted`` in
    batch): one query per racecourse among them."""
    if not getattr(user, "is_authenticated", False):
        return set()
    by_racecourse: dict[int, list[Idea]] = {}
    for idea in ideas:
        by_racecourse.setdefault(idea.racecourse_id, []).append(idea)
    found: set[int] = set()
    for group in by_racecourse.values():
        found.update(
            Idea.objects.filter(pk__in=[i.pk for i in group])
            .filter(_conflict_q(user=user, idea=group[0]))
            .values_list("pk", flat=True)
        )
    return found


def conflicts_for_idea(*, idea: Idea) -> list[ConflictInfo]:
    """Every conflict on ``idea``, automatic first, one entry per cause."""
    found = [
        ConflictInfo(user_id, kind, AUTOMATIC, idea_id=idea.pk)
        for _idea_id, user_id, kind in _automatic([idea], pool_only=False)
    ]
    for row in Conflict.objects.filter(idea=idea).select_related("evaluator"):
        found.append(
            ConflictInfo(row.evaluator_id, row.kind, row.source, row.note, idea.pk, row)
        )
    return found


def conflicted_evaluator_ids(*, idea: Idea) -> set[int]:
    """The ids of everyone who may not judge ``idea`` (entrants and same
    department: of the pool)."""
    return conflict_map(ideas=[idea])[idea.pk]


def conflict_map(*, ideas: Iterable[Idea]) -> dict[int, set[int]]:
    """idea id → conflicted evaluator ids, for many ideas in a few queries.

    The assignment solver, the assignment page and the panel use this instead
    of asking per idea. ``ideas`` should have ``racecourse`` loaded. Entrant
    and department conflicts are computed for the racecourse's pool; the
    others for everyone.
    """
    ideas = list(ideas)
    result: dict[int, set[int]] = {idea.pk: set() for idea in ideas}
    for idea_id, user_id, _kind in _automatic(ideas, pool_only=False):
        result[idea_id].add(user_id)
    for idea_id, evaluator_id in Conflict.objects.filter(
        idea_id__in=list(result)
    ).values_list("idea_id", "evaluator_id"):
        result[idea_id].add(evaluator_id)
    return result


def conflicts_for_ideas(*, ideas: Iterable[Idea]) -> list[ConflictInfo]:
    """Every conflict of the pools with these projects, ordered by project.

    Automatic conflicts are listed for evaluators of the project's pool;
    declared ones for everyone named (with the row, for withdrawing). Ideas
    should have ``racecourse`` loaded. A constant number of queries.
    """
    ideas = list(ideas)
    found = [
        ConflictInfo(user_id, kind, AUTOMATIC, idea_id=idea_id)
        for idea_id, user_id, kind in _automatic(ideas, pool_only=True)
    ]
    for row in conflict_list(ideas=ideas):
        found.append(
            ConflictInfo(
                row.evaluator_id, row.kind, row.source, row.note, row.idea_id, row
            )
        )
    found.sort(key=lambda c: (c.idea_id, c.evaluator_id, not c.is_automatic))
    return found


def racecourse_conflicts(*, racecourse: Racecourse) -> list[ConflictInfo]:
    """Conflicts on the racecourse's projects in gestation or evaluation."""
    ideas = Idea.objects.filter(
        racecourse=racecourse, stage__in=CONFLICT_STAGES
    ).select_related("racecourse")
    return conflicts_for_ideas(ideas=ideas)


def conflict_list(
    *,
    ideas: Iterable[Idea] | None = None,
    evaluator: User | None = None,
    racecourse: Racecourse | None = None,
) -> QuerySet[Conflict]:
    """Declared conflicts, filtered, with their people and project loaded."""
    qs = Conflict.objects.select_related(
        "idea__racecourse", "evaluator", "declared_by"
    ).order_by("idea_id", "evaluator_id")
    if ideas is not None:
        qs = qs.filter(idea__in=[idea.pk for idea in ideas])
    if evaluator is not None:
        qs = qs.filter(evaluator=evaluator)
    if racecourse is not None:
        qs = qs.filter(idea__racecourse=racecourse)
    return qs
