"""The weekly innovation report: what was submitted and what advanced in a
week, and which department leads on innovation points.

Built every Monday for the week before (``horserace.core.tasks``), kept in the
app (``/reports/``) and sent to subscribers (``events``).
"""
