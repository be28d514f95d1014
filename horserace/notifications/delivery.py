"""The e-mails: one notification at once, or a digest, each as plain text and
HTML, rendered in the reader's language (``user.locale``).

Links in a mail are absolute (the current ``Site``'s domain) and go through
the notification's ``open`` page, which marks it read before following it.
"""

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import events
from .models import Notification


def site_url() -> str:
    """``https://horserace.example.com``: where a mail's links lead."""
    protocol = getattr(settings, "ACCOUNT_DEFAULT_HTTP_PROTOCOL", "https")
    return f"{protocol}://{Site.objects.get_current().domain}"


def _language(user) -> str:
    return user.locale or settings.LANGUAGE_CODE


def _item(note: Notification, base: str) -> dict:
    subject, body = note.rendered()
    return {
        "subject": subject,
        "body": body,
        "link": base + reverse("notifications:open", args=[note.pk]),
        "created_at": note.created_at,
        "area": note.area,
    }


def _message(*, user, subject: str, template: str, context: dict):
    text = render_to_string(f"notifications/email/{template}.txt", context).strip()
    html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # no newlines in a header
        body=text + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_message(note: Notification) -> EmailMultiAlternatives:
    """The e-mail of one notification, to its recipient, in their language."""
    user = note.recipient
    base = site_url()
    with translation.override(_language(user)):
        item = _item(note, base)
        context = {
            "user": user,
            "item": item,
            "has_link": bool(note.url),
            "preferences_url": base + reverse("notifications:preferences"),
            "inbox_url": base + reverse("notifications:list"),
            "language": _language(user),
        }
        return _message(
            user=user, subject=item["subject"], template="notification", context=context
        )


def digest_message(*, user, notes: list[Notification], channel: str):
    """One e-mail listing ``notes`` grouped by area, oldest first in each."""
    base = site_url()
    with translation.override(_language(user)):
        groups: dict[str, list[dict]] = {}
        for note in notes:
            item = _item(note, base)
            label = events.area_label(item["area"]) if item["area"] else _("Other")
            groups.setdefault(label, []).append(item)
        sections = [{"label": label, "items": items} for label, items in groups.items()]
        count = len(notes)
        if channel == events.Channel.WEEKLY:
            subject = ngettext(
                "Your weekly Horserace digest: %(count)d notification",
                "Your weekly Horserace digest: %(count)d notifications",
                count,
            ) % {"count": count}
        else:
            subject = ngettext(
                "Your daily Horserace digest: %(count)d notification",
                "Your daily Horserace digest: %(count)d notifications",
                count,
            ) % {"count": count}
        context = {
            "user": user,
            "subject": subject,
            "sections": sections,
            "count": count,
            "weekly": channel == events.Channel.WEEKLY,
            "preferences_url": base + reverse("notifications:preferences"),
            "inbox_url": base + reverse("notifications:list"),
            "language": _language(user),
        }
        return _message(user=user, subject=subject, template="digest", context=context)
