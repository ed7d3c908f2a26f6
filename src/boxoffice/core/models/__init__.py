from .audit import AuditEntry
from .comments import Comment
from .events import Event, TicketType, Timeslot
from .messages import Message
from .orders import Order, OrderLine, Payment, PaymentMethod, Refund
from .organizers import ApiToken, Buyer, Device, Invitation, Membership, Organizer, Role, TwoFactorPolicy
from .requests import IdempotentRequest
from .scans import Direction, Scan, Verdict
from .tickets import Ticket, TicketState

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Buyer",
    "Comment",
    "Device",
    "Event",
    "IdempotentRequest",
    "Invitation",
    "Membership",
    "Message",
    "Order",
    "OrderLine",
    "Organizer",
    "Payment",
    "PaymentMethod",
    "Refund",
    "Role",
    "Scan",
    "Direction",
    "Verdict",
    "Ticket",
    "TicketState",
    "TicketType",
    "Timeslot",
    "TwoFactorPolicy",
]
