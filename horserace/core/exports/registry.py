"""The one registry of export kinds.

A kind says who may use it, which parameters it takes, and yields a header
and rows for a requester; the writers turn them into CSV or XLSX and the
services decide whether to answer at once or run a job. Rows are plain
values (text, numbers, ISO dates): ``cells.safe_cell`` defuses them.

``clean`` validates the raw parameters (query string or JSON) and raises
``ValidationError`` (a 400 or a form error) or ``PermissionDenied`` (403);
the kind's ``header``, ``rows`` and ``count`` then take the cleaned dict,
which is what an ``ExportJob`` keeps.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _

#: Every parameter any kind takes; each is a row id.
PARAMS = ("season", "racecourse", "department", "person", "idea")

#: The largest id a row can have (``horserace.common.api.MAX_ID``: the range
#: of a bigint); not imported, since DRF's settings must not load at app start.
MAX_ID = 2**63 - 1


class ExportKind(ABC):
    """One kind of export; a subclass answers the four abstract questions."""

    slug: str = ""
    order: int = 0  # the exports page and the API list kinds by it
    title: "str | Promise" = ""  # lazy translated
    description: "str | Promise" = ""  # lazy translated
    params: tuple[str, ...] = ()  # which of PARAMS it takes
    required: tuple[str, ...] = ()  # which of them it needs

    @abstractmethod
    def allowed(self, user) -> bool:
        """Whether ``user`` may use the kind at all (the exports page lists it)."""

    def check(self, user, params: dict) -> None:
        """Raise ``PermissionDenied`` or ``ValidationError`` for these parameters
        (no further check by default)."""
        return None

    @abstractmethod
    def header(self, user, params: dict) -> list[str]:
        """The column names."""

    @abstractmethod
    def rows(self, user, params: dict) -> Iterable[list]:
        """The rows, streamed."""

    @abstractmethod
    def count(self, user, params: dict) -> int:
        """About how many rows: decides whether a job writes the file."""

    def filename(self, params: dict, fmt: str) -> str:
        parts = [self.slug] + [f"{k}-{params[k]}" for k in self.params if params.get(k)]
        return f"{slugify('-'.join(parts)) or 'export'}.{fmt}"

    def clean(self, user, raw: Mapping) -> dict:
        """The parameters as ids, checked for ``user``."""
        if not self.allowed(user):
            raise PermissionDenied(_("You may not use this export."))
        params: dict = {}
        errors: dict[str, list[str]] = {}
        for name in self.params:
            value = raw.get(name)
            if isinstance(value, list):
                value = value[-1] if value else None
            if value in (None, ""):
                if name in self.required:
                    errors[name] = [_("This parameter is required.")]
                continue
            try:
                number = int(str(value))
            except ValueError:
                number = 0
            if not 1 <= number <= MAX_ID:
                errors[name] = [_("Enter the id of a row: a whole number from 1.")]
                continue
            params[name] = number
        if errors:
            raise ValidationError(errors)
        self.check(user, params)
        return params


_KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    """Add ``kind`` (registering a slug again replaces it)."""
    _KINDS[kind.slug] = kind
    return kind


def kind_get(slug: str) -> ExportKind | None:
    return _KINDS.get(slug)


def kinds_all() -> list[ExportKind]:
    """Every kind (``kinds`` registers them when the app is ready)."""
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.slug))


def kinds_for(user) -> list[ExportKind]:
    """The kinds ``user`` may use, in the registry's order."""
    return [kind for kind in kinds_all() if kind.allowed(user)]
