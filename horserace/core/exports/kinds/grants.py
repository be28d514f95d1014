"""Resources asked for in gestation and tranches of realization's investment.

One row per resource request (its amount asked, granted and status) and one
per tranche (its amount and status), by racecourse and idea. HR and
racecourse admins only (their racecourses).
"""

from django.utils.translation import gettext_lazy as _

from ideas.models import Idea, ResourceRequest, Tranche
from ideas.visibility import visible_q

from ..registry import ExportKind, register
from .scope import check_racecourse, day, is_staff_exporter, racecourse_q


def _code(idea) -> str:
    registration = getattr(idea, "registration", None)
    return registration.code if registration else ""


class GrantsExport(ExportKind):
    slug = "grants"
    order = 40
    title = _("Resource grants and tranches")
    description = _(
        "Resources asked for in gestation and investment tranches in "
        "realization: amounts, status and dates."
    )
    params = ("season", "racecourse")

    def allowed(self, user) -> bool:
        return is_staff_exporter(user)

    def check(self, user, params):
        check_racecourse(user, params)

    def _visible(self, user):
        return Idea.objects.filter(visible_q(user)).values("pk")

    def _requests(self, user, params):
        return ResourceRequest.objects.filter(
            racecourse_q(user, params, "idea__racecourse"),
            idea__in=self._visible(user),
        ).order_by("idea__racecourse_id", "idea_id", "created_at", "pk")

    def _tranches(self, user, params):
        return Tranche.objects.filter(
            racecourse_q(user, params, "plan__idea__racecourse"),
            plan__idea__in=self._visible(user),
        ).order_by("plan__idea__racecourse_id", "plan__idea_id", "position", "pk")

    def header(self, user, params):
        return [
            "type",
            "racecourse",
            "idea_id",
            "registration_code",
            "title",
            "item",
            "unit",
            "amount_asked",
            "amount_granted",
            "status",
            "asked_on",
            "decided_on",
        ]

    def count(self, user, params):
        return (
            self._requests(user, params).count() + self._tranches(user, params).count()
        )

    def rows(self, user, params):
        requests = self._requests(user, params).select_related(
            "idea__racecourse", "idea__registration__season", "resource"
        )
        for r in requests.iterator(chunk_size=1000):
            yield [
                "resource",
                r.idea.racecourse.name,
                r.idea_id,
                _code(r.idea),
                r.idea.title,
                r.resource.name,
                r.resource.unit,
                r.amount,
                r.granted_amount if r.granted_amount is not None else "",
                r.status,
                day(r.created_at),
                day(r.decided_at),
            ]
        tranches = self._tranches(user, params).select_related(
            "plan__idea__racecourse", "plan__idea__registration__season"
        )
        for t in tranches.iterator(chunk_size=1000):
            idea = t.plan.idea
            released = t.status == Tranche.Status.RELEASED
            yield [
                "tranche",
                idea.racecourse.name,
                idea.pk,
                _code(idea),
                idea.title,
                f"#{t.position}: {t.milestone}",
                t.plan.currency,
                t.amount,
                t.amount if released else "",
                t.status,
                day(t.created_at),
                day(t.released_at),
            ]


register(GrantsExport())
