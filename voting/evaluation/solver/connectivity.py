"""Step 3: joining the evaluator–project graph's components, and counting them."""

from collections.abc import Iterable

from .greedy import Fill
from .problem import RATHER_NOT, Pair, node_key


class Repair(Fill):
    """Swaps and moves that join components (mixed into ``_Solver``)."""

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
        for start in sorted(adjacency, key=node_key):
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
        for root in sorted(adjacency, key=node_key):
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
        ids = sorted(movable, key=node_key)
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
            for a in sorted(movable, key=node_key):
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
