from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "boxoffice.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from boxoffice.accounts import signals  # noqa: F401 — connects the receivers
