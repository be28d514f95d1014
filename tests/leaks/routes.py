"""Every route the matrix walks, read from the URL conf and the OpenAPI schema.

Nothing here names a view: the URL patterns come from
``django.urls.get_resolver()`` (walked recursively, allauth and the admin
included) and the API operations from drf-spectacular's generator, so a
route added tomorrow is walked without editing the test. Path parameters are
filled from the world by their name and the path segment before them
(``ideas/<pk>`` is an idea, ``milestones/<pk>`` a milestone, ...); a
parameter no rule knows is reported, and the matrix fails, listing it.
"""

import re
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Param:
    name: str
    prefix: str  # the path before the parameter

    def __str__(self):
        return f"{self.prefix}<{self.name}>"


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # "ideas/{pk}/team/" (no leading slash)
    params: tuple  # Param, in order
    api: bool
    source: str  # "urlconf", "schema" or "urlconf+schema"

    @property
    def id(self) -> str:
        return f"{self.method} /{self.template}"


_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()]|\([^()]*\))*\)")
_SCHEMA_PARAM = re.compile(r"\{(?P<name>\w+)\}")


def _template(pattern) -> str:
    """A URL pattern's text with its parameters as ``{name}``."""
    if isinstance(pattern, RoutePattern):
        return _ROUTE_PARAM.sub(lambda m: "{" + m["name"] + "}", str(pattern._route))
    if isinstance(pattern, RegexPattern):
        text = pattern._regex
        text = _REGEX_GROUP.sub(lambda m: "{" + m["name"] + "}", text)
        text = text.lstrip("^").rstrip("$").replace("\\.", ".").replace("\\", "")
        return text
    return str(pattern)


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        text = prefix + _template(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry, text)
        elif isinstance(entry, URLPattern):
            yield text


def _params(template: str) -> tuple:
    out = []
    for m in _SCHEMA_PARAM.finditer(template):
        out.append(Param(m["name"], template[: m.start()]))
    return tuple(out)


def normal_route(template: str) -> str:
    return _SCHEMA_PARAM.sub("{}", template.lstrip("/"))


def is_api(template: str) -> bool:
    return template.startswith("api/") and not template.startswith(
        ("api/schema", "api/docs")
    )


@cache
def schema_operations() -> dict:
    """normalised path → (schema path, {methods}) from drf-spectacular."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    out = {}
    for path, operations in schema["paths"].items():
        methods = {
            m.upper()
            for m in operations
            if m.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE")
        }
        out[normal_route(path)] = (path.lstrip("/"), methods)
    return out


@cache
def all_routes() -> tuple:
    """Every (method, route) of the URL conf and every operation of the schema.

    Browser routes are asked GET and POST (forms post); API routes the
    methods their schema operation documents, plus GET (an undocumented GET
    must not leak either); API routes missing from the schema GET and POST.
    """
    operations = schema_operations()
    seen_schema = set()
    routes = {}
    for template in dict.fromkeys(_walk(get_resolver())):
        key = normal_route(template)
        if key in operations:
            seen_schema.add(key)
            methods = {"GET"} | operations[key][1]
            source = "urlconf+schema"
        else:
            methods = {"GET", "POST"}
            source = "urlconf"
        for method in sorted(methods):
            route = Route(method, template, _params(template), is_api(template), source)
            routes[route.id] = route
    for key, (path, methods) in operations.items():
        if key in seen_schema:
            continue
        for method in sorted(methods):  # in the schema, unknown to the URL conf
            route = Route(method, path, _params(path), True, "schema")
            routes[route.id] = route
    return tuple(routes.values())


# --- filling parameters --------------------------------------------------------
# (regex over the path before the parameter, parameter name regex, source).
# Sources: an IdeaFixture.objects key or "idea" (per idea), "racecourse" (per
# racecourse), "global:<what>", or "admin_object" (the admin's object id).
RULES = [
    (r"ideas/attachments/$", r"pk|id", "attachment"),
    (r"(^|/)(ideas/)?invitations/$", r"pk|id", "invitation"),
    (r"join-requests/$", r"pk|id", "join_request"),
    (r"proposal-files/$", r"pk|id", "proposal_file"),
    (r"/proposal/$", r"attachment_id", "proposal_file"),
    (r"milestones/$", r"pk|id", "milestone"),
    (r"comments/$", r"pk|id", "comment"),
    (r"gestation/requests/$", r"pk|id", "resource_request"),
    (r"resource-requests/$", r"pk|id", "resource_request"),
    (r"gestation/assignments/$", r"pk|id", "trainer_assignment"),
    (r"trainer-assignments/$", r"pk|id", "trainer_assignment"),
    (r"evaluation/assignments/$", r"pk|id", "eval_assignment"),
    (r"evaluation/conflicts/$", r"pk|id", "conflict"),
    (r"outcomes/$", r"pk|id", "outcome"),
    (r"allocations/$", r"pk|id", "allocation"),
    (r"tranches/$", r"pk|id", "tranche"),
    (r"/team/$", r"user_id", "team_member_user"),
    (r"(^|/)ideas/$", r"pk|id", "idea"),
    (r"ballots/$", r"idea_id", "idea"),
    (r"windows/$", r"pk|id", "racecourse:window"),
    (r"racecourses/$", r"pk|id", "racecourse"),
    (r"/pool/$", r"user_id", "racecourse:pool_user"),
    (r"", r"racecourse_id", "racecourse"),
    (r"criteria/$", r"pk|id", "racecourse:criterion"),
    # the set-up (contests.setup): budgets, appointees, the catalogue, roles
    (r"/budgets/$", r"resource_id", "racecourse:resource"),
    (r"/(admins|evaluators)/$", r"user_id", "racecourse:pool_user"),
    (r"/trainers/$", r"user_id", "global:trainer_user"),
    (r"(^|/)v1/resources/$", r"pk|id", "global:resource"),
    (r"roles/$", r"role", "global:const:evaluator"),
    (r"roles/\{role\}/$", r"user_id", "global:pool_user"),
    (r"seasons/$", r"pk|id", "global:season"),
    (r"challenges/$", r"pk|id", "global:challenge"),
    (r"departments/$", r"pk|id", "global:department"),
    (r"people/$", r"pk|id", "global:person"),
    (r"directory/imports/$", r"pk|id", "global:const:1"),
    # exports: a kind by its slug; a job by its id (only its requester's)
    (r"exports/$", r"kind", "global:const:ballots"),
    (r"exports/jobs/$", r"pk|id", "global:const:1"),
    (r"reports/(weekly/)?$", r"pk|id", "global:weekly_report"),
    # one person's notification (its recipient's only; everyone else a 404)
    (r"(^|/)notifications/$", r"pk|id", "global:notification"),
    # allauth: keys and tokens no fixture holds (their error pages are walked)
    (r"^accounts/", r"key", "global:const:no-such-key"),
    (r"^accounts/", r"uidb36", "global:const:1"),
    (r"^accounts/", r"provider_id", "global:const:oidc"),
    # SCIM (bearer tokens only: every session is refused)
    (r"^scim/v2/", r"uuid", "global:const:no-such-id"),
    # the admin (superusers only)
    (r"^admin/", r"app_label", "global:const:ideas"),
    (r"^admin/", r"url", "global:const:no-such-page/"),
    (r"^admin/", r"content_type_id", "global:content_type"),
    (r"^admin/", r"object_id|id", "admin_object"),
]


def param_source(param: Param) -> str | None:
    for prefix, name, source in RULES:
        if re.fullmatch(name, param.name) and re.search(prefix, param.prefix):
            return source
    return None


def unknown_params(routes=None) -> list[str]:
    """Parameters no rule can fill: each needs a rule in ``RULES``."""
    routes = all_routes() if routes is None else routes
    return sorted(
        {f"{r.id}: {p}" for r in routes for p in r.params if param_source(p) is None}
    )


def scope(route: Route) -> str:
    """ "idea", "racecourse" or "global": what one instance of the route is about."""
    sources = [param_source(p) for p in route.params]
    if any(s and not s.startswith(("racecourse", "global", "admin")) for s in sources):
        return "idea"
    if any(s and s.startswith("racecourse") for s in sources):
        return "racecourse"
    return "global"


def _admin_object(param: Param) -> str:
    match = re.match(r"^admin/(\w+)/(\w+)/$", param.prefix)
    if match:
        try:
            model = apps.get_model(match[1], match[2])
        except LookupError:
            return "1"
        obj = model._default_manager.order_by("pk").first()
        return str(obj.pk) if obj is not None else "1"
    return "1"


def _global(what: str, world) -> str:
    from django.contrib.contenttypes.models import ContentType

    if what.startswith("const:"):
        return what[len("const:") :]
    if what == "season":
        return str(world.season.pk)
    if what == "challenge":
        return str(world.challenge.pk)
    if what == "department":
        return str(world.ideas[0].captain.department_id or 1)
    if what == "person":
        return str(world.ideas[0].captain.pk)
    if what == "resource":
        resource = world.season.resources.order_by("pk").first()
        return str(resource.pk) if resource else "1"
    if what == "trainer_user":
        trainer = world.season.trainers.order_by("pk").first()
        return str(trainer.user_id) if trainer else "1"
    if what == "pool_user":
        return str(world.people["evaluator_unassigned"].pk)
    if what == "weekly_report":
        # This week's report of the world's season, built once.
        from django.utils import timezone

        from horserace.core.reports.selectors import week_start_of
        from horserace.core.reports.services import weekly_report_build

        report = weekly_report_build(
            week_start=week_start_of(timezone.now()), season=world.season
        )
        return str(report.pk)
    if what == "notification":
        from horserace.notifications.models import Notification

        note = Notification.objects.order_by("pk").first()
        return str(note.pk) if note else "1"
    if what == "content_type":
        return str(ContentType.objects.get_for_model(world.ideas[0].idea).pk)
    raise KeyError(what)


def _racecourse_value(what: str, racecourse, world) -> str | None:
    if what == "racecourse":
        return str(racecourse.pk)
    if what == "racecourse:window":
        window = racecourse.windows.order_by("pk").first()
        return str(window.pk) if window else None
    if what == "racecourse:pool_user":
        return str(world.people["evaluator_unassigned"].pk)
    if what == "racecourse:resource":
        resource = racecourse.season.resources.order_by("pk").first()
        return str(resource.pk) if resource else None
    if what == "racecourse:criterion":
        criterion = racecourse.rubric.criteria.order_by("pk").first()
        return str(criterion.pk) if criterion else None
    raise KeyError(what)


def fill(route: Route, world, subject) -> str | None:
    """The route's URL for ``subject`` (an IdeaFixture, a Racecourse or None).

    None when the subject lacks an object the route needs (a draft has no
    milestone): that cell does not exist.
    """
    url = route.template
    for param in route.params:
        source = param_source(param)
        if source is None:
            raise LookupError(f"no rule fills {route.id}: {param}")
        if source == "admin_object":
            value = _admin_object(param)
        elif source.startswith("global:"):
            value = _global(source[len("global:") :], world)
        elif source.startswith("racecourse"):
            racecourse = getattr(subject, "racecourse", subject)
            value = _racecourse_value(source, racecourse, world)
        elif source == "idea":
            value = str(subject.idea.pk)
        else:
            pk = subject.objects.get(source)
            value = None if pk is None else str(pk)
        if value is None:
            return None
        url = url.replace("{" + param.name + "}", value, 1)
    return "/" + url
