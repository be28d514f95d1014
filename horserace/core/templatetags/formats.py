"""The one way templates show times, days and money (a builtin library, so
no ``{% load %}`` is needed). The functions are ``horserace.common.formats``.

    {{ idea.created_at|when }}              2 Dec 2026, 15:00
    {{ registration.registered_at|when:"zone" }}   2 Dec 2026, 15:00 (UTC+8)
    {{ season.starts_on|day }}              2 Dec 2026
    {{ tranche.amount|money:plan.currency }}        ¥250,000
    {{ grant.amount|quantity:resource.unit }}       ¥80,000 / 3 days

A test (tests/horserace/common/test_template_formats.py) fails on a raw
``|date:"..."`` or a money ``|floatformat`` in any template.
"""

from django import template

from horserace.common import formats

register = template.Library()


@register.filter
def when(value, arg=""):
    return formats.when(value, zone=arg == "zone")


@register.filter
def day(value):
    return formats.day(value)


@register.filter
def money(value, currency=None):
    return formats.money(value, currency or None)


@register.filter
def quantity(value, unit="money"):
    return formats.quantity(value, unit or "money")
