"""Every API operation, fuzzed in-process by Schemathesis, as four kinds of user.

The schema is the one ``/api/schema/`` serves, generated from the URL conf, so
an operation added tomorrow is fuzzed without editing this module. Each
operation runs as anonymous, a plain employee, an evaluator of the pool and
HR, against a small world built through the services (a season, racecourses,
ideas in several stages, a team, a pool, a rubric), with path ids mapped onto
rows that exist half of the time so that requests get past the 404s.

The checks: no 5xx, every response matches its documented schema, and every
status code returned is documented for that operation.

``make test`` runs ``SCHEMATHESIS_MAX_EXAMPLES`` (default 4) generated
examples per operation and role; ``make fuzz`` runs a longer pass with the
coverage phase (boundary and invalid values) on too.
"""

import json
import os

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from contests.models import Season, StageWindow
from ideas.models import Idea, Stage
from tests.factories import UserFactory, idea_in_stage, open_racecourse
from tests.journeys import project_world

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "4"))
COVERAGE = os.environ.get("SCHEMATHESIS_COVERAGE", "") == "1"
ROLES = ["anonymous", "employee", "evaluator", "hr"]
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


def _load_schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    # Through JSON, as a client reads it (lazy strings, enums become plain).
    document = json.loads(json.dumps(document, default=str))
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()
    schema.config.phases.coverage.enabled = COVERAGE
    return schema


schema = _load_schema()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The rows the fuzzed ids may hit, and one user per role.

    Built once for the module inside a transaction that is rolled back at
    the end; each test runs in a savepoint inside it (``db``), so what one
    operation's examples change is gone before the next operation.
    """
    # As Django's test client does: the WSGI handler would otherwise close
    # the connection after each request (on PostgreSQL), transaction and all.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            yield _build_world()
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _build_world() -> dict:
    people = project_world()
    screening = idea_in_stage(Stage.SCREENING, racecourse=open_racecourse())
    registered = idea_in_stage(Stage.REGISTERED)
    idea_in_stage(Stage.DRAFT, author=people["captain"])
    users = {
        "employee": UserFactory(display_name="Plain Employee"),
        "evaluator": people["evaluators"][0],
        "hr": people["hr"],
    }
    return {
        "users": users,
        "ids": _ids_by_resource(),
        "ideas": [people["idea"].pk, screening.pk, registered.pk],
    }


def _ids_by_resource() -> dict[str, list[int]]:
    from contests.models import Challenge, Racecourse
    from horserace.accounts.models import User

    return {
        "seasons": list(Season.objects.values_list("pk", flat=True)),
        "racecourses": list(Racecourse.objects.values_list("pk", flat=True)),
        "challenges": list(Challenge.objects.values_list("pk", flat=True)),
        "ideas": list(Idea.objects.values_list("pk", flat=True)),
        "windows": list(StageWindow.objects.values_list("pk", flat=True)),
        "users": list(User.objects.values_list("pk", flat=True)),
    }


def _resolve_ids(case, ids: dict[str, list[int]]) -> None:
    """Point path ids at existing rows for even generated values."""
    params = case.path_parameters or {}
    segments = case.path.strip("/").split("/")
    for name, value in list(params.items()):
        if not isinstance(value, int) or value % 2:
            continue
        placeholder = "{" + name + "}"
        position = segments.index(placeholder) if placeholder in segments else 0
        resource = segments[position - 1] if position else ""
        if name == "idea_id":
            resource = "ideas"
        elif name == "user_id":
            resource = "users"
        pool = ids.get(resource) or ids["ideas"]
        params[name] = pool[(value // 2) % len(pool)]


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    derandomize=os.environ.get("SCHEMATHESIS_RANDOM", "") != "1",
    database=None,
)
def test_operation(case, world, db):
    """Each generated request, sent as every role in turn, passes the checks."""
    cache.clear()  # login lockouts and throttles start afresh
    _resolve_ids(case, world["ids"])
    for role in ROLES:
        headers = {}
        if role != "anonymous":
            # A fresh token each time: the example may have been a logout.
            _, token = AuthToken.objects.create(world["users"][role])
            headers["Authorization"] = f"Token {token}"
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as exc:
            exc.add_note(f"Sent as: {role}")
            raise
