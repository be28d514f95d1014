"""HR and the racecourse's admins: the assignment page and its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from horserace.common.pages import apply_service_errors as apply_errors
from horserace.common.pages import attempt
from horserace.common.permissions import can
from ideas.models import Idea
from voting.evaluation.assignments.assign import (
    assignment_add as evaluation_assignment_add,
)
from voting.evaluation.assignments.assign import (
    assignment_remove as evaluation_assignment_remove,
)
from voting.evaluation.assignments.assign import assignments_auto
from voting.evaluation.assignments.matrix import assignment_matrix
from voting.evaluation.assignments.pool import (
    evaluation_settings_update,
    evaluator_pool_add,
    evaluator_pool_remove,
)
from voting.evaluation.conflicts.automatic import CONFLICT_STAGES, conflicts_for_ideas
from voting.evaluation.conflicts.declared import conflict_declare

from ...models import Assignment
from .forms import AdminConflictForm, AssignForm, PoolAddForm, SettingsForm
from .helpers import back_to_page, manageable

REPORT_KEY = "evaluation_auto_report"
#: Projects per page of the matrix: a main racecourse has 150 projects and
#: 40 evaluators, 6,000 cells; a page keeps the page light.
MATRIX_PAGE_SIZE = 25


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
        racecourse=racecourse, stage__in=CONFLICT_STAGES
    ).order_by("title")


def _assignment_context(request, racecourse, **bound) -> dict:
    matrix = assignment_matrix(racecourse=racecourse)
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
        for info in conflicts_for_ideas(ideas=ideas.values())
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
    racecourse = manageable(request, pk)
    return _render_assignments(request, racecourse)


@login_required
@require_POST
def settings_update(request, pk: int):
    racecourse = manageable(request, pk)
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            evaluation_settings_update(
                actor=request.user, racecourse=racecourse, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The evaluation settings are saved."))
            return redirect("evaluation:assignments", pk=racecourse.pk)
    return _render_assignments(request, racecourse, settings_form=form)


@login_required
@require_POST
def pool_add(request, pk: int):
    racecourse = manageable(request, pk)
    form = PoolAddForm(request.POST, racecourse=racecourse)
    if form.is_valid():
        user = form.cleaned_data["user"]
        try:
            evaluator_pool_add(actor=request.user, racecourse=racecourse, user=user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s is in the pool.") % {"name": user})
            return redirect("evaluation:assignments", pk=racecourse.pk)
    return _render_assignments(request, racecourse, pool_form=form)


@login_required
@require_POST
def pool_remove(request, pk: int):
    racecourse = manageable(request, pk)
    user = get_object_or_404(racecourse.evaluators, pk=request.POST.get("user") or 0)
    attempt(
        request,
        lambda: evaluator_pool_remove(
            actor=request.user, racecourse=racecourse, user=user
        ),
        _("%(name)s has left the pool.") % {"name": user},
    )
    return redirect("evaluation:assignments", pk=racecourse.pk)


@login_required
@require_POST
def assign_auto(request, pk: int):
    """Run the automatic assignment; its report is shown once on the page."""
    racecourse = manageable(request, pk)
    result = assignments_auto(actor=request.user, racecourse=racecourse)
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
    racecourse = manageable(request, pk)
    form = AssignForm(_pair(request.POST), racecourse=racecourse)
    if form.is_valid():
        data = form.cleaned_data
        try:
            evaluation_assignment_add(
                actor=request.user,
                idea=data["idea"],
                evaluator=data["evaluator"],
                override_load=data["override_load"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s evaluates “%(idea)s”.")
                % {"name": data["evaluator"], "idea": data["idea"].title},
            )
            return back_to_page(request, racecourse)
    if "pair" in request.POST:  # a button of the matrix: report, then back
        for message in [e for errors in form.errors.values() for e in errors]:
            messages.error(request, message)
        return back_to_page(request, racecourse)
    return _render_assignments(request, racecourse, assign_form=form)


@login_required
@require_POST
def assignment_remove(request, pk: int):
    racecourse = manageable(request, pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("idea__racecourse", "evaluator"),
        pk=request.POST.get("assignment") or 0,
        idea__racecourse=racecourse,
    )
    attempt(
        request,
        lambda: evaluation_assignment_remove(
            actor=request.user,
            assignment=assignment,
            force=request.POST.get("force") == "on",
        ),
        _("%(name)s no longer evaluates “%(idea)s”.")
        % {"name": assignment.evaluator, "idea": assignment.idea.title},
    )
    return back_to_page(request, racecourse)


@login_required
@require_POST
def conflict_record(request, pk: int):
    """HR or an admin records a conflict between an evaluator and a project."""
    racecourse = manageable(request, pk)
    form = AdminConflictForm(
        request.POST,
        projects=_conflict_projects(racecourse),
        evaluators=racecourse.evaluators.all(),
        prefix="conflict",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            conflict_declare(
                actor=request.user,
                idea=data["idea"],
                evaluator=data["evaluator"],
                kind=data["kind"],
                note=data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The conflict is recorded."))
            return redirect("evaluation:assignments", pk=racecourse.pk)
    return _render_assignments(request, racecourse, conflict_form=form)
