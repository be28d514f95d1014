"""The set-up pages: a racecourse's settings, challenges, budgets and people;
a season's catalogue and trainer pool; the company's roles.

Each page posts back to itself with an ``action``; a refusal of the service
lands on the form. HR sees everything; a racecourse admin sees the
racecourses they run (their budgets read-only); anyone else gets a 403.
"""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from horserace.accounts.models import User
from horserace.common.converters import parse_id
from horserace.common.pages import apply_service_errors, attempt
from horserace.common.permissions import can

from ..models import Challenge, Racecourse, Resource, Season, Trainer
from ..roles import Role, RoleChange
from . import forms, selectors, services


def _racecourse(request, pk: int) -> Racecourse:
    racecourse = get_object_or_404(
        Racecourse.objects.select_related("season", "parent"), pk=pk
    )
    services.require_manager(request.user, racecourse)
    return racecourse


def _is_hr(user) -> bool:
    return can(user, "contests.manage_season")


def _submit(form, action, request, success: str) -> bool:
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    messages.success(request, success)
    return True


def _page(request, template: str, racecourse: Racecourse, tab: str, **context):
    return render(
        request,
        template,
        {"racecourse": racecourse, "tab": tab, "is_hr": _is_hr(request.user)} | context,
    )


@login_required
def people_search(request):
    """Suggestions for a person box (htmx fills a <datalist>)."""
    term = next((v for v in request.GET.values() if v.strip()), "")
    people = selectors.people_search(term=term)
    return render(request, "ideas/_people_options.html", {"people": people})


# --- A racecourse -----------------------------------------------------------------


@login_required
def racecourse_settings(request, pk: int):
    racecourse = _racecourse(request, pk)
    form = forms.RacecourseSettingsForm(request.POST or None, instance=racecourse)
    if request.method == "POST" and _submit(
        form,
        lambda data: services.racecourse_update(
            racecourse=racecourse, actor=request.user, changes=data
        ),
        request,
        _("Settings saved."),
    ):
        return redirect("setup:racecourse", racecourse.pk)
    return _page(
        request, "contests/setup/settings.html", racecourse, "settings", form=form
    )


@login_required
def challenges(request, pk: int):
    racecourse = _racecourse(request, pk)
    form = forms.ChallengeForm(request.POST or None)
    if request.method == "POST":
        challenge = None
        if "challenge" in request.POST:
            challenge = get_object_or_404(
                Challenge,
                pk=parse_id(request.POST["challenge"]) or 0,
                racecourse=racecourse,
            )
        if challenge is not None:  # close or reopen
            opening = request.POST.get("action") == "reopen"
            attempt(
                request,
                lambda: services.challenge_update(
                    challenge=challenge,
                    actor=request.user,
                    changes={"is_open": opening},
                ),
                _("Challenge reopened.") if opening else _("Challenge closed."),
            )
            return redirect("setup:challenges", racecourse.pk)
        if _submit(
            form,
            lambda data: services.challenge_create(
                racecourse=racecourse, actor=request.user, **data
            ),
            request,
            _("Challenge created."),
        ):
            return redirect("setup:challenges", racecourse.pk)
    rows = racecourse.challenges.select_related("sponsor").order_by("-is_open", "title")
    return _page(
        request,
        "contests/setup/challenges.html",
        racecourse,
        "challenges",
        form=form,
        challenges=rows,
    )


@login_required
def challenge_edit(request, pk: int):
    challenge = get_object_or_404(
        Challenge.objects.select_related("racecourse__season", "sponsor"), pk=pk
    )
    racecourse = challenge.racecourse
    services.require_manager(request.user, racecourse)
    form = forms.ChallengeForm(request.POST or None, instance=challenge)
    if request.method == "POST" and _submit(
        form,
        lambda data: services.challenge_update(
            challenge=challenge, actor=request.user, changes=data
        ),
        request,
        _("Challenge saved."),
    ):
        return redirect("setup:challenges", racecourse.pk)
    return _page(
        request,
        "contests/setup/challenge_edit.html",
        racecourse,
        "challenges",
        form=form,
        challenge=challenge,
    )


@login_required
def budgets(request, pk: int):
    """The racecourse's budgets: HR sets them; its admins may look."""
    racecourse = _racecourse(request, pk)
    is_hr = _is_hr(request.user)
    failed: dict[int, forms.BudgetForm] = {}
    if request.method == "POST":
        if not is_hr:
            raise PermissionDenied
        resource = get_object_or_404(
            Resource,
            pk=parse_id(request.POST.get("resource")) or 0,
            season=racecourse.season,
        )
        form = forms.BudgetForm(request.POST, prefix=f"r{resource.pk}")
        if _submit(
            form,
            lambda data: services.budget_set(
                racecourse=racecourse,
                resource=resource,
                actor=request.user,
                amount=data["amount"],
            ),
            request,
            _("Budget for %(resource)s saved.") % {"resource": resource},
        ):
            return redirect("setup:budgets", racecourse.pk)
        failed[resource.pk] = form
    lines = selectors.budget_lines(racecourse=racecourse)
    rows = [
        (
            line,
            failed.get(line.resource.pk)
            or forms.BudgetForm(
                prefix=f"r{line.resource.pk}", initial={"amount": line.amount}
            ),
        )
        for line in lines
    ]
    return _page(
        request, "contests/setup/budgets.html", racecourse, "budgets", rows=rows
    )


#: After a roles form: (role, its bound form, the bulk report), or Nones when done.
Bound = tuple[str | None, django_forms.Form | None, services.BulkReport | None]

_RACECOURSE_ROLES = [Role.RACECOURSE_ADMIN, Role.RACECOURSE_EVALUATOR]


def _role_actions(request, *, racecourse: Racecourse | None, roles) -> Bound:
    """Handle appoint / remove / bulk on a roles page; a redirect when done,
    else the (bound) forms to show again."""
    role = request.POST.get("role", "")
    if role not in roles:
        raise Http404
    action = request.POST.get("action")
    if action == "remove":
        person = get_object_or_404(User, pk=parse_id(request.POST.get("person")) or 0)
        attempt(
            request,
            lambda: services.role_remove(
                role=role, person=person, actor=request.user, racecourse=racecourse
            ),
            _("%(person)s no longer has this role.") % {"person": person},
        )
        return None, None, None
    if action == "bulk":
        bulk = forms.BulkForm(request.POST, request.FILES)
        report = None
        if bulk.is_valid():
            try:
                report = services.roles_bulk_appoint(
                    role=role,
                    identifiers=services.csv_identifiers(
                        bulk.cleaned_data["file"].read()
                    ),
                    actor=request.user,
                    racecourse=racecourse,
                )
            except ValidationError as error:
                apply_service_errors(bulk, error)
        if report is not None and report.applied:
            messages.success(
                request,
                _("%(new)d appointed, %(old)d already had the role.")
                % {"new": report.count("appointed"), "old": report.count("already")},
            )
        return role, bulk, report
    form = forms.AppointForm(request.POST)
    ok = _submit(
        form,
        lambda data: services.role_appoint(
            role=role, person=data["person"], actor=request.user, racecourse=racecourse
        ),
        request,
        _("Appointed."),
    )
    return (None, None, None) if ok else (role, form, None)


def _role_labels() -> dict[str, str]:
    return {
        Role.EVALUATOR: _("Evaluators"),
        Role.MENTOR: _("Mentors"),
        Role.HR_ADMIN: _("HR admins"),
        Role.RACECOURSE_ADMIN: _("Racecourse admins"),
        Role.RACECOURSE_EVALUATOR: _("Evaluator pool"),
    }


def _role_blocks(roles, racecourse, bound_role, bound_form, report):
    labels = _role_labels()
    return [
        {
            "role": role,
            "label": labels[role],
            "holders": selectors.role_holders(role=role, racecourse=racecourse),
            "form": bound_form
            if bound_role == role and isinstance(bound_form, forms.AppointForm)
            else forms.AppointForm(),
            "bulk": bound_form
            if bound_role == role and isinstance(bound_form, forms.BulkForm)
            else forms.BulkForm(),
            "report": report if bound_role == role else None,
        }
        for role in roles
    ]


@login_required
def racecourse_people(request, pk: int):
    """The racecourse's admins and evaluator pool."""
    racecourse = _racecourse(request, pk)
    bound: Bound = (None, None, None)
    if request.method == "POST":
        bound = _role_actions(request, racecourse=racecourse, roles=_RACECOURSE_ROLES)
        if bound[1] is None or (bound[2] is not None and bound[2].applied):
            return redirect("setup:people", racecourse.pk)
    return _page(
        request,
        "contests/setup/people.html",
        racecourse,
        "people",
        blocks=_role_blocks(_RACECOURSE_ROLES, racecourse, *bound),
        changes=selectors.role_change_list(racecourse=racecourse, limit=20),
    )


# --- HR: the company's roles, a season's catalogue and trainer pool ----------------


@login_required
def roles(request):
    services.require_hr(request.user)
    bound: Bound = (None, None, None)
    if request.method == "POST":
        bound = _role_actions(request, racecourse=None, roles=forms.COMPANY_ROLES)
        if bound[1] is None or (bound[2] is not None and bound[2].applied):
            return redirect(f"{request.path}#{request.POST.get('role', '')}")
    return render(
        request,
        "contests/setup/roles.html",
        {
            "blocks": _role_blocks(forms.COMPANY_ROLES, None, *bound),
            "changes": selectors.role_change_list(limit=30),
            "racecourses": selectors.racecourses_for(user=request.user)[:50],
            "sources": RoleChange.Source,
        },
    )


def _season(request, pk: int) -> Season:
    season = get_object_or_404(Season, pk=pk)
    services.require_hr(request.user)
    return season


@login_required
def resources(request, pk: int):
    season = _season(request, pk)
    editing = None
    if request.method == "POST" and request.POST.get("resource"):
        editing = get_object_or_404(
            Resource, pk=parse_id(request.POST["resource"]) or 0, season=season
        )
    form = forms.ResourceForm(request.POST or None, instance=editing)
    if request.method == "POST":
        if editing is not None:
            action = lambda data: services.resource_update(  # noqa: E731
                resource=editing, actor=request.user, changes=data
            )
        else:
            action = lambda data: services.resource_create(  # noqa: E731
                season=season, actor=request.user, **data
            )
        if _submit(form, action, request, _("Catalogue saved.")):
            return redirect("setup:resources", season.pk)
    rows = [
        (r, form if editing and editing.pk == r.pk else forms.ResourceForm(instance=r))
        for r in selectors.resource_list(season=season)
    ]
    return render(
        request,
        "contests/setup/resources.html",
        {
            "season": season,
            "rows": rows,
            "form": form if editing is None else forms.ResourceForm(),
            "racecourses": season.racecourses.all(),
        },
    )


@login_required
def trainers(request, pk: int):
    season = _season(request, pk)
    add = forms.TrainerAddForm(
        request.POST if request.POST.get("action") == "add" else None
    )
    failed: dict[int, forms.TrainerForm] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            if _submit(
                add,
                lambda data: services.trainer_add(
                    season=season,
                    user=data["user"],
                    actor=request.user,
                    capacity=data["capacity"],
                    expertise=data["expertise"],
                    make_mentor=data["make_mentor"],
                ),
                request,
                _("Trainer added."),
            ):
                return redirect("setup:trainers", season.pk)
        else:
            trainer = get_object_or_404(
                Trainer, pk=parse_id(request.POST.get("trainer")) or 0, season=season
            )
            if action == "remove":
                removed = services.trainer_remove(trainer=trainer, actor=request.user)
                messages.success(
                    request,
                    _("Trainer removed from the pool.")
                    if removed
                    else _("They have coached teams: kept, but taking no more."),
                )
                return redirect("setup:trainers", season.pk)
            form = forms.TrainerForm(
                request.POST, instance=trainer, prefix=f"t{trainer.pk}"
            )
            if _submit(
                form,
                lambda data: services.trainer_update(
                    trainer=trainer, actor=request.user, changes=data
                ),
                request,
                _("Trainer saved."),
            ):
                return redirect("setup:trainers", season.pk)
            failed[trainer.pk] = form
    rows = [
        (t, failed.get(t.pk) or forms.TrainerForm(instance=t, prefix=f"t{t.pk}"))
        for t in selectors.trainer_list(season=season)
    ]
    return render(
        request,
        "contests/setup/trainers.html",
        {"season": season, "rows": rows, "add": add},
    )
