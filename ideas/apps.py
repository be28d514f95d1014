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

        # Budgets are not cut below what gestation has granted.
        from contests.setup.services import register_granted_total

        from .gestation.services.resources import granted_total

        register_granted_total(granted_total)

        from ideas.gestation.selectors.pages import gestation_story
        from ideas.realization.selectors import realization_story

        from . import stories
        from .screening_entry import screening_entry_story

        stories.register("gestation", gestation_story)
        stories.register("realization", realization_story)
        stories.register("screening_entry", screening_entry_story)

        # The discussion: its rules, its chapter of the idea page, and the
        # challenge followers' news when an idea answering it is registered.
        from . import funnel
        from .discussion import rules as discussion_rules  # noqa: F401
        from .discussion.services.follows import challenge_followers_notify
        from .discussion.stories import discussion_story
        from .models import Stage

        stories.register("discussion", discussion_story)
        funnel.ON_LEAVE.setdefault(Stage.DRAFT, challenge_followers_notify)

        from horserace.accounts import leavers as accounts_leavers

        from .leavers import idea_person_leave

        accounts_leavers.register(idea_person_leave)

        # The notification events (registered as they are imported).
        from . import events  # noqa: F401
        from .discussion import events as discussion_events  # noqa: F401
        from .gestation import events as gestation_events  # noqa: F401
        from .realization import events as realization_events  # noqa: F401
