from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "boxoffice.delivery"
    label = "delivery"
    verbose_name = "Email delivery"
