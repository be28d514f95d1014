from django.conf import settings


def site(request):
    """Facts about this installation that templates need."""
    return {"signup_open": bool(settings.HORSERACE_SIGNUP_DOMAINS)}
