"""The signed-in user's own settings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from horserace.common.pages import next_or

from .forms import PreferencesForm
from .services import user_update_preferences


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_preferences(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your preferences are saved."))
        return redirect("accounts:preferences")
    return render(request, "accounts/preferences.html", {"form": form})


@require_POST
def set_language(request):
    """Switch language; a signed-in user keeps the choice on their profile."""
    language = request.POST.get("language", "")
    target = next_or(request, "/")
    response = HttpResponseRedirect(target)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        try:
            user_update_preferences(user=request.user, locale=language)
        except ValidationError:
            return response
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response
