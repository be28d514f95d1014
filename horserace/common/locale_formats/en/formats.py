"""English display formats: one style for every date on every page.

Django's own English formats mix "Dec. 2, 2026" (DATE_FORMAT) and
"12/02/2026" (SHORT_DATE_FORMAT); Horserace shows "2 Dec 2026" and
"2 Dec 2026, 15:00" everywhere (``horserace.common.formats``). Input formats
are not set here, so Django's own still parse what people type.
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
