from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class DirectoryImportForm(forms.Form):
    file = forms.FileField(
        label=_("Employee file (CSV)"),
        help_text=_("UTF-8, comma-separated, with the columns below."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    full = forms.BooleanField(
        label=_("This file lists every employee"),
        required=False,
        help_text=_(
            "Everyone with an employee number who is not in the file has left: "
            "they are deactivated and what they held is handed over."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Upload a .csv file."))
        # Past the upload limit the upload handler keeps only the file's size
        # (horserace.common.uploads): refuse it here, with the limit.
        limit = settings.HORSERACE_ATTACHMENT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": max(1, limit // 2**20)}
            )
        return upload
