"""Forms of the season console: they parse; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from horserace.accounts.models import Department
from horserace.common.validators import no_bidi_controls

from ..models import Racecourse, Season, StageWindow, WindowStage


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's own date-and-time picker, read in the person's time zone.

    Django reads the typed value in the time zone active for the request (the
    person's, see ``UserPreferencesMiddleware``) and stores UTC, as the admin
    does (``contests.admin.LocalTimesMixin``).
    """

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def local_datetime_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )


def zone_help() -> str:
    return _("In your time zone, %(zone)s (set in your preferences).") % {
        "zone": timezone.get_current_timezone_name()
    }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def reason_field(*, required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        required=required,
        max_length=2000,
        validators=[no_bidi_controls],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with the change and shown in the window's history."),
    )


class SeasonCreateForm(forms.Form):
    """A new season: from scratch, or as a copy of an earlier one."""

    SCRATCH, COPY = "scratch", "copy"

    start = forms.ChoiceField(
        label=_("Start from"),
        choices=[
            (COPY, _("A copy of an earlier season")),
            (SCRATCH, _("Scratch: a main racecourse and no windows")),
        ],
        initial=COPY,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Name"), max_length=200, validators=[no_bidi_controls]
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)
    source = forms.ModelChoiceField(
        label=_("Season to copy"),
        queryset=Season.objects.all(),
        required=False,
        help_text=_(
            "Its racecourses (not the Innovation Farm), windows, closing rules, "
            "rubrics, resource catalogue and budgets, open challenges and "
            "trainer pool."
        ),
    )
    shift_days = forms.IntegerField(
        label=_("Move dates by (days)"),
        required=False,
        min_value=-3660,
        max_value=3660,
        help_text=_("Empty: by the difference in years, to the same calendar day."),
    )
    starts_on = forms.DateField(
        label=_("Starts on"),
        required=False,
        widget=DateInput,
        help_text=_("From scratch only: a copy moves the dates of the season copied."),
    )
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput)
    teams_per_person = forms.IntegerField(
        label=_("Teams per person"),
        min_value=1,
        max_value=50,
        initial=3,
        required=False,
        help_text=_("From scratch only: a copy keeps the season's own."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = Season.objects.order_by("-year", "-starts_on").first()
        if latest is not None:
            self.initial.setdefault("source", latest.pk)
            self.initial.setdefault("year", latest.year + 1)

    def clean(self):
        data = super().clean()
        if data.get("start") == self.COPY:
            if not data.get("source"):
                self.add_error("source", _("Choose the season to copy."))
        else:
            for name in ("starts_on", "ends_on"):
                if not data.get(name):
                    self.add_error(name, _("This field is required."))
        return data


class SeasonUpdateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, validators=[no_bidi_controls]
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    teams_per_person = forms.IntegerField(
        label=_("Teams per person"), min_value=1, max_value=50
    )


class DepartmentRacecoursesForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    promotion_quota = forms.IntegerField(
        label=_("Promotion quota"),
        min_value=0,
        max_value=1000,
        initial=3,
        help_text=_("How many ideas each promotes to the main racecourse."),
    )
    template = forms.ModelChoiceField(
        label=_("Windows and settings from"),
        queryset=Racecourse.objects.none(),
        required=False,
        empty_label=_("The main racecourse (screening closes halfway)"),
    )

    def __init__(self, *args, season: Season, **kwargs):
        super().__init__(*args, **kwargs)
        taken = Racecourse.objects.filter(season=season, department__isnull=False)
        departments = self.fields["departments"]
        template = self.fields["template"]
        assert isinstance(departments, forms.ModelMultipleChoiceField)
        assert isinstance(template, forms.ModelChoiceField)
        departments.queryset = Department.objects.exclude(
            pk__in=taken.values("department_id")
        ).order_by("name")
        template.queryset = Racecourse.objects.filter(
            season=season, kind=Racecourse.Kind.DEPARTMENT
        ).order_by("name")


class WindowTimesForm(forms.Form):
    opens_at = local_datetime_field(_("Opens at"))
    closes_at = local_datetime_field(_("Closes at"))

    def __init__(self, *args, reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name].help_text = zone_help()
        self.fields["reason"] = reason_field(required=reason_required)


class WindowCreateForm(WindowTimesForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=WindowStage.choices)
    rule = forms.ChoiceField(
        label=_("Closing rule"),
        choices=StageWindow.Rule.choices,
        initial=StageWindow.Rule.MANUAL,
    )
    top_k = forms.IntegerField(label=_("K (top K)"), min_value=1, required=False)
    threshold_rate = forms.DecimalField(
        label=_("Minimum support rate"),
        min_value=0,
        max_value=1,
        max_digits=4,
        decimal_places=3,
        required=False,
    )

    field_order = ["stage", "opens_at", "closes_at", "rule", "top_k", "threshold_rate"]

    def __init__(self, *args, missing: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(WindowStage.choices)
        stage = self.fields["stage"]
        assert isinstance(stage, forms.ChoiceField)
        stage.choices = [(s, labels[s]) for s in missing]
        self.order_fields(self.field_order)

    def settings(self) -> dict:
        data = self.cleaned_data
        return {
            "rule": data["rule"],
            "top_k": data.get("top_k"),
            "threshold_rate": data.get("threshold_rate"),
        }


class CloseEarlyForm(forms.Form):
    def __init__(self, *args, reason_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = reason_field(required=reason_required)
