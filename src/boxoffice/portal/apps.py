from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "boxoffice.portal"
    label = "portal"
    verbose_name = "Operator portal"
