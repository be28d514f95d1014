"""The assignment solver on hand-made cases and on generated pools (hypothesis).

The solver is pure: no database. Properties checked on every generated pool:
no conflicted pair, no load above L, existing assignments kept, at most k per
project, the result maximal (a short project has nobody left who could take
it), deterministic, and a second run adds nothing.
"""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting.evaluation.solver import Solver, solve
from voting.evaluation.solver.connectivity import count_components
from voting.evaluation.solver.problem import SHORT_CAPACITY, SHORT_CONFLICTS, SHORT_POOL


def _final(existing, solution):
    on = {}
    for p, e in [*existing, *solution.new]:
        on.setdefault(p, set()).add(e)
    return on


def _loads(pairs, evaluators):
    loads = dict.fromkeys(evaluators, 0)
    for _p, e in pairs:
        if e in loads:
            loads[e] += 1
    return loads


@st.composite
def pools(draw, *, conflicts=True, min_k=1, min_load=1):
    n_projects = draw(st.integers(0, 25))
    n_evaluators = draw(st.integers(0, 12))
    projects = list(range(1, n_projects + 1))
    evaluators = list(range(100, 100 + n_evaluators))
    k = draw(st.integers(min_k, 4))
    max_load = draw(st.integers(min_load, 8))
    pairs = list(itertools.product(projects, evaluators))
    conflict_pairs = (
        draw(st.sets(st.sampled_from(pairs), max_size=len(pairs) // 3))
        if conflicts and pairs
        else set()
    )
    conflict_map = {}
    for p, e in conflict_pairs:
        conflict_map.setdefault(p, set()).add(e)
    preferences = (
        draw(
            st.dictionaries(
                st.sampled_from([(e, p) for p, e in pairs]),
                st.sampled_from([-1, 0, 1]),
                max_size=len(pairs) // 2,
            )
        )
        if pairs
        else {}
    )
    allowed = [pair for pair in pairs if pair not in conflict_pairs]
    existing = (
        draw(st.sets(st.sampled_from(allowed), max_size=len(projects)))
        if allowed
        else set()
    )
    seed = draw(st.integers(0, 3))
    return dict(
        projects=projects,
        evaluators=evaluators,
        k=k,
        max_load=max_load,
        conflicts=conflict_map,
        preferences=preferences,
        existing=sorted(existing),
        seed=seed,
    )


@settings(max_examples=300, deadline=None)
@given(pools())
def test_generated_pools_keep_every_hard_constraint(pool):
    """No conflict is assigned, nobody is assigned twice, loads stay within L
    (the existing load aside), existing assignments are kept and no project
    gets more than k."""
    solution = solve(**pool)
    existing = set(pool["existing"])
    assert not existing & set(solution.new)
    assert len(set(solution.new)) == len(solution.new)
    for p, e in solution.new:
        assert e not in pool["conflicts"].get(p, set())
        assert p in pool["projects"] and e in pool["evaluators"]
    on = _final(existing, solution)
    existing_loads = _loads(existing, pool["evaluators"])
    loads = _loads([*existing, *solution.new], pool["evaluators"])
    for e in pool["evaluators"]:
        assert loads[e] <= max(pool["max_load"], existing_loads[e])
        if existing_loads[e] >= pool["max_load"]:
            assert loads[e] == existing_loads[e]
    assert solution.report.loads == loads
    for p in pool["projects"]:
        before = sum(1 for q, _e in existing if q == p)
        assert len(on.get(p, ())) <= max(pool["k"], before)


@settings(max_examples=300, deadline=None)
@given(pools())
def test_each_project_gets_what_capacity_and_conflicts_allow(pool):
    """A project is short only when every evaluator who could take it is
    conflicted, already on it, or full; the report names each short project
    with the right reason."""
    solution = solve(**pool)
    existing = set(pool["existing"])
    on = _final(existing, solution)
    loads = _loads([*existing, *solution.new], pool["evaluators"])
    short = {s.project: s for s in solution.report.short}
    for p in pool["projects"]:
        got = len(on.get(p, ()))
        if got >= pool["k"]:
            assert p not in short
            continue
        assert short[p].assigned == got and short[p].needed == pool["k"]
        for e in pool["evaluators"]:
            assert (
                e in on.get(p, ())
                or e in pool["conflicts"].get(p, set())
                or loads[e] >= pool["max_load"]
            )
        people = set(pool["evaluators"]) | on.get(p, set())
        free = {e for e in people if e not in pool["conflicts"].get(p, set())}
        if len(people) < pool["k"]:
            assert short[p].reason == SHORT_POOL
        elif len(free | on.get(p, set())) < pool["k"]:
            assert short[p].reason == SHORT_CONFLICTS
        else:
            assert short[p].reason == SHORT_CAPACITY


@settings(max_examples=200, deadline=None)
@given(pools())
def test_same_input_same_answer_and_a_rerun_adds_nothing(pool):
    """The solver is deterministic, whatever the order of its inputs, and its
    result is maximum: run again on it, it adds nothing."""
    first = solve(**pool)
    shuffled = dict(
        pool,
        projects=list(reversed(pool["projects"])),
        evaluators=list(reversed(pool["evaluators"])),
        existing=list(reversed(pool["existing"])),
    )
    assert solve(**shuffled).new == first.new
    again = solve(**dict(pool, existing=[*pool["existing"], *first.new]))
    assert again.new == []


@settings(max_examples=200, deadline=None)
@given(pools(conflicts=False, min_k=2, min_load=2))
def test_connected_when_a_connected_solution_is_easy(pool):
    """With no conflicts, k ≥ 2, L ≥ 2, no earlier assignments and room to
    spare, every evaluator and project that gets an assignment ends up in one
    connected graph, so scores can be calibrated."""
    pool = dict(pool, existing=[])
    n_projects, n_evaluators = len(pool["projects"]), len(pool["evaluators"])
    capacity = n_evaluators * pool["max_load"]
    if n_evaluators < pool["k"] or capacity < n_projects * pool["k"]:
        return
    solution = solve(**pool)
    assert solution.report.short == []
    assert solution.report.connected
    assert count_components(solution.new) == solution.report.components


def test_hardest_project_first_gets_its_only_evaluator():
    """The project only one evaluator may judge is served before the others
    use up that evaluator's capacity."""
    solution = solve(
        projects=[1, 2, 3],
        evaluators=["a", "b"],
        k=1,
        max_load=1,
        conflicts={3: {"b"}},
    )
    assert (3, "a") in solution.new
    assert len(solution.new) == 2
    assert [s.project for s in solution.report.short] in ([1], [2])
    assert solution.report.short[0].reason == SHORT_CAPACITY


def test_want_preferred_and_rather_not_avoided():
    """A "would like to" wins among equally loaded evaluators; a "rather not"
    is taken only when nobody else is free."""
    solution = solve(
        projects=[1],
        evaluators=["a", "b", "c"],
        k=1,
        max_load=5,
        preferences={("c", 1): 1, ("a", 1): -1},
    )
    assert solution.new == [(1, "c")]
    forced = solve(
        projects=[1],
        evaluators=["a"],
        k=1,
        max_load=5,
        preferences={("a", 1): -1},
    )
    assert forced.new == [(1, "a")]
    assert forced.report.rather_not == 1


def test_loads_are_balanced():
    """Filling round by round spreads the work: loads differ by at most one."""
    solution = solve(projects=range(10), evaluators=range(100, 106), k=3, max_load=8)
    loads = solution.report.loads.values()
    assert sum(loads) == 30 and max(loads) - min(loads) <= 1


def test_augmenting_path_moves_a_new_assignment_to_fill_a_project():
    """When greedy strands a project, a chain of moves fills it: project 2
    may only have b, who was given project 1, which a can take instead."""
    state = Solver(
        projects=[1, 2],
        evaluators=["a", "b"],
        k=1,
        max_load=1,
        conflicts={2: {"a"}},
        preferences={},
        existing=[],
        seed=0,
    )
    state.add(1, "b")  # what a careless greedy would do
    state.augment()
    assert sorted(state.new) == [(1, "a"), (2, "b")]
    assert state.load == {"a": 1, "b": 1}


def test_hardest_project_first_avoids_the_trap():
    """The same pool through ``solve``: the project with one eligible
    evaluator is served first, and both are filled."""
    solution = solve(
        projects=[1, 2],
        evaluators=["a", "b"],
        k=1,
        max_load=1,
        conflicts={2: {"a"}},
        preferences={("b", 1): 1},
    )
    assert sorted(solution.new) == [(1, "a"), (2, "b")]
    assert solution.report.short == []


def test_existing_assignments_count_towards_k_and_load():
    """Existing assignments stay, count in the project's k and the
    evaluator's L, and may name people outside the pool."""
    solution = solve(
        projects=[1, 2],
        evaluators=["a", "b"],
        k=2,
        max_load=1,
        existing=[(1, "a"), (1, "gone")],
    )
    assert solution.new == [(2, "b")]
    assert solution.report.loads == {"a": 1, "b": 1}
    assert [(s.project, s.assigned, s.reason) for s in solution.report.short] == [
        (2, 1, SHORT_CAPACITY)
    ]


def test_overloaded_evaluators_are_reported_and_get_nothing_new():
    """An evaluator already above L (L was lowered) is reported, not fed."""
    solution = solve(
        projects=[1, 2, 3],
        evaluators=["a", "b"],
        k=1,
        max_load=1,
        existing=[(1, "a"), (2, "a")],
    )
    assert solution.new == [(3, "b")]
    assert solution.report.overloaded == ["a"]


def test_short_reasons_pool_and_conflicts():
    """Too small a pool and too many conflicts are told apart."""
    small = solve(projects=[1], evaluators=["a"], k=2, max_load=3)
    assert small.report.short[0].reason == SHORT_POOL
    conflicted = solve(
        projects=[1],
        evaluators=["a", "b", "c"],
        k=2,
        max_load=3,
        conflicts={1: {"a", "b"}},
    )
    assert conflicted.report.short[0].reason == SHORT_CONFLICTS
    assert conflicted.new == [(1, "c")]


def test_connectivity_repair_joins_separate_groups():
    """Two groups that share nobody are joined by swapping assignments."""
    # Existing assignments make two islands; the new ones must bridge them.
    solution = solve(
        projects=[1, 2],
        evaluators=["a", "b", "c", "d"],
        k=3,
        max_load=2,
        existing=[(1, "a"), (1, "b"), (2, "c"), (2, "d")],
    )
    assert len(solution.new) == 2
    assert solution.report.connected


def test_connected_is_impossible_with_one_project_each():
    """With L = 1 every evaluator reads one project: the report says how many
    groups there are rather than pretending."""
    solution = solve(projects=[1, 2], evaluators=range(4), k=2, max_load=1)
    assert solution.report.components == 2 and not solution.report.connected


def test_empty_inputs():
    """No projects or no evaluators: nothing to do, and the report says so."""
    assert solve(projects=[], evaluators=[1], k=2, max_load=1).new == []
    none = solve(projects=[1], evaluators=[], k=2, max_load=1)
    assert none.new == [] and none.report.short[0].reason == SHORT_POOL
    assert none.report.components == 0


def test_invalid_limits_are_refused():
    """k and L below 1 make no sense."""
    with pytest.raises(ValueError):
        solve(projects=[1], evaluators=[1], k=0, max_load=1)


def test_count_components():
    """Components of the graph drawn by (project, evaluator) pairs."""
    assert count_components([]) == 0
    assert count_components([(1, "a"), (2, "a"), (3, "b")]) == 2


def _state(**kw):
    defaults = dict(conflicts={}, preferences={}, existing=[], seed=0)
    return Solver(**(defaults | kw))


def test_repair_swaps_across_full_groups():
    """Two groups whose evaluators are all full are joined by a swap that
    keeps every load and every project's count."""
    state = _state(
        projects=[1, 2, 3, 4], evaluators=["a", "b", "c", "d"], k=2, max_load=2
    )
    for p, e in [
        (1, "a"),
        (1, "b"),
        (2, "a"),
        (2, "b"),
        (3, "c"),
        (3, "d"),
        (4, "c"),
        (4, "d"),
    ]:
        state.add(p, e)
    state.repair()
    assert len(set(state.components().values())) == 1
    assert state.load == {"a": 2, "b": 2, "c": 2, "d": 2}
    assert all(len(state.on[p]) == 2 for p in [1, 2, 3, 4])


def test_repair_respects_conflicts():
    """A swap that would assign a conflicted pair is not made: the groups
    stay apart and the report says so."""
    conflicts = {1: {"c", "d"}, 2: {"c", "d"}, 3: {"a", "b"}, 4: {"a", "b"}}
    state = _state(
        projects=[1, 2, 3, 4],
        evaluators=["a", "b", "c", "d"],
        k=2,
        max_load=2,
        conflicts=conflicts,
    )
    for p, e in [
        (1, "a"),
        (1, "b"),
        (2, "a"),
        (2, "b"),
        (3, "c"),
        (3, "d"),
        (4, "c"),
        (4, "d"),
    ]:
        state.add(p, e)
    state.repair()
    assert len(set(state.components().values())) == 2
    for p, e in state.new:
        assert e not in conflicts[p]


def test_repair_moves_to_an_evaluator_with_room():
    """A leaf assignment moves to an evaluator of another group who has room."""
    state = _state(projects=[1, 2], evaluators=["a", "b", "c", "d"], k=2, max_load=3)
    for p, e in [(1, "a"), (1, "b"), (2, "c"), (2, "d")]:
        state.add(p, e)
    state.repair()
    assert len(set(state.components().values())) == 1
    assert sum(state.load.values()) == 4 and max(state.load.values()) <= 3


def test_bridges():
    """Tarjan's bridges: the edges of a tree, none of a cycle."""
    state = _state(projects=[1, 2, 3], evaluators=["a", "b", "c"], k=2, max_load=3)
    for p, e in [(1, "a"), (1, "b"), (2, "a"), (2, "b"), (3, "c")]:
        state.add(p, e)
    assert state.bridges() == {(3, "c")}
