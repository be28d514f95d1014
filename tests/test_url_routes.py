"""No route shadows another, so the order of ``horserace/urls.py`` is free.

The URL conf puts the hottest routes first (the API before the pages, the
ballots first in the API): Django answers with the first route that matches,
so moving one up could only change an answer if two routes matched the same
path. Each route here is filled with sample values and must resolve to
itself.
"""

import re

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>")

#: A value each converter accepts; several, to try more than one shape.
_SAMPLES = {
    "id": ["7", "123456789"],
    "int": ["7"],
    "str": ["7", "word"],
    "slug": ["7", "some-slug"],
    "uuid": ["12345678-1234-5678-1234-567812345678"],
    "path": ["a/b"],
}


def _routes(resolver=None, prefix="", names=()):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if not isinstance(pattern, RoutePattern):
            # A regex route (the admin, allauth's) is Django's or a
            # library's, and is not reordered here.
            if isinstance(pattern, RegexPattern) and isinstance(entry, URLResolver):
                continue
            if not isinstance(entry, URLResolver):
                continue
        text = prefix + str(pattern._route if isinstance(pattern, RoutePattern) else "")
        if isinstance(entry, URLResolver):
            namespace = (*names, entry.namespace) if entry.namespace else names
            yield from _routes(entry, text, namespace)
        elif isinstance(entry, URLPattern):
            yield text, ":".join([*names, entry.name or ""]), entry


def _fills(route: str):
    """Paths made from ``route`` with each sample of its converters."""
    params = list(_PARAM.finditer(route))
    width = max([len(_SAMPLES.get(m["conv"] or "str", ["x"])) for m in params] + [1])
    for i in range(width):

        def sample(m, i=i):
            values = _SAMPLES.get(m["conv"] or "str", ["x"])
            return values[min(i, len(values) - 1)]

        yield "/" + _PARAM.sub(sample, route)


def test_every_route_resolves_to_itself():
    routes = list(_routes())
    assert len(routes) > 200, "the walk found too few routes"
    shadowed = []
    for route, name, _entry in routes:
        for path in _fills(route):
            match = resolve(path)
            if match.route != route:
                shadowed.append(f"{path} ({name}) is answered by {match.route}")
    assert not shadowed, "\n".join(shadowed)


def test_the_ballot_routes_come_first():
    """The order the comment in horserace/urls.py promises."""
    routes = [route for route, _name, _entry in _routes()]
    api = [r for r in routes if r.startswith("api/v1/")]
    assert api[0] == "api/v1/ballots/"
    assert routes.index("api/v1/ballots/") < routes.index("")
