from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "boxoffice.core"
    label = "core"
    verbose_name = "Boxoffice"
