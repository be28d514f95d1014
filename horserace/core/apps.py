from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "horserace.core"
    label = "core"
