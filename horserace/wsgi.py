"""WSGI entry point (gunicorn horserace.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "horserace.settings")
application = get_wsgi_application()
