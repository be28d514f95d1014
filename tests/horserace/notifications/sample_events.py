"""Events the notifications tests send (kinds under ``tests.``)."""

from django.utils.translation import gettext_lazy as _

from horserace.notifications import events
from horserace.notifications.events import ToPeople


@events.register
class Ping(ToPeople):
    """A mailed test event with no label: every send is new."""

    kind = "tests.sample.ping_sent"
    params = ("text",)
    subject = "{text}"
    example = {"text": "Ping"}


@events.register
class Murmur(ToPeople):
    """A test event kept in the app by default, in another area."""

    kind = "tests.other.murmur"
    params = ("text",)
    subject = "{text}"
    email = False
    label = _("Notifications")
    example = {"text": "Murmur"}


@events.register
class Weekly(ToPeople):
    """A test event whose default is the weekly digest."""

    kind = "tests.sample.weekly"
    params = ("text",)
    subject = "{text}"
    default_channel = events.Channel.WEEKLY
    area = "tests.digests"
    example = {"text": "Weekly"}
