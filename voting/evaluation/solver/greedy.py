"""Steps 1 and 2: the state, its constraints, greedy fill, augmenting paths."""

import random
from collections import deque

from .problem import NEUTRAL, RATHER_NOT, WANT, Evaluator, Pair, Project


class Fill:
    """The solver's state, and filling every project up to ``k``."""

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

    def _fixed_count(self, e) -> int:
        return self.fixed_count.get(e, 0)

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
