from django.db import models
from django.utils import timezone


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Job(models.Model):
    """Long work done by the worker, not in a web request: a big ticket PDF, an export, a
    whole time block moved or cancelled, a message to many buyers. It counts its progress as it goes; the page and the API
    show the same counts. A file it makes is kept here, so any web process can hand it out."""

    Status = JobStatus

    organizer = models.ForeignKey("core.Organizer", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    params = models.JSONField(default=dict)
    # The same work asked for again while a job for it is fresh gets that job (a second click).
    fingerprint = models.CharField(max_length=64, blank=True)
    order = models.ForeignKey("core.Order", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    result = models.BinaryField(null=True, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey("core.Membership", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Moved on by the worker as it goes; a running job whose heartbeat stopped lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organizer", "kind", "fingerprint"], name="job_reuse_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat_idx"),
        ]

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)

    @property
    def seconds_left(self) -> int | None:
        """From the pace so far, while it runs; None until there is one."""
        if self.status != JobStatus.RUNNING or not self.done or not self.started_at:
            return None
        elapsed = (timezone.now() - self.started_at).total_seconds()
        return max(0, round(elapsed / self.done * (self.total - self.done)))

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


class StepOutcome(models.TextChoices):
    PENDING = "pending", "Waiting"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Not done"  # it could not be done (no room, nothing left): listed in the report


class JobStep(models.Model):
    """One order's part of a job over many orders, written when the job starts (so the job
    does exactly the orders its preview showed) and marked in the transaction that does it:
    a job that resumes after its worker died skips what is marked and never does it twice."""

    Outcome = StepOutcome

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="steps")
    order = models.ForeignKey("core.Order", on_delete=models.CASCADE, related_name="+")
    # A message to a buyer with several orders is one step: the others ride along.
    other_orders = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=16, choices=StepOutcome.choices, default=StepOutcome.PENDING)
    code = models.CharField(max_length=40, blank=True)  # machine-readable: moved, no_room, ...
    detail = models.CharField(max_length=300, blank=True)  # the same in words, for the report
    tickets = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["job", "order"], name="job_step_once_per_order")]
        indexes = [models.Index(fields=["job", "outcome"], name="job_step_outcome_idx")]
