"""Forms of the judging page: one judgment, or taking one back."""

from django import forms
from django.utils.translation import gettext_lazy as _

from voting.models import Choice

SKIP = "skip"
MODES = [("card", _("One at a time")), ("list", _("List"))]


class JudgmentForm(forms.Form):
    """Support, oppose or skip one idea, with an optional short reason."""

    idea = forms.IntegerField(min_value=1)
    choice = forms.ChoiceField(choices=[*Choice.choices, (SKIP, _("Skip"))])
    reason = forms.CharField(label=_("Why? (optional)"), max_length=280, required=False)
    mode = forms.ChoiceField(choices=MODES, required=False)


class WithdrawForm(forms.Form):
    """Take back one's judgment of an idea while the window is open."""

    idea = forms.IntegerField(min_value=1)
    mode = forms.ChoiceField(choices=MODES, required=False)
