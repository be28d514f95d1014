"""The status history of the voting app's lifecycles (``voting/lifecycles.py``)."""

from django.utils.translation import gettext_lazy as _

from horserace.common.lifecycles import StatusChangeBase


class StatusChange(StatusChangeBase):
    """One row for every status change of a scorecard."""

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
