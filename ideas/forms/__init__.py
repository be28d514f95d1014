"""Browser forms for ideas and teams. They parse; services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contests.models import Challenge, Racecourse, Season
from contests.selectors import registration_is_open

from ..models import Idea, TeamMembership

User = get_user_model()


def _racecourse_label(racecourse: Racecourse) -> str:
    state = (
        _("registration open")
        if registration_is_open(racecourse=racecourse)
        else _("registration closed")
    )
    return f"{racecourse.name} · {racecourse.get_kind_display()} · {state}"


class IdeaForm(forms.ModelForm):
    class Meta:
        model = Idea
        fields = [
            "racecourse",
            "challenge",
            "title",
            "pitch",
            "problem",
            "proposal",
            "visibility",
            "anonymous",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "proposal": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args, season: Season | None = None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        racecourses = (
            Racecourse.objects.filter(season=season)
            .prefetch_related("windows")
            .order_by("-kind", "name")  # main, farm, then departments
        )
        self.fields["racecourse"].queryset = racecourses
        self.fields["racecourse"].label_from_instance = _racecourse_label
        self.fields["racecourse"].empty_label = None
        self.fields["challenge"].queryset = Challenge.objects.filter(
            racecourse__season=season, is_open=True
        ).select_related("racecourse")
        self.fields["challenge"].label_from_instance = lambda c: (
            f"{c.title} ({c.racecourse.name})"
        )
        self.fields["challenge"].empty_label = _("No challenge — my own idea")
        if editing:
            # An idea stays on its racecourse; promotion moves it, not editing.
            del self.fields["racecourse"]


class InviteForm(forms.Form):
    invitee = forms.CharField(
        label=_("Colleague"),
        max_length=254,
        help_text=_("E-mail address or employee number."),
        widget=forms.TextInput(attrs={"list": "people", "autocomplete": "off"}),
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_invitee(self):
        value = self.cleaned_data["invitee"].strip()
        user = User.objects.filter(
            Q(email__iexact=value) | Q(employee_number__iexact=value), is_active=True
        ).first()
        if user is None:
            raise forms.ValidationError(
                _("No active colleague with that e-mail or number.")
            )
        return user


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Team member"))

    def __init__(self, *args, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            memberships__idea=idea, memberships__role=TeamMembership.Role.MEMBER
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))


class AccessForm(forms.Form):
    """HR or a racecourse admin asks to open or unmask an idea, and says why."""

    kind = forms.ChoiceField(
        choices=[("open", _("Open")), ("unmask", _("Unmask"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Why do you need it?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the access log; the team sees it."),
    )
