from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Judging")

    def ready(self):
        from contests.closing import register

        from .screening.closers import ScreeningCloser
        from .screening.modes import approval  # noqa: F401  (registers the mode)

        register(ScreeningCloser())

        from ideas import stories
        from voting.screening.selectors.results import screening_story

        from .evaluation.panel.story import evaluation_story

        stories.register("screening", screening_story)
        stories.register("evaluation", evaluation_story)

        from .evaluation import events  # noqa: F401  (registers notification events)
        from .screening import events as screening_events  # noqa: F401
