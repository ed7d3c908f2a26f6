"""Every failure a service reports. The `code` is public: the API promises it, tests assert it.
The message is for an operator; the status is a hint for the HTTP layer."""


class DomainError(Exception):
    code = "domain_error"
    status = 400

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Unauthenticated(DomainError):
    code = "unauthenticated"
    status = 401


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class InvalidInput(DomainError):
    code = "validation_error"
    status = 422


class Conflict(DomainError):
    """The request is well formed but the current state forbids it."""

    status = 409


class TimeslotFull(Conflict):
    code = "timeslot_full"


class TicketTypeSoldOut(Conflict):
    code = "ticket_type_sold_out"


class MaxPerOrderExceeded(InvalidInput):
    code = "max_per_order_exceeded"


class TimeslotWrongEvent(InvalidInput):
    code = "timeslot_wrong_event"


class TicketTypeWrongEvent(InvalidInput):
    code = "ticket_type_wrong_event"


class TicketNotInOrder(InvalidInput):
    code = "ticket_not_in_order"


class TicketVoid(Conflict):
    code = "ticket_void"


class OrderRemoved(Conflict):
    code = "order_removed"


class RefundExceedsPaid(Conflict):
    code = "refund_exceeds_paid"


class CapacityBelowSold(Conflict):
    code = "capacity_below_sold"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class NothingToSend(Conflict):
    code = "nothing_to_send"


class LastAdmin(Conflict):
    """An organizer always keeps at least one admin."""

    code = "last_admin"


class AlreadyMember(Conflict):
    code = "already_member"


class InvitationInvalid(DomainError):
    """The link is not (or no longer) an open invitation; says nothing of why."""

    code = "invitation_invalid"
    status = 404


class WrongCode(InvalidInput):
    code = "wrong_code"


class WrongPassword(InvalidInput):
    code = "wrong_password"


class TwoFactorRequired(Conflict):
    code = "two_factor_required"


class TimeslotHasTickets(Conflict):
    code = "timeslot_has_tickets"


class JobNotDone(Conflict):
    code = "job_not_done"


class PaymentExceedsDue(Conflict):
    code = "payment_exceeds_due"


class BuyerEmailTaken(Conflict):
    code = "buyer_email_taken"


class TimeslotClosed(Conflict):
    code = "timeslot_closed"


class CashShort(InvalidInput):
    """The cash handed over does not cover the amount."""

    code = "cash_short"


class WalkInHasNoEmail(InvalidInput):
    """Something needs an email address that a walk-in did not give."""

    code = "walk_in_has_no_email"


class ShiftAlreadyOpen(Conflict):
    code = "shift_already_open"


class ShiftClosed(Conflict):
    code = "shift_closed"


class ShiftRequired(Conflict):
    """The organizer's desk works in shifts and the operator has none open."""

    code = "shift_required"


class BlockBusy(Conflict):
    """Another move, cancel or message job is still working on the time block."""

    code = "time_block_busy"
