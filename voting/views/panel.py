"""The panel meeting and the rubric, for HR and the racecourse's admins.

``evaluation:panel`` lists the projects in calibrated order and takes the
discussion and the chair's decisions; ``evaluation:rubric`` edits the
racecourse's rubric. Both post back to themselves with an ``action``; a
refused or invalid form is shown again with its errors, a success redirects.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contests.models import Criterion, Rubric
from horserace.common.permissions import can
from ideas.models import Idea
from voting.evaluation import rubrics
from voting.evaluation.panel.board import panel_board
from voting.evaluation.panel.decision import panel_comment_add, panel_decide
from voting.evaluation.scorecards.selectors import rubric_of
from voting.evaluation.scorecards.services import COMMENT_MAX

from ..evaluation import aggregation
from ..models import PanelDecision
from .common import racecourse_or_404
from .scorecards import PanelCommentForm, apply_service_errors

# --- Forms ---------------------------------------------------------------------


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=PanelDecision.Outcome.choices
    )
    feedback = forms.CharField(
        label=gettext_lazy("Feedback for the team"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Required. The team reads it with the evaluators' comments."
        ),
    )


class RubricForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    instructions = forms.CharField(
        label=gettext_lazy("Instructions for evaluators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown above the scorecard on every project."),
    )


class CriterionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Criterion"), max_length=120)
    guidance = forms.CharField(
        label=gettext_lazy("Guidance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("What a low and a high score mean."),
    )
    scale_min = forms.IntegerField(
        label=gettext_lazy("Lowest score"),
        min_value=0,
        max_value=rubrics.SCALE_LIMIT,
        initial=1,
    )
    scale_max = forms.IntegerField(
        label=gettext_lazy("Highest score"),
        min_value=1,
        max_value=rubrics.SCALE_LIMIT,
        initial=5,
    )
    weight = forms.DecimalField(
        label=gettext_lazy("Weight"),
        min_value=Decimal("0.01"),
        max_value=rubrics.WEIGHT_MAX,
        decimal_places=2,
        initial=Decimal(1),
        help_text=gettext_lazy("Relative to the other criteria."),
    )

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if locked:
            for name in ("scale_min", "scale_max", "weight"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Frozen: submitted scorecards use this criterion."
                )


def _criterion_initial(criterion: Criterion) -> dict:
    return {
        "name": criterion.name,
        "guidance": criterion.guidance,
        "scale_min": criterion.scale_min,
        "scale_max": criterion.scale_max,
        "weight": criterion.weight,
    }


def _require_panel(user, racecourse) -> None:
    if not can(user, "voting.view_panel", racecourse):
        raise PermissionDenied(
            _("Only HR and this racecourse's admins run its panel meeting.")
        )


# --- The panel meeting ----------------------------------------------------------


def _board_idea(racecourse, request) -> Idea:
    pk = request.POST.get("idea", "")
    if not pk.isdigit():
        raise BadRequest(_("Choose a project."))
    return get_object_or_404(
        Idea.objects.select_related("racecourse"), pk=pk, racecourse=racecourse
    )


@login_required
def panel_meeting(request, racecourse_id: int):
    """Projects in calibrated order; the discussion; the chair's decisions."""
    racecourse = racecourse_or_404(racecourse_id)
    _require_panel(request.user, racecourse)
    bound: dict[int, dict] = {}
    if request.method == "POST":
        idea = _board_idea(racecourse, request)
        anchor = reverse("evaluation:panel", args=[racecourse.pk]) + (
            f"#project-{idea.pk}"
        )
        action = request.POST.get("action")
        if action == "decide":
            form = DecisionForm(request.POST, prefix=f"decide-{idea.pk}")
            if form.is_valid():
                try:
                    decision = panel_decide(
                        actor=request.user, idea=idea, **form.cleaned_data
                    )
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("Decision recorded for “%(idea)s”: %(outcome)s.")
                        % {
                            "idea": idea.title,
                            "outcome": decision.get_outcome_display(),
                        },
                    )
                    return redirect(anchor)
            bound[idea.pk] = {"decide": form}
        elif action == "comment":
            form = PanelCommentForm(request.POST, prefix=f"comment-{idea.pk}")
            if form.is_valid():
                try:
                    panel_comment_add(
                        actor=request.user, idea=idea, body=form.cleaned_data["body"]
                    )
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    messages.success(request, _("Your comment is added."))
                    return redirect(anchor)
            bound[idea.pk] = {"comment": form}
        else:
            messages.error(request, _("Unknown action."))
            return redirect("evaluation:panel", racecourse_id=racecourse.pk)
    board = panel_board(racecourse=racecourse, user=request.user)
    for row in board.rows:
        forms_of = bound.get(row.idea.pk, {})
        row.decide_form = forms_of.get("decide") or DecisionForm(
            prefix=f"decide-{row.idea.pk}"
        )
        row.comment_form = forms_of.get("comment") or PanelCommentForm(
            prefix=f"comment-{row.idea.pk}"
        )
        row.open = row.idea.pk in bound
    return render(
        request,
        "voting/evaluation/panel.html",
        {
            "racecourse": racecourse,
            "board": board,
            "flag_range": aggregation.DISAGREEMENT_RANGE,
            "flag_sd": aggregation.DISAGREEMENT_SD,
        },
    )


# --- The rubric -------------------------------------------------------------------


def _criterion_of(rubric: Rubric | None, request) -> Criterion:
    pk = request.POST.get("criterion", "")
    if rubric is None or not pk.isdigit():
        raise BadRequest(_("Choose a criterion."))
    criterion = get_object_or_404(Criterion, pk=pk, rubric=rubric)
    criterion.rubric = rubric
    return criterion


def _rubric_post(request, racecourse, rubric):
    """Run the posted action; return None on success, else the bound forms."""
    action = request.POST.get("action")
    user = request.user
    if action == "rubric":
        form = RubricForm(request.POST, prefix="rubric")
        if form.is_valid():
            try:
                rubrics.rubric_save(
                    actor=user, racecourse=racecourse, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The rubric is saved."))
                return None
        return {"rubric_form": form}
    if action == "add":
        form = CriterionForm(request.POST, prefix="new")
        if rubric is None:
            form.is_valid()
            form.add_error(None, _("Save the rubric's title first."))
        elif form.is_valid():
            try:
                rubrics.criterion_add(actor=user, rubric=rubric, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The criterion is added."))
                return None
        return {"add_form": form}
    criterion = _criterion_of(rubric, request)
    if action == "update":
        locked = criterion.pk in rubrics.criteria_in_use(rubric=rubric)
        form = CriterionForm(
            request.POST,
            prefix=f"criterion-{criterion.pk}",
            initial=_criterion_initial(criterion),
            locked=locked,
        )
        if form.is_valid():
            try:
                rubrics.criterion_update(
                    actor=user, criterion=criterion, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The criterion is saved."))
                return None
        return {"criterion_forms": {criterion.pk: form}}
    try:
        if action == "remove":
            rubrics.criterion_remove(actor=user, criterion=criterion)
            messages.success(request, _("The criterion is removed."))
        elif action in ("up", "down"):
            rubrics.criterion_move(
                actor=user, criterion=criterion, step=-1 if action == "up" else 1
            )
            messages.success(request, _("The order is saved."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return None


@login_required
def rubric_page(request, racecourse_id: int):
    """The rubric: title and instructions, criteria with scale and weight."""
    racecourse = racecourse_or_404(racecourse_id)
    if not can(request.user, "contests.manage_racecourse", racecourse):
        raise PermissionDenied(
            _("Only HR and this racecourse's admins edit its rubric.")
        )
    rubric = rubric_of(racecourse)
    bound = {}
    if request.method == "POST":
        bound = _rubric_post(request, racecourse, rubric)
        if bound is None:
            return redirect("evaluation:rubric", racecourse_id=racecourse.pk)
        rubric = rubric_of(racecourse)
    criteria = list(rubric.criteria.all()) if rubric else []
    in_use = rubrics.criteria_in_use(rubric=rubric) if rubric else set()
    bound_criteria = bound.get("criterion_forms", {})
    rows = [
        {
            "criterion": criterion,
            "in_use": criterion.pk in in_use,
            "form": bound_criteria.get(criterion.pk)
            or CriterionForm(
                prefix=f"criterion-{criterion.pk}",
                initial=_criterion_initial(criterion),
                locked=criterion.pk in in_use,
            ),
        }
        for criterion in criteria
    ]
    rubric_form = bound.get("rubric_form") or RubricForm(
        prefix="rubric",
        initial={"title": rubric.title, "instructions": rubric.instructions}
        if rubric
        else {"title": _("Offline evaluation")},
    )
    return render(
        request,
        "voting/evaluation/rubric.html",
        {
            "racecourse": racecourse,
            "rubric": rubric,
            "rubric_form": rubric_form,
            "rows": rows,
            "add_form": bound.get("add_form") or CriterionForm(prefix="new"),
            "has_submissions": rubric is not None
            and rubrics.rubric_has_submissions(rubric=rubric),
            "total_weight": sum((c.weight for c in criteria), Decimal(0)),
        },
    )
