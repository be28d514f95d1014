"""The Celery application.

With no ``CELERY_BROKER_URL`` set the broker is kombu's ``filesystem://``
transport in ``var/celery`` so a laptop needs no Redis; production points it
at Redis. Periodic schedules live in the database (django-celery-beat) and
are declared once, in ``horserace.schedules``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "horserace.settings")

app = Celery("horserace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
