"""The discussion's forms: a comment (or reply), a report, a hide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ideas.discussion.services.moderation import REASON_MAX
from ideas.models import Comment

# horserace.common.api.MAX_ID: not imported, as ready() loads this module
# before DRF may import that one.
MAX_ID = 2**63 - 1


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=Comment.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Markdown works. Mention a colleague with @ and the first part of "
            "their e-mail address, e.g. @ada.lovelace."
        ),
    )
    parent = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_ID
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
