"""The one format for times, days and money, in both languages and two zones."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.template import engines
from django.utils import timezone, translation

from horserace.common.formats import day, money, quantity, when, zone_label

NOON_UTC = dt.datetime(2026, 12, 2, 7, 5, tzinfo=dt.UTC)


@pytest.fixture
def shanghai():
    timezone.activate(zoneinfo.ZoneInfo("Asia/Shanghai"))
    yield
    timezone.deactivate()


@pytest.mark.parametrize(
    ("zone", "lang", "expected"),
    [
        ("Asia/Shanghai", "en", "2 Dec 2026, 15:05"),
        ("Asia/Shanghai", "zh-hans", "2026年12月2日 15:05"),
        ("America/Sao_Paulo", "en", "2 Dec 2026, 04:05"),
        ("America/Sao_Paulo", "zh-hans", "2026年12月2日 04:05"),
    ],
)
def test_when_is_in_the_viewers_zone_and_language(zone, lang, expected):
    with translation.override(lang), timezone.override(zoneinfo.ZoneInfo(zone)):
        assert when(NOON_UTC) == expected


def test_when_names_the_zone_where_it_matters():
    with translation.override("en"):
        with timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
            assert when(NOON_UTC, zone=True) == "2 Dec 2026, 15:05 (UTC+8)"
        with timezone.override(zoneinfo.ZoneInfo("Asia/Kolkata")):
            assert when(NOON_UTC, zone=True) == "2 Dec 2026, 12:35 (UTC+5:30)"
        with timezone.override(dt.UTC):
            assert when(NOON_UTC, zone=True) == "2 Dec 2026, 07:05 (UTC)"
    assert zone_label(NOON_UTC.astimezone(zoneinfo.ZoneInfo("America/Sao_Paulo"))) == (
        "UTC-3"
    )


def test_day_moves_a_time_to_the_viewers_zone_first():
    late = dt.datetime(2026, 12, 2, 20, 0, tzinfo=dt.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
        with translation.override("en"):
            assert day(late) == "3 Dec 2026"
            assert day(dt.date(2026, 12, 2)) == "2 Dec 2026"
        with translation.override("zh-hans"):
            assert day(late) == "2026年12月3日"
    assert when(None) == day(None) == money(None) == ""


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("250000.00"), "CNY", "¥250,000"),
        (Decimal("80000"), None, "¥80,000"),
        (Decimal("1234.5"), "CNY", "¥1,234.50"),
        ("1000000", "USD", "$1,000,000"),
        (Decimal("0.5"), "EUR", "€0.50"),
        (Decimal("12"), "CHF", "CHF 12"),
        (Decimal("-300"), "cny", "-¥300"),
        (Decimal("999.999"), "CNY", "¥1,000"),
    ],
)
def test_money_has_a_symbol_separators_and_no_needless_decimals(
    lang, amount, currency, expected
):
    with translation.override(lang):
        assert money(amount, currency) == expected


def test_quantities_in_their_unit():
    with translation.override("en"):
        assert quantity(Decimal("80000.00"), "money") == "¥80,000"
        assert quantity(Decimal("3.00"), "days") == "3 days"
        assert quantity(Decimal("1"), "hours") == "1 hour"
        assert quantity(Decimal("2.5"), "hours") == "2.50 hours"


def test_the_filters_are_builtins_of_every_template(shanghai):
    template = engines["django"].from_string(
        "{{ t|when }}|{{ t|when:'zone' }}|{{ t|day }}|{{ a|money:'CNY' }}|"
        "{{ a|money }}|{{ q|quantity:'days' }}"
    )
    with translation.override("en"):
        text = template.render({"t": NOON_UTC, "a": Decimal("250000"), "q": 3})
    assert text == (
        "2 Dec 2026, 15:05|2 Dec 2026, 15:05 (UTC+8)|2 Dec 2026|¥250,000|¥250,000|3 days"
    )
