"""Browser forms for gestation. They parse; the services decide."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contests.models import Resource, Trainer
from horserace.common.validators import no_bidi_controls
from ideas.models import Idea, Milestone

_AMOUNT: dict[str, Any] = {
    "max_digits": 12,
    "decimal_places": 2,
    "min_value": Decimal("0.01"),
}


def _text(label, help_text="", rows=3, max_length=None, required=True, validators=()):
    return forms.CharField(
        label=label,
        validators=list(validators),
        help_text=help_text,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ResourceRequestForm(forms.Form):
    resource = forms.ModelChoiceField(
        queryset=Resource.objects.none(),
        label=_("Resource"),
        help_text=_("Resources this racecourse has a budget for."),
    )
    amount = forms.DecimalField(
        label=_("Amount"), help_text=_("In the resource's unit."), **_AMOUNT
    )
    justification = _text(
        _("Justification"),
        _("What the team will do with it, and why it matters for the project."),
        rows=4,
    )

    def __init__(self, *args, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = Resource.objects.filter(
            season_id=idea.racecourse.season_id,
            is_active=True,
            budgets__racecourse_id=idea.racecourse_id,
        ).order_by("kind", "name")
        self.fields["resource"].label_from_instance = lambda r: (
            f"{r.name} ({r.get_kind_display()}, {r.get_unit_display()})"
        )


class GrantForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to grant"),
        required=False,
        help_text=_("Leave empty to grant the amount asked; you may grant less."),
        **_AMOUNT,
    )
    note = _text(_("Note to the team"), required=False, rows=2, max_length=2000)


class DeclineForm(forms.Form):
    reason = _text(_("Reason"), _("The team reads this."), rows=2, max_length=2000)


class QuestionForm(forms.Form):
    question = _text(_("Question"), rows=2, max_length=4000)


class AnswerForm(forms.Form):
    answer = _text(_("Your answer"), rows=3, max_length=4000)


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label=_("Milestone"), max_length=200, validators=[no_bidi_controls]
    )
    description = _text(_("Description"), required=False, rows=2)
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ProgressUpdateForm(forms.Form):
    body = _text(_("Update"), _("What the team did, learned or decided."), rows=3)
    milestone = forms.ModelChoiceField(
        queryset=Milestone.objects.none(),
        label=_("About the milestone"),
        required=False,
        empty_label=_("No particular milestone"),
    )
    milestone_done = forms.BooleanField(
        label=_("This finishes the milestone"), required=False
    )

    def __init__(self, *args, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = Milestone.objects.filter(idea=idea)


def _trainer_label(trainer: Trainer) -> str:
    load = getattr(trainer, "load", None)
    seats = f" · {load}/{trainer.capacity}" if load is not None else ""
    expertise = f" · {trainer.expertise}" if trainer.expertise else ""
    return f"{trainer.user}{expertise}{seats}"


class TrainerRequestForm(forms.Form):
    message = _text(
        _("What the team needs"),
        _("The kind of coaching that would help most."),
        rows=2,
        max_length=2000,
        required=False,
    )
    trainer = forms.ModelChoiceField(
        queryset=Trainer.objects.none(),
        label=_("Preferred trainer"),
        required=False,
        empty_label=_("No preference"),
    )

    def __init__(self, *args, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = Trainer.objects.filter(
            season_id=idea.racecourse.season_id, is_active=True
        ).select_related("user")
        self.fields["trainer"].label_from_instance = _trainer_label


class TrainerAssignForm(forms.Form):
    trainer = forms.ModelChoiceField(
        queryset=Trainer.objects.none(),
        label=_("Trainer"),
        help_text=_(
            "Active trainers of the season's pool, with teams taken / capacity."
        ),
    )

    def __init__(self, *args, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = pool.filter(is_active=True)
        self.fields["trainer"].label_from_instance = _trainer_label


class SessionForm(forms.Form):
    held_on = forms.DateField(
        label=_("Held on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), min_value=1, max_value=24 * 60, initial=60
    )
    topic = forms.CharField(
        label=_("Topic"), max_length=200, validators=[no_bidi_controls]
    )
    notes = _text(
        _("Notes"),
        _("Private to the team, its trainers and HR."),
        rows=4,
        required=False,
    )


class ProposalForm(forms.Form):
    summary = _text(
        _("Summary"),
        _("A short summary evaluators read first (500 characters at most)."),
        rows=3,
        max_length=500,
        validators=[no_bidi_controls],
    )
    document = _text(
        _("Proposal document"),
        _("The complete proposal. Markdown is supported."),
        rows=16,
    )


class ProposalFileForm(forms.Form):
    file = forms.FileField(label=_("File"))


class ExtensionForm(forms.Form):
    until = forms.DateTimeField(
        label=_("New deadline"),
        help_text=_("After the gestation window's close, in your time zone."),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    reason = _text(_("Reason"), _("The team reads this."), rows=2)


class EliminateForm(forms.Form):
    reason = _text(_("Reason"), _("The team reads this."), rows=2)
