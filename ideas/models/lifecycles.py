"""The status history of the ideas app's lifecycles (``ideas/lifecycles.py``)."""

from django.utils.translation import gettext_lazy as _

from horserace.common.lifecycles import StatusChangeBase


class StatusChange(StatusChangeBase):
    """One row for every status change of an invitation, a join request, a
    resource request, a trainer assignment, an investment plan or a tranche."""

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
