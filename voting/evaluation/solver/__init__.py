"""Assigning evaluators to projects: a pure, deterministic solver (no ORM).

The problem
    Every project should be read by ``k`` evaluators; no evaluator reads more
    than ``L`` projects; a conflicted evaluator never reads the project;
    evaluators' preferences (-1 rather not, 0 none, +1 would like to) are
    honoured where possible; and the bipartite evaluator–project graph should
    be connected, because calibrating scores (one evaluator is strict, another
    lenient) compares evaluators through the projects they share.

    Existing assignments are kept as they are: they count in the projects'
    coverage and the evaluators' loads, and the solver only tops projects up
    to ``k``. (An existing assignment may name someone outside ``evaluators``,
    e.g. an evaluator who left the pool after scoring: it still covers the
    project.)

The algorithm
    1. Greedy fill, in ``k`` rounds. In round ``r`` every project with at most
       ``r`` evaluators gets one more, hardest projects first (fewest
       evaluators eligible for them at the start; ties in a seeded random
       order). For each slot the solver takes, among the eligible evaluators
       with room (not conflicted, not already on the project, load below
       ``L``), the one with the smallest key
       ``(rather not, load − want, not want, tie rank)``: "rather not" only
       when nobody else has room, a "would like to" counts as one project less
       of load, and ties go to a seeded random rank. Filling round by round
       spreads the work evenly and tends to give a connected graph.
    2. Augmenting paths. A project left short may still be filled by moving
       new assignments around: project ``p`` takes evaluator ``e1`` who is
       full, ``e1`` gives up project ``p1`` which takes ``e2``, and so on
       until an evaluator with room. This is Ford–Fulkerson on the flow
       network source → project (room ``k``) → evaluator (eligible pairs) →
       sink (room ``L``), so afterwards the number of assignments is the
       largest any solution keeping the existing assignments can have.
    3. Connectivity repair. While the graph has more than one connected
       component (counting only people and projects with an assignment), two
       components are joined by
       * a swap: new assignments (p, e) in A and (q, f) in B become (p, f) and
         (q, e), when one of the two old edges lies on a cycle (is not a
         bridge), so its component stays whole and the new edges join both;
       * a move: new assignment (p, e) becomes (p, f) for an evaluator f of
         another component with room, when (p, e) is not a bridge or e reads
         nothing else;
       * when neither exists, once per number of components, a move that
         brings an unused evaluator with room for two or more projects into a
         component (one of the moves above then succeeds).
       Swaps and moves keep every hard constraint (conflicts, ``L``, ``k``,
       existing assignments untouched) and the number of assignments; swaps
       that give someone a project they would rather not read are tried last.

Guarantees
    * no conflicted pair is ever assigned, nor anyone twice to one project;
    * no evaluator ends above ``L``, unless their existing load already was
      (then they get nothing new; see ``SolverReport.overloaded``);
    * existing assignments are all kept, and no project gets more than ``k``
      (it keeps more if it already had them);
    * the total number of assignments is maximum, so a project is short only
      when each evaluator eligible for it is on it or full (the report says
      whether the pool, the conflicts or the capacity is to blame);
    * the repair never increases the number of components. Connectivity is
      not guaranteed in general (with ``L = 1`` every evaluator reads one
      project, so each project is its own group; conflicts can forbid every
      joining swap), but with no conflicts, no earlier assignments, ``k ≥ 2``,
      ``L ≥ 2`` and room for every project (evaluators × L ≥ projects × k)
      the result has been connected on every generated pool the tests try;
      ``SolverReport.components`` always says how it turned out;
    * the same input and seed give the same answer, whatever the order of the
      input sequences (ids must be sortable, e.g. database ids);
    * running it again on its own result adds nothing (the result is maximum).

Cost: the greedy fill is O(k · P · E), each augmenting path O(P · E), and
each repair step O(P · k) to find the bridges plus, in the worst case,
O((P · k)²) to scan candidate swaps; a main racecourse (150 projects, 40
evaluators, k = 3) takes a few hundredths of a second.

Modules
    ``problem``       ids, preference levels, ``Shortfall``, ``SolverReport``
                      and ``Solution``
    ``greedy``        the solver's state and constraints; steps 1 and 2
    ``connectivity``  step 3, and ``count_components``
    This package puts them together: ``solve`` and ``Solver``.
"""

from collections.abc import Iterable, Mapping

from .connectivity import Repair
from .greedy import Fill
from .problem import (
    RATHER_NOT,
    SHORT_CAPACITY,
    SHORT_CONFLICTS,
    SHORT_POOL,
    Evaluator,
    Pair,
    Project,
    Shortfall,
    Solution,
    SolverReport,
    sortable,
)


def solve(
    *,
    projects: Iterable[Project],
    evaluators: Iterable[Evaluator],
    k: int,
    max_load: int,
    conflicts: Mapping[Project, Iterable[Evaluator]] | None = None,
    preferences: Mapping[Pair, int] | None = None,
    existing: Iterable[Pair] = (),
    seed: int = 0,
) -> Solution:
    """Top every project up to ``k`` evaluators; see the module docstring.

    ``preferences`` maps ``(evaluator, project)`` to -1, 0 or 1. ``existing``
    holds ``(project, evaluator)`` pairs already assigned. Returns the new
    ``(project, evaluator)`` pairs, sorted, and a report.
    """
    if k < 1 or max_load < 1:
        raise ValueError("k and max_load must be at least 1")
    return Solver(
        projects=sorted(set(projects)),
        evaluators=sorted(set(evaluators)),
        k=k,
        max_load=max_load,
        conflicts={p: set(es) for p, es in (conflicts or {}).items()},
        preferences=dict(preferences or {}),
        existing=sorted(set(existing)),
        seed=seed,
    ).run()


class Solver(Repair, Fill):
    """Fill (steps 1 and 2), repair (step 3), report: see the package docstring."""

    # --- the answer ----------------------------------------------------------

    def report(self) -> SolverReport:
        short = []
        pool = set(self.evaluators)
        for p in self.projects:
            got = len(self.on[p])
            if got >= self.k:
                continue
            people = pool | self.on[p]
            free = {e for e in people if e not in self.conflicts.get(p, ())}
            free |= self.on[p]
            if len(people) < self.k:
                reason = SHORT_POOL
            elif len(free) < self.k:
                reason = SHORT_CONFLICTS
            else:
                reason = SHORT_CAPACITY
            short.append(Shortfall(p, got, self.k, reason))
        return SolverReport(
            short=short,
            loads=dict(self.load),
            components=len(set(self.components().values())),
            overloaded=[
                e for e in self.evaluators if self._fixed_count(e) > self.max_load
            ],
            rather_not=sum(1 for p, e in self.new if self.pref(e, p) == RATHER_NOT),
        )

    def run(self) -> Solution:
        self.greedy()
        self.augment()
        self.repair()
        return Solution(new=sorted(self.new, key=sortable), report=self.report())
