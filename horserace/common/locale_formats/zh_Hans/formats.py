"""Simplified Chinese: Django's date formats ("2026年12月2日 15:00"), and
amounts grouped by thousands with commas ("¥250,000"), as finance writes
them, instead of Django's ungrouped default."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
