"""OpenAPI: the error responses every operation can give, documented once.

Views document the errors particular to them (a 403 for a role, a 409). The
ones that come from the shared machinery can happen on every operation of a
kind, so they are added here, after the schema is generated, instead of in
dozens of ``extend_schema`` calls that a new view would forget:

- 400 on every write (input validation, a JSON body too deep or with an
  infinite number, a NUL character, a service refusing) and on every
  operation with query parameters (filters, ``page`` out of range);
- 401 on every operation that needs a login;
- 403 on every write that needs a login (CSRF for session clients, rules);
- 404 on every operation with a path parameter (no such object, or not
  visible to you);
- 415 on every operation with a request body (a body without a content type
  or in one it does not parse);
- 429 on every operation: the anonymous and user throttles cover all views,
  and failed logins are limited.

Every one of them has the shared ``Error`` shape (horserace/common/api.py).
"""

from horserace.common.api import ERROR_DESCRIPTIONS

_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_WRITES = {"post", "put", "patch", "delete"}
_METHODS = _WRITES | {"get", "head", "options", "trace"}


def _needs_login(operation: dict) -> bool:
    security = operation.get("security")
    return bool(security) and {} not in security


def _shared_errors(method: str, operation: dict) -> set[int]:
    parameters = operation.get("parameters", [])
    codes = {429}
    if method in _WRITES or any(p["in"] == "query" for p in parameters):
        codes.add(400)
    if _needs_login(operation):
        codes.add(401)
        if method in _WRITES:
            codes.add(403)
    if any(p["in"] == "path" for p in parameters):
        codes.add(404)
    if "requestBody" in operation:
        codes.add(415)
    return codes


def add_shared_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: see the module docstring."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code in _shared_errors(method, operation):
                responses.setdefault(
                    str(code),
                    {
                        "content": {"application/json": {"schema": _ERROR_REF}},
                        "description": ERROR_DESCRIPTIONS[code],
                    },
                )
            operation["responses"] = dict(sorted(responses.items()))
    return result
