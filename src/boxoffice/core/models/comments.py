from django.db import models
from django.db.models import Q


class CommentScope(models.TextChoices):
    BUYER = "buyer", "Buyer"
    PURCHASE = "purchase", "Purchase"


class Comment(models.Model):
    """A buyer comment follows the buyer to every purchase; a purchase comment stays on one."""

    Scope = CommentScope

    organizer = models.ForeignKey("core.Organizer", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=16, choices=CommentScope.choices)
    buyer = models.ForeignKey("core.Buyer", null=True, blank=True, on_delete=models.PROTECT, related_name="comments")
    order = models.ForeignKey("core.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="comments")
    text = models.TextField()
    # A door note: shown on the gate's screen when one of the order's tickets is scanned.
    show_at_gate = models.BooleanField(default=False)
    author = models.ForeignKey("core.Membership", null=True, on_delete=models.SET_NULL, related_name="+")
    author_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope="buyer") & Q(buyer__isnull=False) & Q(order__isnull=True))
                | (Q(scope="purchase") & Q(order__isnull=False) & Q(buyer__isnull=True)),
                name="comment_scope_matches_target",
            ),
        ]
