from decimal import Decimal

from django import forms

from boxoffice.core.errors import InvalidInput
from boxoffice.core.models import Event, Order, PaymentMethod, Timeslot
from boxoffice.core.models.orders import PAYMENT_METHODS_LATER
from boxoffice.core.rules import inputs
from boxoffice.core.rules.contact import BUYER_LANGUAGES, normalize_phone
from boxoffice.core.services.sales import WALK_IN, WALK_IN_METHODS


class OrderSearchForm(forms.Form):
    q = forms.CharField(
        required=False, max_length=200, label="Search",
        widget=forms.TextInput(attrs={
            "placeholder": "Order code, email, name, phone or scan a ticket",
            "autofocus": True, "autocomplete": "off", "type": "search",
        }),
    )  # fmt: skip
    event = forms.ModelChoiceField(queryset=Event.objects.none(), required=False, empty_label="All events")
    timeslot = forms.IntegerField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=[("", "Any status"), *Order.Status.choices], required=False)
    created_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    created_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, organizer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(organizer=organizer).order_by("name")
        self.organizer = organizer

    def clean_q(self) -> str:
        try:
            return inputs.single_line(self.cleaned_data["q"], field="q", label="A search", required=False)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from None

    def timeslot_choices(self):
        event = self.cleaned_data.get("event") if self.is_valid() else None
        return Timeslot.objects.filter(event=event).order_by("start") if event else Timeslot.objects.none()


# --- Order actions (order page: comment, refund, ticket operations) ---


class CommentForm(forms.Form):
    """Shape only: the service checks the text (not blank, not too long) and the scope."""

    scope = forms.ChoiceField(choices=[("purchase", "purchase"), ("buyer", "buyer")], initial="purchase")
    text = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3}), label="Comment")
    show_at_gate = forms.BooleanField(required=False, label="Show at the gate")


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        max_digits=12, decimal_places=2, label="Amount",
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
    )  # fmt: skip
    method = forms.CharField(
        max_length=32, label="Refunded by",
        widget=forms.TextInput(attrs={"list": "refund-methods", "placeholder": "cash, card, bank transfer…"}),
    )  # fmt: skip
    reason = forms.CharField(
        max_length=2000, label="Reason", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the money is paid back."},
    )  # fmt: skip


BULK_ACTIONS = [
    ("unscanned", "Unscanned"),
    ("scanned_in", "Scanned in"),
    ("scanned_out", "Scanned out"),
    ("blacklisted", "Blacklisted"),
    ("reissue", "Reissue tickets"),
    ("change_type", "Change ticket type"),
    ("remove", "Remove tickets"),
    ("download", "Download tickets"),
]


class BulkActionForm(forms.Form):
    """Ticket operations: an action for the selected tickets. The selection is passed on as
    it came; the service checks that every barcode is a valid ticket of the order."""

    action = forms.ChoiceField(
        choices=[("", "Choose an action…"), *BULK_ACTIONS], label="Select bulk action",
        error_messages={"required": "Choose an action in Select bulk action."},
    )  # fmt: skip
    tickets = forms.Field(widget=forms.MultipleHiddenInput, error_messages={"required": "Select at least one ticket."})
    # Asked for on the confirmation of Remove tickets and Change ticket type.
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="Reason")
    to_type = forms.IntegerField(required=False, min_value=1, label="New ticket type")

    def clean_tickets(self) -> list[str]:
        barcodes = [b.strip() for b in self.cleaned_data["tickets"] if b.strip()]
        if not barcodes:
            raise forms.ValidationError("Select at least one ticket.")
        return list(dict.fromkeys(barcodes))


# --- Purchase wizard (Sell tickets, and the pencil icon on an order) ---

MAX_QUANTITY = 1000  # the sale service's limit per order


class TicketQuantitiesForm(forms.Form):
    """Step 1 of a sale: how many of each ticket type, and the time block (a radio on the
    day shown, or the one picked earlier on another day). Room is checked again on sale."""

    timeslot = forms.IntegerField(required=False)
    timeslot_selected = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, ticket_types, timeslots, **kwargs):
        super().__init__(*args, **kwargs)
        self.ticket_types = list(ticket_types)
        self.timeslots = timeslots
        for ticket_type in self.ticket_types:
            most = ticket_type.max_per_order or MAX_QUANTITY
            self.fields[f"qty_{ticket_type.pk}"] = forms.IntegerField(
                required=False, min_value=0, max_value=most, label=ticket_type.name,
                error_messages={
                    "invalid": f"{ticket_type.name}: type a whole number of tickets.",
                    "min_value": f"{ticket_type.name}: the number of tickets can't be below 0.",
                    "max_value": f"{ticket_type.name}: at most {most} per order.",
                },
            )  # fmt: skip

    def quantity_fields(self):
        return [(ticket_type, self[f"qty_{ticket_type.pk}"]) for ticket_type in self.ticket_types]

    def clean(self):
        data = super().clean()
        quantities = {}
        for ticket_type in self.ticket_types:
            if quantity := data.get(f"qty_{ticket_type.pk}"):
                quantities[str(ticket_type.pk)] = quantity
        if not quantities and not any(f"qty_{t.pk}" in self.errors for t in self.ticket_types):
            self.add_error(None, "Choose how many tickets of which type.")
        slot_id = data.get("timeslot") or data.get("timeslot_selected")
        slot = self.timeslots.filter(pk=slot_id).first() if slot_id else None
        if slot is None:
            self.add_error("timeslot", "Pick a time block below.")
        elif sum(quantities.values()) > slot.available:
            left = max(slot.available, 0)
            self.add_error("timeslot", f"That time block has {left} place{'s' if left != 1 else ''} left; {sum(quantities.values())} requested.")
        data["quantities"], data["slot"] = quantities, slot
        return data


class RescheduleForm(forms.Form):
    """Step 1 of an order edit: the time block to move to and, when the order's tickets are
    in several, which of them move ("all" or one time block)."""

    timeslot = forms.IntegerField(required=False)
    timeslot_selected = forms.IntegerField(required=False, widget=forms.HiddenInput)
    from_timeslot = forms.CharField(required=False)

    def __init__(self, *args, timeslots, order_slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.timeslots = timeslots
        self.order_slots = order_slots  # {timeslot id: live tickets of the order in it}

    def clean(self):
        data = super().clean()
        slot_id = data.get("timeslot") or data.get("timeslot_selected")
        data["slot"] = self.timeslots.filter(pk=slot_id).first() if slot_id else None
        if data["slot"] is None:
            self.add_error("timeslot", "Pick a time block below.")
        chosen = (data.get("from_timeslot") or "all").strip()
        data["from_slot"] = None
        if chosen != "all":
            if not chosen.isdigit() or int(chosen) not in self.order_slots:
                self.add_error("from_timeslot", "Choose which tickets to move.")
            else:
                data["from_slot"] = self.timeslots.filter(pk=int(chosen)).first()
        return data


def _cash_tendered() -> forms.DecimalField:
    return forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False, label="Cash tendered",
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": "Cash tendered is an amount, like 20 or 20.00.",
                        "max_decimal_places": "Cash tendered has at most two decimals."},
    )  # fmt: skip


class BuyerDetailsForm(forms.Form):
    """An empty email is a walk-in: the name may be left empty too ("Walk-in")."""

    email = forms.EmailField(
        max_length=254, label="Email", required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": "That email address is not complete: it looks like name@example.com."},
    )  # fmt: skip
    name = forms.CharField(max_length=200, required=False, label="Name")
    phone = forms.CharField(max_length=40, required=False, label="Phone", widget=forms.TextInput(attrs={"type": "tel"}))
    language = forms.ChoiceField(choices=list(BUYER_LANGUAGES.items()), label="Language")

    def __init__(self, *args, existing_buyer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_buyer = existing_buyer  # the organizer's buyer with the typed email, if any

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not normalize_phone(phone):
            raise forms.ValidationError("That does not look like a phone number.")
        return phone

    def clean(self):
        data = super().clean()
        if self.data.get("walk_in"):  # the "Walk-in, no email" button
            data["email"] = ""
            self.errors.pop("email", None)
        if not (data.get("name") or "").strip():
            if self.existing_buyer is not None and data.get("email"):
                data["name"] = self.existing_buyer.name
            elif not data.get("email") and "email" not in self.errors:
                data["name"] = WALK_IN
            elif "email" not in self.errors:
                self.add_error("name", "Enter the buyer's name.")
        return data


class PaymentDeliveryForm(forms.Form):
    payment_method = forms.ChoiceField(choices=PaymentMethod.choices, widget=forms.RadioSelect, label="Payment method")
    cash_tendered = _cash_tendered()
    send_tickets = forms.BooleanField(required=False, label="Send tickets")
    send_receipt = forms.BooleanField(required=False, label="Send payment receipt")

    def __init__(self, *args, edit: bool = False, walk_in: bool = False, due=None, **kwargs):
        super().__init__(*args, **kwargs)
        if edit:  # an existing order keeps its payment; only its tickets can be sent again
            del self.fields["payment_method"], self.fields["send_receipt"]
            if due:  # after a change, the difference can be collected here, at the desk
                self.fields["collect"] = forms.ChoiceField(
                    choices=[("later", "Later (Register payment)"), ("cash", "Cash now"), ("card", "Card now")],
                    widget=forms.RadioSelect, initial="later", label="Collect what is due",
                )
            else:
                del self.fields["cash_tendered"]
        elif walk_in:  # nowhere to email to, nobody to invoice
            del self.fields["send_tickets"], self.fields["send_receipt"]
            self.fields["payment_method"].choices = [c for c in PaymentMethod.choices if c[0] in WALK_IN_METHODS]

    def clean(self):
        data = super().clean()
        if PaymentMethod.CASH not in (data.get("payment_method"), data.get("collect")):
            data["cash_tendered"] = None  # typed, then another method chosen
        return data


class EditBuyerForm(forms.Form):
    """Shape only: the service checks the address can be mailed and the phone can be found."""

    name = forms.CharField(max_length=200, label="Name")
    email = forms.CharField(
        max_length=254, label="Email", required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(max_length=40, required=False, label="Phone", widget=forms.TextInput(attrs={"type": "tel"}))
    language = forms.ChoiceField(choices=list(BUYER_LANGUAGES.items()), label="Language")


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), label="Amount",
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
    )  # fmt: skip
    method = forms.ChoiceField(choices=[(m.value, m.label) for m in PAYMENT_METHODS_LATER], label="Paid by")
    tendered = _cash_tendered()
    reference = forms.CharField(
        max_length=100, required=False, label="Reference (optional)",
        help_text="A bank transfer's reference or a card terminal's receipt number.",
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("method") != PaymentMethod.CASH:
            data["tendered"] = None
        return data
