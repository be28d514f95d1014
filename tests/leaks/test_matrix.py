"""The leak matrix: every route × every role × every idea kind × every stage.

For each route of the URL conf and each operation of the OpenAPI schema
(``routes.all_routes``), each instance of it (per idea, per racecourse or
once) is requested by every role, and every marker of every idea found in
the response (body and headers) is checked against the policy of README.md ("Who sees what", as tests/leaks/policy.py)
(``policy.allowed``). Write operations are sent an empty body, so their
error bodies are checked too, inside a savepoint that is rolled back.

A failure lists each leak as: role, method and URL, the route, the idea's
kind and stage, the class of data and the marker.
"""

import os
import re
import zlib
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.db import transaction

from .policy import allowed
from .routes import all_routes, fill, scope, unknown_params
from .world import CLASSES, MARKER_RE, ROLES, STAGES, TEAM_ROLES

pytestmark = pytest.mark.django_db

# LEAK_ROUTES narrows the walk to routes whose id matches (while debugging).
ROUTES = [r for r in all_routes() if re.search(os.environ.get("LEAK_ROUTES", ""), r.id)]


def test_every_route_parameter_is_filled():
    """A new route whose parameter no rule fills fails here, listing it."""
    assert unknown_params() == [], (
        "Route parameters the leak matrix cannot fill (add a rule to "
        "tests/leaks/routes.py RULES):\n  " + "\n  ".join(unknown_params())
    )


def test_every_schema_operation_is_walked():
    from .routes import normal_route, schema_operations

    walked = {(r.method, normal_route(r.template)) for r in all_routes()}
    missing = [
        f"{m} /{path}"
        for key, (path, methods) in schema_operations().items()
        for m in methods
        if (m, key) not in walked
    ]
    assert missing == []


def route_stages(route) -> set:
    """The stages (codes) the route is walked at.

    ``LEAK_MATRIX_STAGES=all`` (``make leaks``): every stage. By default, to
    keep ``make test`` within its budget, each route walks
    ``LEAK_MATRIX_STAGES_PER_ROUTE`` (1) stages, chosen by the route's id so
    that together the routes walk every stage; the other idea of the world
    (another team, in gestation) is always walked. A comma list of stage
    codes walks those.
    """
    wanted = os.environ.get("LEAK_MATRIX_STAGES", "")
    codes = list(STAGES)
    if wanted == "all":
        return set(codes)
    if wanted:
        return set(wanted.split(","))
    per_route = int(os.environ.get("LEAK_MATRIX_STAGES_PER_ROUTE", "1"))
    start = zlib.crc32(route.id.encode()) % len(codes)
    return {codes[(start + i) % len(codes)] for i in range(per_route)}


def _instances(route, world):
    """(url, fixtures the instance is about) for every instance of the route."""
    kind = scope(route)
    stages = route_stages(route)
    ideas = [f for f in world.ideas if f.stage_code in stages or f.kind == "oth"]
    if kind == "idea":
        subjects = [(f, [f]) for f in ideas]
    elif kind == "racecourse":
        subjects = [
            (rc, [f for f in ideas if f.racecourse.pk == rc.pk])
            for rc in world.racecourses.values()
        ]
    else:
        subjects = [(None, ideas)]
    out = {}
    for subject, fixtures in subjects:
        url = fill(route, world, subject)
        if url is not None and fixtures:
            out.setdefault(url, []).extend(fixtures)
    return out


def _request(client, cookie, route, url):
    client.cookies = SimpleCookie()
    if cookie is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    extra = {"HTTP_ACCEPT": "application/json"} if route.api else {}
    method = route.method.lower()
    kwargs = {}
    if route.method in ("POST", "PUT", "PATCH"):
        if route.api:
            kwargs = {"data": "{}", "content_type": "application/json"}
        else:
            kwargs = {"data": {}}
    with transaction.atomic():
        response = getattr(client, method)(url, **kwargs, **extra)
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        transaction.set_rollback(True)
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return response.status_code, body.decode("utf-8", "replace") + "\n" + headers


def _not_allowed(route, world, instances) -> bool:
    """The view does not answer this method at all (405 to a logged-in HR
    admin): nothing to walk. The method check is static (``require_POST``,
    DRF's ``http_method_names``), so one probe decides for every instance."""
    if not instances:
        return False
    client, cookie = world.clients[world.people["hr"].pk]
    status, _ = _request(client, cookie, route, next(iter(instances)))
    return status == 405


def _team_askers(route, fixtures):
    """Whose captain and member ask. On a route about one idea, that idea's. On
    a page about many (a list, a racecourse), one team per kind of idea: to
    the others' ideas a captain is any employee, whom the other roles cover.
    On the admin (staff only; no role is staff) one team."""
    if len(fixtures) == 1:
        return fixtures
    one = {}
    for f in fixtures:
        one.setdefault(f.kind, f)
    teams = list(one.values())
    return teams[:1] if route.template.startswith("admin/") else teams


#: Routes that are the company directory (every employee, for pickers): a name
#: there says nothing about an idea, so NAMES markers are not checked on them.
USER_DIRECTORY_ROUTES = {
    "/api/v1/users/",
    "/ideas/people/",
    "/api/v1/people/",
    "/api/v1/people/{pk}/",
    # The department tree, paged: a page shows too few team departments for
    # the "most of them" test below to see it is the whole list.
    "/api/v1/departments/",
    "/api/v1/departments/{pk}/",
}


def _directory_markers(route, text, world) -> set:
    """NAMES markers a response shows as directory, not as an idea's people.

    On the user directory, every NAMES marker. Anywhere, the team departments'
    names when most of them are there: the page lists the company's
    departments (a picker), not a team's.
    """
    if "/" + route.template in USER_DIRECTORY_ROUTES:
        return {m for f in world.ideas for m, c in f.markers.items() if c == "nm"}
    departments = {f.department_marker for f in world.ideas}
    if sum(1 for m in departments if m in text) * 2 > len(departments):
        return departments
    return set()


def _who(role, own, fixture):
    if role in TEAM_ROLES and own is not fixture:
        return f"{role} of {own.label}"
    return role


@pytest.mark.parametrize("route", ROUTES, ids=[r.id for r in ROUTES])
def test_no_leak(route, leak_world, record_property):
    world = leak_world
    if unknown_params([route]):
        pytest.fail(f"{route.id}: parameters no rule fills: {unknown_params([route])}")
    markers = {m: (f, cls) for f in world.ideas for m, cls in f.markers.items()}
    leaks, cells, requests = [], 0, 0
    instances = _instances(route, world)
    if _not_allowed(route, world, instances):
        record_property("leak_405", 1)
        return
    for url, fixtures in instances.items():
        askers = []  # (role, user, the fixture a team role belongs to, covers)
        for role in ROLES:
            if role in TEAM_ROLES:
                for f in _team_askers(route, fixtures):
                    askers.append((role, getattr(f, role), f, 1))
            else:
                askers.append((role, world.user_for(role, None), None, len(fixtures)))
        for role, user, own, covers in askers:
            client, cookie = world.clients[getattr(user, "pk", None)]
            status, text = _request(client, cookie, route, url)
            requests += 1
            cells += covers
            seen = {}  # (fixture key, class) → markers
            found_all = set(MARKER_RE.findall(text))
            directory = _directory_markers(route, text, world) if found_all else set()
            for found in found_all:
                value = "xqz" + "".join(found) + "zqx"
                if value not in markers or value in directory:
                    continue
                f, cls = markers[value]
                if not allowed(world, user, f, cls):
                    seen.setdefault((f.key, cls), (f, []))[1].append(value)
            for (_key, cls), (f, values) in sorted(seen.items()):
                leaks.append(
                    {
                        "role": _who(role, own, f),
                        "method": route.method,
                        "url": url,
                        "route": "/" + route.template,
                        "kind": f.label.split("/")[0],
                        "stage": f.stage_code,
                        "class": CLASSES[cls],
                        "markers": sorted(values),
                        "status": status,
                    }
                )
    record_property("leak_cells", cells)
    record_property("leak_requests", requests)
    record_property("leaks", leaks)
    if leaks:
        lines = [
            f"{x['role']} | {x['method']} {x['url']} ({x['route']}) -> {x['status']}"
            f" | {x['kind']} idea, stage {x['stage']} | {x['class']}"
            f" {' '.join(x['markers'])}"
            for x in leaks
        ]
        more = f"\n  ... and {len(lines) - 40} more" if len(lines) > 40 else ""
        pytest.fail(
            f"{len(leaks)} leak(s) on {route.id}:\n  " + "\n  ".join(lines[:40]) + more,
            pytrace=False,
        )


def _markers_of(f, cls):
    return [m for m, c in f.markers.items() if c == cls]


def test_markers_reach_those_who_may_see_them(leak_world):
    """The matrix is not vacuous: markers do reach the pages of those allowed.

    The captain reads the title, the problem and the team's names on the idea
    page; the assigned evaluator reads their own team comment on the
    scorecard; HR with a grant reads a confidential idea's title.
    """
    world = leak_world
    ideas = world.by_key()
    route = next(r for r in all_routes() if r.id == "GET /ideas/{pk}/")
    for key in ("pubeva", "anoeva", "coneva", "depges", "blirea"):
        f = ideas[key]
        client, cookie = world.clients[f.captain.pk]
        _, text = _request(client, cookie, route, f"/ideas/{f.idea.pk}/")
        for cls in ("ti", "nm"):
            assert any(m in text for m in _markers_of(f, cls)), (key, cls)
    f = ideas["pubeva"]
    evaluator = world.people["evaluator_assigned"]
    client, cookie = world.clients[evaluator.pk]
    scorecard = next(
        r for r in all_routes() if r.id == "GET /evaluation/ideas/{pk}/scorecard/"
    )
    _, text = _request(
        client, cookie, scorecard, f"/evaluation/ideas/{f.idea.pk}/scorecard/"
    )
    assert any(m in text for m in _markers_of(f, "tc"))
    f = ideas["coneva"]
    client, cookie = world.clients[world.people["hr_granted"].pk]
    _, text = _request(client, cookie, route, f"/ideas/{f.idea.pk}/")
    assert any(m in text for m in _markers_of(f, "ti"))
