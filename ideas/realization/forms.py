"""Browser forms for realization. They parse; the services decide."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from horserace.accounts.models import Department
from horserace.common.validators import no_bidi_controls
from ideas.models import Idea, Outcome
from ideas.realization.selectors import team_members

User = get_user_model()


class _DateInput(forms.DateInput):
    input_type = "date"


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What became of the project"),
        choices=Outcome.Kind.choices,
        widget=forms.RadioSelect,
    )
    department = forms.ModelChoiceField(
        label=_("Adopting department"),
        queryset=Department.objects.order_by("name"),
        required=False,
        help_text=_("For an adoption: the department that takes the project on."),
    )
    owner = forms.CharField(
        label=_("Owner"),
        required=False,
        max_length=254,
        help_text=_(
            "E-mail address or employee number of the person who answers for it "
            "in the adopting department or venture."
        ),
    )
    venture_name = forms.CharField(
        label=_("Venture name"),
        required=False,
        max_length=200,
        help_text=_("For a new venture."),
        validators=[no_bidi_controls],
    )
    launched_on = forms.DateField(
        label=_("Launched on"),
        required=False,
        widget=_DateInput,
        help_text=_("For a product launch."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_owner(self):
        value = self.cleaned_data["owner"].strip()
        if not value:
            return None
        user = User.objects.filter(
            Q(email__iexact=value) | Q(employee_number__iexact=value), is_active=True
        ).first()
        if user is None:
            raise forms.ValidationError(
                _("No active colleague with that e-mail or number.")
            )
        return user


class AllocationForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Team member"),
        queryset=User.objects.none(),
        help_text=_("Their manager on record is asked to approve."),
    )
    share = forms.IntegerField(
        label=_("Share of working time (%)"),
        min_value=1,
        max_value=100,
        help_text=_("100 = full time; 20 = one day a week."),
    )

    def __init__(self, *args, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = team_members(idea=idea)
        self.fields["member"].label_from_instance = lambda u: (
            _("%(name)s (manager: %(manager)s)")
            % {"name": u, "manager": u.manager or _("none on record")}
        )


class AllocationDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you decline; the member and the captain read it."),
    )


class TrancheForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    milestone = forms.CharField(
        label=_("Milestone"),
        max_length=300,
        help_text=_("What the team must reach for this tranche to be released."),
        validators=[no_bidi_controls],
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=_DateInput)


TrancheFormSet = forms.formset_factory(TrancheForm, extra=4, max_num=20)


class PlanForm(forms.Form):
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        min_length=3,
        initial="CNY",
        help_text=_("Three-letter code, e.g. CNY."),
    )


class ReviewForm(forms.Form):
    review = forms.CharField(
        label=_("Milestone review"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "How the milestone was reached, with evidence. HR reads it before "
            "releasing the tranche."
        ),
    )


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the team"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SendBackForm(forms.Form):
    note = forms.CharField(
        label=_("What is missing"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The team reads this and submits a new review."),
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The team reads it. Unreleased tranches are cancelled and the "
            "project leaves the race."
        ),
    )
