"""Offline evaluation in the browser: evaluator pools, conflicts and assignments.

``mine``              /evaluation/ — an evaluator's assignments, loads,
                      conflicts and preferences
``assignment_page``   /evaluation/racecourses/<id>/assignments/ — HR and the
                      racecourse's admins: pool, settings, the automatic
                      assignment, the matrix, loads and conflicts
``idea_conflicts``    /evaluation/ideas/<pk>/conflicts/ — the team's captain
                      declares conflicts with evaluators of the pool

Forms live here because only these pages use them. A form that fails, or a
service that refuses, re-renders the page with the errors on the form; the
one-button actions report a refusal as a message. Success redirects.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from contests.models import Racecourse
from horserace.accounts.models import User
from horserace.core.permissions import can
from ideas.models import Idea
from ideas.selectors import idea_get_visible

from ..evaluation import assignments as evaluation
from ..evaluation import conflicts as conflict_services
from ..evaluation.conflicts import DECLARED_KINDS
from ..models import Assignment, Conflict, EvaluatorPreference
from .common import racecourse_or_404

REPORT_KEY = "evaluation_auto_report"
#: Projects per page of the matrix: a main racecourse has 150 projects and
#: 40 evaluators, 6,000 cells; a page keeps the page light.
MATRIX_PAGE_SIZE = 25

# --- Forms ---------------------------------------------------------------------


def _person(user) -> str:
    department = getattr(user, "department", None)
    return f"{user} · {department}" if department else str(user)


class ConflictFields(forms.Form):
    kind = forms.ChoiceField(
        label=_lazy("Kind of conflict"),
        choices=[("", "---------"), *DECLARED_KINDS],
    )
    note = forms.CharField(
        label=_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_lazy("Optional. Seen by HR and the racecourse admins."),
    )


class OwnConflictForm(ConflictFields):
    """An evaluator declares a conflict with a project of their pools."""

    idea = forms.ModelChoiceField(
        label=_lazy("Project"), queryset=Idea.objects.none(), empty_label=None
    )
    field_order = ["idea", "kind", "note"]

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idea"].queryset = Idea.objects.filter(
            pk__in=[p.pk for p in projects]
        ).order_by("title")
        self.fields["idea"].label_from_instance = lambda idea: idea.title


class TeamConflictForm(ConflictFields):
    """The captain (or HR, an admin) names an evaluator of the pool."""

    evaluator = forms.ModelChoiceField(
        label=_lazy("Evaluator"), queryset=User.objects.none(), empty_label=None
    )
    field_order = ["evaluator", "kind", "note"]

    def __init__(self, *args, evaluators=None, **kwargs):
        super().__init__(*args, **kwargs)
        if evaluators is not None:
            self.fields["evaluator"].queryset = evaluators
        self.fields["evaluator"].label_from_instance = _person


class AdminConflictForm(TeamConflictForm):
    idea = forms.ModelChoiceField(
        label=_lazy("Project"), queryset=Idea.objects.none(), empty_label=None
    )
    field_order = ["idea", "evaluator", "kind", "note"]

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        if projects is not None:
            self.fields["idea"].queryset = projects
        self.fields["idea"].label_from_instance = lambda idea: idea.title


class SettingsForm(forms.Form):
    evaluators_per_project = forms.IntegerField(
        label=_lazy("Evaluators per project (k)"),
        min_value=1,
        max_value=evaluation.MAX_K,
        help_text=_lazy("How many evaluators score each project."),
    )
    max_projects_per_evaluator = forms.IntegerField(
        label=_lazy("Projects per evaluator at most (L)"),
        min_value=1,
        max_value=evaluation.MAX_L,
        help_text=_lazy("The automatic assignment never gives anyone more."),
    )
    conflict_same_department = forms.BooleanField(
        label=_lazy("Same department is a conflict"),
        required=False,
        help_text=_lazy(
            "An evaluator in the captain's department may not judge the project."
        ),
    )
    blind_evaluation = forms.BooleanField(
        label=_lazy("Blind evaluation"),
        required=False,
        help_text=_lazy("Evaluators do not see who is on the team."),
    )


class PoolAddForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_lazy("Evaluator"),
        queryset=User.objects.none(),
        help_text=_lazy("People with the evaluator role who are not in the pool."),
    )

    def __init__(self, *args, racecourse=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_evaluator=True, is_active=True)
            .exclude(evaluator_pools=racecourse)
            .select_related("department")
            .order_by("display_name")
        )
        self.fields["user"].label_from_instance = _person


class AssignForm(forms.Form):
    idea = forms.ModelChoiceField(
        label=_lazy("Project"), queryset=Idea.objects.none(), empty_label=None
    )
    evaluator = forms.ModelChoiceField(
        label=_lazy("Evaluator"), queryset=User.objects.none(), empty_label=None
    )
    override_load = forms.BooleanField(
        label=_lazy("Assign over the limit (L) if the evaluator is full"),
        required=False,
    )

    def __init__(self, *args, racecourse=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idea"].queryset = evaluation.evaluation_projects(
            racecourse=racecourse
        )
        self.fields["idea"].label_from_instance = lambda idea: idea.title
        self.fields["evaluator"].queryset = racecourse.evaluators.order_by(
            "display_name"
        )


class PreferenceForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_lazy("Preference"),
        choices=EvaluatorPreference.Level.choices,
        coerce=int,
    )


# --- Helpers -------------------------------------------------------------------


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _attempt(request, action, success: str) -> bool:
    """Run a one-button service call; a refusal becomes an error message."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _safe_next(request, default):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(default)


def _back_to_page(request, racecourse):
    """Back to the assignment page, on the matrix page the button was on."""
    return _safe_next(request, reverse("evaluation:assignments", args=[racecourse.pk]))


def _manageable(request, pk: int) -> Racecourse:
    racecourse = racecourse_or_404(pk)
    if not can(request.user, "voting.manage_evaluation", racecourse):
        raise PermissionDenied(
            _("Only HR and the racecourse's admins manage its evaluation.")
        )
    return racecourse


# --- The evaluator's page ------------------------------------------------------


def _mine_context(request, **forms_) -> dict:
    user = request.user
    assignments = evaluation.my_assignments(user=user)
    projects = evaluation.declarable_projects(user=user)
    return {
        "pools": evaluation.my_pools(user=user),
        "current": [a for a in assignments if a.idea.stage == evaluation.PROJECT_STAGE],
        "past": [a for a in assignments if a.idea.stage != evaluation.PROJECT_STAGE],
        "conflicts": evaluation.my_conflicts(user=user),
        "preferences": evaluation.preference_projects(user=user),
        "levels": EvaluatorPreference.Level.choices,
        "declare_form": forms_.get("declare_form")
        or OwnConflictForm(projects=projects),
        "can_declare": bool(projects),
    }


@login_required
def mine(request):
    """My evaluation: assignments, load per racecourse, conflicts, preferences."""
    return render(request, "voting/evaluation/mine.html", _mine_context(request))


@login_required
@require_POST
def conflict_declare(request):
    """An evaluator declares their own conflict with a project of their pools."""
    projects = evaluation.declarable_projects(user=request.user)
    form = OwnConflictForm(request.POST, projects=projects)
    if form.is_valid():
        try:
            conflict_services.conflict_declare(
                actor=request.user,
                idea=form.cleaned_data["idea"],
                evaluator=request.user,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Your conflict with “%(idea)s” is recorded.")
                % {"idea": form.cleaned_data["idea"].title},
            )
            return redirect("evaluation:mine")
    return render(
        request,
        "voting/evaluation/mine.html",
        _mine_context(request, declare_form=form),
    )


@login_required
@require_POST
def conflict_withdraw(request, pk: int):
    """Withdraw a declared conflict (its declarer, the captain, HR or an admin)."""
    conflict = get_object_or_404(
        Conflict.objects.select_related("idea__racecourse"), pk=pk
    )
    _attempt(
        request,
        lambda: conflict_services.conflict_withdraw(
            actor=request.user, conflict=conflict
        ),
        _("The conflict is withdrawn."),
    )
    return _safe_next(request, "evaluation:mine")


@login_required
@require_POST
def preference_set(request, pk: int):
    """An evaluator of the pool states how much they want to judge a project."""
    idea = get_object_or_404(Idea.objects.select_related("racecourse"), pk=pk)
    form = PreferenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a preference."))
        return redirect("evaluation:mine")
    _attempt(
        request,
        lambda: evaluation.preference_set(
            evaluator=request.user, idea=idea, level=form.cleaned_data["level"]
        ),
        _("Your preference for “%(idea)s” is saved.") % {"idea": idea.title},
    )
    return redirect("evaluation:mine")


# --- The captain's page --------------------------------------------------------


def _idea_conflicts_context(request, idea, form=None) -> dict:
    user = request.user
    manager = can(user, "voting.record_conflict", idea) or can(
        user, "voting.manage_evaluation", idea.racecourse
    )
    rows = conflict_services.conflict_list(ideas=[idea])
    if not manager:
        rows = rows.filter(source=Conflict.Source.TEAM)
    rows = list(rows)
    may_declare = can(user, "voting.declare_team_conflict", idea) or can(
        user, "voting.record_conflict", idea
    )
    named = Conflict.objects.filter(idea=idea).values("evaluator_id")
    evaluators = (
        idea.racecourse.evaluators.exclude(pk__in=named)
        .select_related("department")
        .order_by("display_name")
    )
    return {
        "idea": idea,
        "conflicts": rows,
        "may_declare": may_declare,
        "form": form or TeamConflictForm(evaluators=evaluators),
        "has_evaluators": evaluators.exists(),
        "in_stage": idea.stage in conflict_services.CONFLICT_STAGES,
    }


@login_required
def idea_conflicts(request, pk: int):
    """The team's conflicts with evaluators; the captain declares new ones."""
    idea = idea_get_visible(user=request.user, pk=pk)
    if not can(request.user, "voting.view_idea_conflicts", idea):
        raise PermissionDenied(_("Only the team sees its declared conflicts."))
    form = None
    if request.method == "POST":
        evaluators = idea.racecourse.evaluators.all()
        form = TeamConflictForm(request.POST, evaluators=evaluators)
        if form.is_valid():
            try:
                conflict_services.conflict_declare(
                    actor=request.user,
                    idea=idea,
                    evaluator=form.cleaned_data["evaluator"],
                    kind=form.cleaned_data["kind"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The conflict with %(name)s is recorded.")
                    % {"name": form.cleaned_data["evaluator"]},
                )
                return redirect("evaluation:idea_conflicts", pk=idea.pk)
    return render(
        request,
        "voting/evaluation/conflicts_idea.html",
        _idea_conflicts_context(request, idea, form),
    )


# --- HR and the racecourse's admins --------------------------------------------


def _matrix_cells(rows) -> list[tuple]:
    """Each row of the page with its cells' markup, built here in one pass.

    A page of the matrix is a thousand cells; rendering each through template
    tags took most of a second, ``format_html`` takes milliseconds. The
    buttons submit the two forms of the page (``form="matrix-add"`` and
    ``form="matrix-remove"``), so the cells need no JavaScript.
    """
    assign_label = _("Assign %(name)s to %(title)s")
    remove_label = _("Remove %(name)s from %(title)s")
    conflict_label = _("Conflict of interest")
    want = format_html(
        ' <i class="bi bi-hand-thumbs-up text-success" title="{}"></i>',
        _("Would like to"),
    )
    rather_not = format_html(
        ' <i class="bi bi-hand-thumbs-down text-secondary" title="{}"></i>',
        _("Rather not"),
    )
    conflict = format_html(
        '<span class="text-danger" title="{0}"><i class="bi bi-slash-circle"></i>'
        '<span class="visually-hidden">{0}</span></span>',
        conflict_label,
    )
    result = []
    for row in rows:
        cells = []
        for cell in row.cells:
            names = {"name": cell.evaluator, "title": row.idea.title}
            if cell.assignment is not None:
                icon = "bi-check2-all" if cell.status == "submitted" else "bi-check-lg"
                mark = format_html(
                    '<button type="submit" form="matrix-remove" name="assignment" '
                    'value="{}" class="btn btn-sm btn-outline-success" '
                    'aria-label="{}"><i class="bi {}"></i></button>',
                    cell.assignment.pk,
                    remove_label % names,
                    icon,
                )
            elif cell.conflicted:
                mark = conflict
            else:
                mark = format_html(
                    '<button type="submit" form="matrix-add" name="pair" '
                    'value="{}:{}" class="btn btn-sm btn-outline-secondary{}" '
                    'aria-label="{}"><i class="bi bi-plus"></i></button>',
                    row.idea.pk,
                    cell.evaluator.pk,
                    " opacity-50" if cell.full else "",
                    assign_label % names,
                )
            preference = {1: want, -1: rather_not}.get(cell.preference, "")
            cells.append(
                format_html(
                    '<td class="text-center text-nowrap">{}{}</td>', mark, preference
                )
            )
        result.append((row, mark_safe("".join(cells))))  # each part escaped above
    return result


def _conflict_projects(racecourse):
    return Idea.objects.filter(
        racecourse=racecourse, stage__in=conflict_services.CONFLICT_STAGES
    ).order_by("title")


def _assignment_context(request, racecourse, **bound) -> dict:
    matrix = evaluation.assignment_matrix(racecourse=racecourse)
    pool = racecourse.evaluators.select_related("department").order_by("display_name")
    users = {load.evaluator.pk: load.evaluator for load in matrix.loads}
    ideas = {
        idea.pk: idea
        for idea in _conflict_projects(racecourse).select_related("racecourse")
    }
    conflicts = [
        {
            "info": info,
            "idea": ideas[info.idea_id],
            "evaluator": users.get(info.evaluator_id)
            or (info.conflict.evaluator if info.conflict else None),
        }
        for info in conflict_services.conflicts_for_ideas(ideas=ideas.values())
    ]
    initial = {
        name: getattr(racecourse, name)
        for name in SettingsForm.base_fields  # the form mirrors these fields
    }
    short_only = request.GET.get("short") == "1"
    rows = matrix.short if short_only else matrix.rows
    page = Paginator(rows, MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "racecourse": racecourse,
        "matrix": matrix,
        "page": page,
        "matrix_rows": _matrix_cells(page.object_list),
        "short_only": short_only,
        "conflicts": conflicts,
        "report": request.session.pop(REPORT_KEY, None),
        "can_force": can(request.user, "contests.manage_season"),
        "settings_form": bound.get("settings_form") or SettingsForm(initial=initial),
        "pool_form": bound.get("pool_form") or PoolAddForm(racecourse=racecourse),
        "assign_form": bound.get("assign_form") or AssignForm(racecourse=racecourse),
        "conflict_form": bound.get("conflict_form")
        or AdminConflictForm(
            projects=_conflict_projects(racecourse), evaluators=pool, prefix="conflict"
        ),
    }


def _render_assignments(request, racecourse, **bound):
    return render(
        request,
        "voting/evaluation/assign_page.html",
        _assignment_context(request, racecourse, **bound),
    )


@login_required
def assignment_page(request, pk: int):
    """The assignment page: pool, settings, automatic run, matrix, conflicts."""
    racecourse = _manageable(request, pk)
    return _render_assignments(request, racecourse)


@login_required
@require_POST
def settings_update(request, pk: int):
    racecourse = _manageable(request, pk)
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            evaluation.evaluation_settings_update(
                actor=request.user, racecourse=racecourse, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The evaluation settings are saved."))
            return redirect("evaluation:assignments", pk=racecourse.pk)
    return _render_assignments(request, racecourse, settings_form=form)


@login_required
@require_POST
def pool_add(request, pk: int):
    racecourse = _manageable(request, pk)
    form = PoolAddForm(request.POST, racecourse=racecourse)
    if form.is_valid():
        user = form.cleaned_data["user"]
        try:
            evaluation.evaluator_pool_add(
                actor=request.user, racecourse=racecourse, user=user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s is in the pool.") % {"name": user})
            return redirect("evaluation:assignments", pk=racecourse.pk)
    return _render_assignments(request, racecourse, pool_form=form)


@login_required
@require_POST
def pool_remove(request, pk: int):
    racecourse = _manageable(request, pk)
    user = get_object_or_404(racecourse.evaluators, pk=request.POST.get("user") or 0)
    _attempt(
        request,
        lambda: evaluation.evaluator_pool_remove(
            actor=request.user, racecourse=racecourse, user=user
        ),
        _("%(name)s has left the pool.") % {"name": user},
    )
    return redirect("evaluation:assignments", pk=racecourse.pk)


@login_required
@require_POST
def assign_auto(request, pk: int):
    """Run the automatic assignment; its report is shown once on the page."""
    racecourse = _manageable(request, pk)
    result = evaluation.assignments_auto(actor=request.user, racecourse=racecourse)
    request.session[REPORT_KEY] = result.summary()
    created = len(result.created)
    if created:
        messages.success(
            request,
            _("%(count)d assignments were made automatically.") % {"count": created},
        )
    else:
        messages.info(request, _("Nothing to add: every assignment possible is made."))
    return redirect("evaluation:assignments", pk=racecourse.pk)


def _pair(post) -> dict:
    """The matrix's buttons send ``pair=<idea>:<evaluator>``; the form, fields."""
    data = post.copy()
    idea, _sep, evaluator = post.get("pair", "").partition(":")
    if idea and evaluator:
        data["idea"], data["evaluator"] = idea, evaluator
    return data


@login_required
@require_POST
def assignment_add(request, pk: int):
    racecourse = _manageable(request, pk)
    form = AssignForm(_pair(request.POST), racecourse=racecourse)
    if form.is_valid():
        data = form.cleaned_data
        try:
            evaluation.assignment_add(
                actor=request.user,
                idea=data["idea"],
                evaluator=data["evaluator"],
                override_load=data["override_load"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s evaluates “%(idea)s”.")
                % {"name": data["evaluator"], "idea": data["idea"].title},
            )
            return _back_to_page(request, racecourse)
    if "pair" in request.POST:  # a button of the matrix: report, then back
        for message in [e for errors in form.errors.values() for e in errors]:
            messages.error(request, message)
        return _back_to_page(request, racecourse)
    return _render_assignments(request, racecourse, assign_form=form)


@login_required
@require_POST
def assignment_remove(request, pk: int):
    racecourse = _manageable(request, pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("idea__racecourse", "evaluator"),
        pk=request.POST.get("assignment") or 0,
        idea__racecourse=racecourse,
    )
    _attempt(
        request,
        lambda: evaluation.assignment_remove(
            actor=request.user,
            assignment=assignment,
            force=request.POST.get("force") == "on",
        ),
        _("%(name)s no longer evaluates “%(idea)s”.")
        % {"name": assignment.evaluator, "idea": assignment.idea.title},
    )
    return _back_to_page(request, racecourse)


@login_required
@require_POST
def conflict_record(request, pk: int):
    """HR or an admin records a conflict between an evaluator and a project."""
    racecourse = _manageable(request, pk)
    form = AdminConflictForm(
        request.POST,
        projects=_conflict_projects(racecourse),
        evaluators=racecourse.evaluators.all(),
        prefix="conflict",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            conflict_services.conflict_declare(
                actor=request.user,
                idea=data["idea"],
                evaluator=data["evaluator"],
                kind=data["kind"],
                note=data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The conflict is recorded."))
            return redirect("evaluation:assignments", pk=racecourse.pk)
    return _render_assignments(request, racecourse, conflict_form=form)
