from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "horserace.core"
    label = "core"

    def ready(self):
        # Before any URL conf is imported: they use ``<id:pk>``.
        from horserace.common.converters import register

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .exports import kinds  # noqa: F401  (registers the export kinds)

        register()

        # The weekly report's notification event (registered as imported).
        from .reports import events  # noqa: F401
