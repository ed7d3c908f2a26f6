from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "boxoffice.core"
    label = "core"
    verbose_name = "Boxoffice"

    def ready(self):
        from boxoffice.core.db_guards import ensure_sqlite_triggers

        post_migrate.connect(ensure_sqlite_triggers, sender=self)
