from django.apps import AppConfig


class GateConfig(AppConfig):
    name = "boxoffice.gate"
    label = "gate"
    verbose_name = "Gate page"
