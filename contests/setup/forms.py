"""Forms of the set-up pages. They parse; the services validate and write."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from ..models import Challenge, Racecourse, Resource, Trainer
from ..roles import Role
from . import selectors, services


class RacecourseSettingsForm(forms.ModelForm):
    audience = forms.ChoiceField(
        label=_("Who may vote"),
        required=False,
        choices=[
            ("", _("As the kind of racecourse says")),
            ("company", _("The whole company")),
            ("department", _("Its department")),
        ],
        help_text=Racecourse._meta.get_field("audience").help_text,
    )

    class Meta:
        model = Racecourse
        fields = list(services.RACECOURSE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self):
        # The service validates the row (fields and constraints) and saves it.
        pass


class PersonField(forms.CharField):
    """A person typed as e-mail or employee number (the search box fills it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault(
            "help_text", _("Type a name, e-mail or employee number and choose.")
        )
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "autocomplete": "off",
                "list": "people",
                "hx-get": reverse_lazy("setup:people_search"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#people",
                "hx-swap": "innerHTML",
            }
        )

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        person = selectors.person_find(value)
        if person is None:
            raise forms.ValidationError(
                _("Nobody active is known as “%(value)s”."), params={"value": value}
            )
        return person


class ChallengeForm(forms.ModelForm):
    sponsor = PersonField(label=_("Sponsor"))

    class Meta:
        model = Challenge
        fields = ["title", "brief", "sponsor", "prize"]
        widgets = {"brief": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["sponsor"] = self.instance.sponsor.email

    def _post_clean(self):
        # The service validates the model; the form only parses.
        pass


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = list(services.RESOURCE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self):
        pass


class BudgetForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Budget"), min_value=0, max_digits=12, decimal_places=2
    )


class TrainerAddForm(forms.Form):
    # ``user``, as the service names it, so its refusals land on this field.
    user = PersonField(label=_("Mentor"))
    capacity = forms.IntegerField(
        label=_("Teams at most"), min_value=1, max_value=100, initial=3
    )
    expertise = forms.CharField(label=_("Expertise"), max_length=200, required=False)
    make_mentor = forms.BooleanField(
        label=_("Make them a mentor if they are not one yet"), required=False
    )


class TrainerForm(forms.ModelForm):
    class Meta:
        model = Trainer
        fields = list(services.TRAINER_FIELDS)

    def _post_clean(self):
        pass


class AppointForm(forms.Form):
    person = PersonField(label=_("Person"))


class BulkForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One person per row, by e-mail or employee number (first column, or "
            "a column headed email or employee_number)."
        ),
    )


#: The company-wide roles of the Roles page, in the order of its tabs.
COMPANY_ROLES = [Role.EVALUATOR, Role.MENTOR, Role.HR_ADMIN]
