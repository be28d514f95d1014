"""One way to show a time, a day and an amount of money to a person.

Pages (through the ``formats`` template library, a builtin of every
template), e-mails and notifications call these; APIs do not (they keep ISO
8601 and plain decimals for machines).

- ``when``: a date and time in the viewer's time zone (the active one, see
  ``horserace.accounts.middleware``) and language: "2 Dec 2026, 15:00", or
  "2026年12月2日 15:00"; ``zone=True`` adds the zone ("UTC+8"), for times
  that are a claim or a deadline people in other offices read too.
- ``day``: a date only, in the same style ("2 Dec 2026").
- ``money``: a currency symbol, thousands separators and no needless
  decimals: "¥250,000", "¥1,234.50", "$80", "CHF 12".
- ``quantity``: an amount of a resource in its unit ("¥80,000", "3 days").

The styles are Django's localized formats (``FORMAT_MODULE_PATH`` sets the
English ones; Simplified Chinese uses Django's own).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

CURRENCY_SYMBOLS = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€"}
_CENT = Decimal("0.01")


def zone_label(value: datetime.datetime) -> str:
    """The UTC offset of an aware time, short: "UTC", "UTC+8", "UTC-3:30"."""
    offset = value.utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def when(value, *, zone: bool = False) -> str:
    """A date and time in the active time zone and language ("" for None).

    A plain date is shown as a day: a deadline stored as a date has no time.
    """
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.datetime):
        return day(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    text = formats.date_format(value, "DATETIME_FORMAT")
    if zone and timezone.is_aware(value):
        text = f"{text} ({zone_label(value)})"
    return text


def day(value) -> str:
    """A date (a datetime is first moved to the active time zone)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def number(value) -> str:
    """Thousands separators and no needless decimals: 1,234.5 -> "1,234.50",
    250000.00 -> "250,000". Cents are kept when there are any."""
    amount = _decimal(value)
    if amount is None:
        return str(value)
    amount = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    places = 0 if amount == amount.to_integral_value() else 2
    return formats.number_format(
        amount, decimal_pos=places, use_l10n=True, force_grouping=True
    )


def money(value, currency: str | None = None) -> str:
    """An amount with its currency's symbol ("¥250,000"); "" for None.

    A currency with no symbol here is shown by its code ("CHF 12").
    """
    if value in (None, ""):
        return ""
    code = (currency or default_currency()).upper()
    amount = _decimal(value)
    if amount is None:
        return str(value)
    sign = "-" if amount < 0 else ""
    text = number(abs(amount))
    symbol = CURRENCY_SYMBOLS.get(code)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{code} {text}"


def default_currency() -> str:
    return getattr(settings, "DEFAULT_CURRENCY", "CNY")


def quantity(value, unit: str = "money", currency: str | None = None) -> str:
    """An amount of a resource in its unit: money as ``money``, else a count
    with its unit ("3 days", "1 hour", "2.50 hours")."""
    if value in (None, ""):
        return ""
    if unit == "money":
        return money(value, currency)
    amount = _decimal(value)
    n = int(amount) if amount is not None and amount == int(amount) else 2
    text = number(value)
    if unit == "days":
        return ngettext("%(n)s day", "%(n)s days", n) % {"n": text}
    if unit == "hours":
        return ngettext("%(n)s hour", "%(n)s hours", n) % {"n": text}
    if unit == "slots":
        return ngettext("%(n)s slot", "%(n)s slots", n) % {"n": text}
    return gettext("%(n)s %(unit)s") % {"n": text, "unit": unit}
