"""The evaluator's scorecard page: the project, the rubric, the card.

One page per assigned project (``evaluation:scorecard``). It posts back to
itself: ``save`` keeps a draft, ``submit`` hands the card in (or revises it),
``comment`` adds to the panel's discussion once the card is submitted.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from horserace.common.pages import apply_service_errors
from ideas.models import Attachment
from voting.evaluation.panel.decision import comment_refusal, panel_comment_add
from voting.evaluation.scorecards.selectors import ScorecardPage, scorecard_page
from voting.evaluation.scorecards.services import (
    COMMENT_MAX,
    scorecard_save,
    scorecard_submit,
)

from ..models import Scorecard


class ScorecardForm(forms.Form):
    """One whole-number input per criterion, within its scale, and two comments."""

    team_comment = forms.CharField(
        label=gettext_lazy("Comment for the team"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "The team reads this with the panel's decision, without your name."
        ),
    )
    panel_note = forms.CharField(
        label=gettext_lazy("Private note for the panel"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Only the panel, the racecourse's admins and HR read this."
        ),
    )

    def __init__(self, *args, criteria=(), disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        score_fields = {}
        for criterion in self.criteria:
            help_text = _("From %(low)d to %(high)d · weight %(weight)s") % {
                "low": criterion.scale_min,
                "high": criterion.scale_max,
                "weight": floatformat(criterion.weight, -2),
            }
            if criterion.guidance:
                help_text = f"{criterion.guidance} ({help_text})"
            score_fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                required=False,
                min_value=criterion.scale_min,
                max_value=criterion.scale_max,
                help_text=help_text,
                widget=forms.NumberInput(
                    attrs={
                        "min": criterion.scale_min,
                        "max": criterion.scale_max,
                        "step": 1,
                    }
                ),
            )
        # Scores first, then the comments.
        self.fields = {**score_fields, **self.fields}
        if disabled:
            for form_field in self.fields.values():
                form_field.disabled = True

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}


class PanelCommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Add to the discussion"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "The panel, the racecourse's admins and HR read the discussion; the "
            "team never does."
        ),
    )


def _initial(page: ScorecardPage) -> dict:
    initial = {f"score_{pk}": value for pk, value in page.values.items()}
    if page.card is not None:
        initial["team_comment"] = page.card.team_comment
        initial["panel_note"] = page.card.panel_note
    return initial


@login_required
def scorecard(request, pk: int):
    """The project, the rubric and the evaluator's card; after submission the
    other cards and the panel's discussion."""
    page = scorecard_page(user=request.user, pk=pk)
    editable = page.refusal is None and bool(page.criteria)
    form = ScorecardForm(
        initial=_initial(page), criteria=page.criteria, disabled=not editable
    )
    comment_form = PanelCommentForm(prefix="comment")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "comment":
            comment_form = PanelCommentForm(request.POST, prefix="comment")
            if comment_form.is_valid():
                try:
                    panel_comment_add(
                        actor=request.user,
                        idea=page.idea,
                        body=comment_form.cleaned_data["body"],
                    )
                except ValidationError as error:
                    apply_service_errors(comment_form, error)
                else:
                    messages.success(request, _("Your comment is added."))
                    return redirect(
                        reverse("evaluation:scorecard", args=[pk]) + "#discussion"
                    )
        elif action in ("save", "submit"):
            form = ScorecardForm(
                request.POST,
                initial=_initial(page),
                criteria=page.criteria,
                disabled=not editable,
            )
            if form.is_valid():
                service = scorecard_submit if action == "submit" else scorecard_save
                try:
                    service(
                        actor=request.user,
                        idea=page.idea,
                        scores=form.scores(),
                        team_comment=form.cleaned_data["team_comment"],
                        panel_note=form.cleaned_data["panel_note"],
                    )
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _(
                            "Your scorecard is submitted. You can now read the "
                            "other evaluators' cards and the panel's discussion."
                        )
                        if action == "submit"
                        else _("Your draft is saved."),
                    )
                    return redirect("evaluation:scorecard", pk=pk)
        else:
            messages.error(request, _("Choose Save draft or Submit scorecard."))
    return render(
        request,
        "voting/evaluation/scorecard.html",
        {
            "page": page,
            "idea": page.idea,
            "form": form,
            "editable": editable,
            "comment_form": comment_form,
            "may_comment": page.submitted
            and comment_refusal(user=request.user, idea=page.idea) is None,
            "Status": Scorecard.Status,
        },
    )


@login_required
def proposal_attachment(request, pk: int, attachment_id: int):
    """A file of the final proposal, for the project's assigned evaluators.

    Assigned evaluators may not otherwise see the idea (a racecourse-only
    idea outside their department), so the file is served here.
    """
    try:
        page = scorecard_page(user=request.user, pk=pk)
    except PermissionDenied:
        raise Http404 from None
    attachment = get_object_or_404(
        Attachment, pk=attachment_id, idea=page.idea, kind=Attachment.Kind.PROPOSAL
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
