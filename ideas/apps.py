from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self):
        from contests.closing import register

        from .gestation.closers import GestationCloser
        from .registration.closers import RegistrationCloser

        register(RegistrationCloser())
        register(GestationCloser())

        from ideas.selectors.gestation.pages import gestation_story

        from . import stories
        from .selectors.realization import realization_story

        stories.register("gestation", gestation_story)
        stories.register("realization", realization_story)
