# The production image: gunicorn serves Django, whitenoise serves the static
# files collected here at build time. The same image runs web, worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=horserace.settings.production

WORKDIR /app

COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .

# collectstatic reads settings, which need a SECRET_KEY; this one is used for
# nothing else and never leaves the build.
# /app/var/media exists and belongs to the app user, so the named volume
# mounted there in docker-compose.yml starts out writable.
RUN SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput \
    && useradd --system --create-home --home-dir /home/horserace horserace \
    && mkdir -p /app/var/media \
    && chown -R horserace /app/var

USER horserace
EXPOSE 8000

CMD ["gunicorn", "horserace.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
