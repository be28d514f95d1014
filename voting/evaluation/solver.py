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
"""

import random
from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

Project = Hashable
Evaluator = Hashable
Pair = tuple[Project, Evaluator]

#: Why a project is left short.
SHORT_POOL = "pool"  # fewer than k people in the pool at all
SHORT_CONFLICTS = "conflicts"  # enough people, but too many are conflicted
SHORT_CAPACITY = "capacity"  # enough eligible people, but they are full

RATHER_NOT, NEUTRAL, WANT = -1, 0, 1


@dataclass(frozen=True)
class Shortfall:
    project: Project
    assigned: int
    needed: int
    reason: str


@dataclass
class SolverReport:
    """What the solution looks like, for the people who run the panel."""

    short: list[Shortfall] = field(default_factory=list)
    loads: dict[Evaluator, int] = field(default_factory=dict)
    components: int = 0
    overloaded: list[Evaluator] = field(default_factory=list)
    rather_not: int = 0  # new assignments someone would rather not have

    @property
    def connected(self) -> bool:
        return self.components <= 1


@dataclass
class Solution:
    new: list[Pair]
    report: SolverReport


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
    return _Solver(
        projects=sorted(set(projects)),
        evaluators=sorted(set(evaluators)),
        k=k,
        max_load=max_load,
        conflicts={p: set(es) for p, es in (conflicts or {}).items()},
        preferences=dict(preferences or {}),
        existing=sorted(set(existing)),
        seed=seed,
    ).run()


class _Solver:
    def __init__(
        self,
        *,
        projects,
        evaluators,
        k,
        max_load,
        conflicts,
        preferences,
        existing,
        seed,
    ):
        self.projects: list = projects
        self.evaluators: list = evaluators
        self.k = k
        self.max_load = max_load
        self.conflicts: dict = conflicts
        self.preferences: dict = preferences
        rng = random.Random(seed)
        order = list(evaluators)
        rng.shuffle(order)
        self.rank = {e: i for i, e in enumerate(order)}
        order = list(projects)
        rng.shuffle(order)
        self.project_rank = {p: i for i, p in enumerate(order)}

        known = set(projects)
        self.on: dict[Project, set] = {p: set() for p in projects}
        self.load: dict[Evaluator, int] = {e: 0 for e in evaluators}
        self.fixed: set[Pair] = set()
        for p, e in existing:
            if p not in known:
                continue  # only the projects being assigned are of interest
            self.on[p].add(e)
            self.fixed.add((p, e))
            if e in self.load:
                self.load[e] += 1
        self.fixed_count: dict[Evaluator, int] = {}
        for _p, e in self.fixed:
            self.fixed_count[e] = self.fixed_count.get(e, 0) + 1
        self.new: set[Pair] = set()
        self.by_evaluator: dict[Evaluator, set] = {e: set() for e in evaluators}

    # --- constraints ---------------------------------------------------------

    def eligible(self, p, e) -> bool:
        """May ``e`` read ``p`` at all (ignoring load)?"""
        return e not in self.on[p] and e not in self.conflicts.get(p, ())

    def has_room(self, e, extra: int = 1) -> bool:
        return self.load[e] + extra <= self.max_load

    def pref(self, e, p) -> int:
        return self.preferences.get((e, p), NEUTRAL)

    def add(self, p, e) -> None:
        self.on[p].add(e)
        self.new.add((p, e))
        self.by_evaluator[e].add(p)
        self.load[e] += 1

    def drop(self, p, e) -> None:
        self.on[p].discard(e)
        self.new.discard((p, e))
        self.by_evaluator[e].discard(p)
        self.load[e] -= 1

    # --- 1. greedy fill ------------------------------------------------------

    def greedy(self) -> None:
        hardness = {
            p: sum(
                1 for e in self.evaluators if self.eligible(p, e) and self.has_room(e)
            )
            for p in self.projects
        }
        order = sorted(self.projects, key=lambda p: (hardness[p], self.project_rank[p]))
        for round_ in range(self.k):
            for p in order:
                if len(self.on[p]) > round_ or len(self.on[p]) >= self.k:
                    continue
                best = None
                for e in self.evaluators:
                    if not (self.eligible(p, e) and self.has_room(e)):
                        continue
                    pref = self.pref(e, p)
                    key = (
                        pref == RATHER_NOT,
                        self.load[e] - (pref == WANT),
                        pref != WANT,
                        self.rank[e],
                    )
                    if best is None or key < best[0]:
                        best = (key, e)
                if best is not None:
                    self.add(p, best[1])

    # --- 2. augmenting paths -------------------------------------------------

    def augment(self) -> None:
        """Ford–Fulkerson: add one assignment per path until no path is left."""
        while self._augment_once():
            pass

    def _augment_once(self) -> bool:
        starts = [p for p in self.projects if len(self.on[p]) < self.k]
        if not starts:
            return False
        # BFS over projects; parent[e] = project that takes e,
        # parent_project[p] = evaluator who gave p up (None for a start).
        parent_project: dict = {p: None for p in starts}
        parent_evaluator: dict = {}
        queue = deque(starts)
        while queue:
            p = queue.popleft()
            for e in self.evaluators:
                if e in parent_evaluator or not self.eligible(p, e):
                    continue
                parent_evaluator[e] = p
                if self.has_room(e):
                    self._apply_path(e, parent_evaluator, parent_project)
                    return True
                for q in sorted(self.by_evaluator[e], key=self.project_rank.get):
                    if q not in parent_project:
                        parent_project[q] = e
                        queue.append(q)
        return False

    def _apply_path(self, e, parent_evaluator, parent_project) -> None:
        """Walk the path back from ``e``, who has room, to a short project.

        Each project on the path takes the evaluator found for it and lets go
        of the one who reached it; only the start project and ``e`` change
        count.
        """
        while e is not None:
            p = parent_evaluator[e]
            self.add(p, e)
            giver = parent_project[p]  # None: p is the short project we began at
            if giver is not None:
                self.drop(p, giver)
            e = giver

    # --- 3. connectivity -----------------------------------------------------

    def edges(self) -> list[Pair]:
        return [(p, e) for p in self.projects for e in self.on[p]]

    def components(self) -> dict:
        """Node → component id, for nodes with at least one assignment."""
        adjacency: dict = {}
        for p, e in self.edges():
            adjacency.setdefault(("p", p), []).append(("e", e))
            adjacency.setdefault(("e", e), []).append(("p", p))
        component: dict = {}
        for start in sorted(adjacency, key=_node_key):
            if start in component:
                continue
            component[start] = start
            stack = [start]
            while stack:
                node = stack.pop()
                for other in adjacency[node]:
                    if other not in component:
                        component[other] = start
                        stack.append(other)
        return component

    def bridges(self) -> set[Pair]:
        """The assignments whose removal splits their component (Tarjan)."""
        edges = self.edges()
        adjacency: dict = {}
        for i, (p, e) in enumerate(edges):
            adjacency.setdefault(("p", p), []).append((("e", e), i))
            adjacency.setdefault(("e", e), []).append((("p", p), i))
        found: set[Pair] = set()
        disc: dict = {}
        low: dict = {}
        counter = 0
        for root in sorted(adjacency, key=_node_key):
            if root in disc:
                continue
            disc[root] = low[root] = counter
            counter += 1
            stack = [(root, -1, iter(adjacency[root]))]
            while stack:
                node, via, neighbours = stack[-1]
                advanced = False
                for other, index in neighbours:
                    if index == via:
                        continue
                    if other in disc:
                        low[node] = min(low[node], disc[other])
                    else:
                        disc[other] = low[other] = counter
                        counter += 1
                        stack.append((other, index, iter(adjacency[other])))
                        advanced = True
                        break
                if advanced:
                    continue
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > disc[parent]:
                        found.add(edges[via])
        return found

    def repair(self) -> None:
        neutral_used_at: set[int] = set()
        limit = 4 * (len(self.projects) + len(self.evaluators)) + 4
        for _ in range(limit):
            component = self.components()
            count = len(set(component.values()))
            if count <= 1:
                return
            if self._swap(component) or self._move(component):
                continue
            if count not in neutral_used_at and self._attach_unused(component):
                neutral_used_at.add(count)
                continue
            return

    def _movable(self, component) -> dict:
        """Component id → its new assignments, in a stable order."""
        by_component: dict = {}
        for p, e in sorted(self.new, key=self._pair_key):
            by_component.setdefault(component[("p", p)], []).append((p, e))
        return by_component

    def _pair_key(self, pair):
        p, e = pair
        return (self.project_rank[p], self.rank[e])

    def _swap(self, component) -> bool:
        bridges = self.bridges()
        movable = self._movable(component)
        ids = sorted(movable, key=_node_key)
        for allow_rather_not in (False, True):
            for a in ids:
                for p, e in movable[a]:
                    if (p, e) in bridges:
                        continue  # keep A whole: only cycle edges leave it
                    for b in ids:
                        if b == a:
                            continue
                        for q, f in movable[b]:
                            if not (self.eligible(p, f) and self.eligible(q, e)):
                                continue
                            if not allow_rather_not and RATHER_NOT in (
                                self.pref(f, p),
                                self.pref(e, q),
                            ):
                                continue
                            self.drop(p, e)
                            self.drop(q, f)
                            self.add(p, f)
                            self.add(q, e)
                            return True
        return False

    def _move(self, component) -> bool:
        bridges = self.bridges()
        movable = self._movable(component)
        roomy = [
            e
            for e in sorted(self.evaluators, key=lambda e: (self.load[e], self.rank[e]))
            if ("e", e) in component and self.has_room(e)
        ]
        for allow_rather_not in (False, True):
            for a in sorted(movable, key=_node_key):
                for p, e in movable[a]:
                    leaf = len(self.by_evaluator[e]) + self._fixed_count(e) == 1
                    if (p, e) in bridges and not leaf:
                        continue
                    for f in roomy:
                        if component[("e", f)] == a or not self.eligible(p, f):
                            continue
                        if not allow_rather_not and self.pref(f, p) == RATHER_NOT:
                            continue
                        self.drop(p, e)
                        self.add(p, f)
                        return True
        return False

    def _fixed_count(self, e) -> int:
        return self.fixed_count.get(e, 0)

    def _attach_unused(self, component) -> bool:
        """Give an unused evaluator with room for 2+ projects a leaf's project."""
        unused = [
            e
            for e in sorted(self.evaluators, key=lambda e: self.rank[e])
            if ("e", e) not in component and self.has_room(e, 2)
        ]
        if not unused:
            return False
        for p, e in sorted(self.new, key=self._pair_key):
            if len(self.by_evaluator[e]) + self._fixed_count(e) != 1:
                continue
            for f in unused:
                if self.eligible(p, f) and self.pref(f, p) != RATHER_NOT:
                    self.drop(p, e)
                    self.add(p, f)
                    return True
        return False

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
        return Solution(new=sorted(self.new, key=_sortable), report=self.report())


def _node_key(node):
    return (node[0], _sortable(node[1]))


def _sortable(value):
    return (type(value).__name__, value)


def count_components(pairs: Iterable[Pair]) -> int:
    """How many connected pieces the graph of these ``(project, evaluator)`` has.

    Only people and projects with an assignment count, as in ``SolverReport``.
    """
    parent: dict = {}

    def find(node):
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for p, e in pairs:
        a, b = ("p", p), ("e", e)
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    return len({find(node) for node in parent})
