from django.db import models


class AuditEntry(models.Model):
    """Append-only: who did what to which order or ticket, with before and after.
    Written only through core.audit.record; never updated or deleted."""

    organizer = models.ForeignKey("core.Organizer", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("core.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="history")
    actor = models.ForeignKey("core.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=64)
    target = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "audit entries"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only")
        super().save(*args, **kwargs)
