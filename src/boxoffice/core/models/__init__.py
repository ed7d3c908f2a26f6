from .audit import AuditEntry
from .comments import Comment
from .events import Event, TicketType, Timeslot
from .jobs import Job, JobStatus, JobStep, StepOutcome
from .messages import Message
from .orders import LineKind, Order, OrderLine, Payment, PaymentMethod, Refund, buyer_copies
from .organizers import (
    ApiToken, Buyer, Device, Invitation, Membership, Organizer, ReceiptPaper, Role, TicketPaper, TwoFactorPolicy,
)
from .requests import IdempotentRequest
from .shifts import Shift
from .scans import Direction, Scan, Verdict
from .tickets import Ticket, TicketState

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Buyer",
    "buyer_copies",
    "Comment",
    "Device",
    "Event",
    "IdempotentRequest",
    "Invitation",
    "Job",
    "JobStatus",
    "JobStep",
    "StepOutcome",
    "Membership",
    "Message",
    "Order",
    "LineKind",
    "OrderLine",
    "Organizer",
    "Payment",
    "PaymentMethod",
    "ReceiptPaper",
    "Refund",
    "Role",
    "Scan",
    "Shift",
    "Direction",
    "Verdict",
    "Ticket",
    "TicketPaper",
    "TicketState",
    "TicketType",
    "Timeslot",
    "TwoFactorPolicy",
]
