"""The choices the exports page offers for each parameter, per viewer."""

from django.utils.translation import gettext as _

from contests.models import Racecourse, Season, WindowStage
from horserace.accounts.models import Department
from horserace.accounts.rules import is_hr_admin

from .registry import ExportKind


def _racecourses(user, kind: ExportKind):
    racecourses = Racecourse.objects.select_related("season").order_by(
        "-season__year", "season__name", "name"
    )
    if kind.slug == "leaderboard":
        return racecourses.filter(windows__stage=WindowStage.SCREENING).distinct()
    if not is_hr_admin(user):
        racecourses = racecourses.filter(admins=user)
    return racecourses


def field_choices(user, kind: ExportKind, name: str) -> dict:
    """``{"name", "label", "required", "options": [(value, label)]}``."""
    required = name in kind.required
    options: list[tuple[int, str]] = []
    if name == "season":
        label = _("Season")
        options = [(s.pk, s.name) for s in Season.objects.order_by("-year", "name")]
    elif name == "racecourse":
        label = _("Racecourse")
        options = [
            (r.pk, f"{r.season.name} · {r.name}") for r in _racecourses(user, kind)
        ]
    elif name == "department":
        label = _("Department")
        if is_hr_admin(user):
            options = [(d.pk, d.name) for d in Department.objects.order_by("name")]
    elif name == "idea":
        label = _("Idea")
        ideas_for = getattr(kind, "ideas_for", None)
        if ideas_for is not None:
            options = [(i.pk, i.title) for i in ideas_for(user)]
    else:
        label = name
    return {
        "name": name,
        "label": label,
        "required": required,
        "options": options,
        # A parameter the viewer has no choice in (a person's own record) is
        # left off the form.
        "hidden": name == "person" or (name == "department" and not options),
    }
