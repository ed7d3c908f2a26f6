"""Forms of the setup pages. They check the shape of what was typed; every rule that needs
the database (capacity below sold, the last admin, ...) is the services' job."""

from zoneinfo import available_timezones

from django import forms
from django.utils import timezone

from boxoffice.core.models import Event, Membership, Organizer, ReceiptPaper, Role, TicketPaper

WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]
MAX_CAPACITY = 10_000_000


def _timezones() -> list[tuple[str, str]]:
    names = sorted(name for name in available_timezones() if "/" in name and not name.startswith(("Etc/", "SystemV/")))
    return [(name, name.replace("_", " ")) for name in names] + [("UTC", "UTC")]


def _local_datetime(**attrs):
    """A date and time typed in the event's timezone (the view activates it)."""
    return forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", **attrs}, format="%Y-%m-%dT%H:%M"),
    )


class EventForm(forms.Form):
    name = forms.CharField(max_length=200)
    venue = forms.CharField(max_length=200, required=False)
    address = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Printed on tickets and in their emails, so visitors find the venue.",
    )  # fmt: skip
    timezone = forms.ChoiceField(choices=_timezones, help_text="Times of this event are shown and typed in it.")
    currency = forms.CharField(
        min_length=3, max_length=3, widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
        help_text="Three letters, e.g. EUR.",
    )  # fmt: skip
    reentry_allowed = forms.BooleanField(
        required=False, label="Re-entry allowed", help_text="A visitor who scanned out may scan in again."
    )
    admit_before_minutes = forms.IntegerField(
        min_value=0, max_value=24 * 60, initial=30, label="Admit before start (minutes)",
        help_text="How early the gate lets a ticket in before its time block starts.",
    )  # fmt: skip
    admit_after_minutes = forms.IntegerField(
        min_value=0, max_value=24 * 60, initial=0, label="Admit after end (minutes)",
        help_text="How long after its time block ends a ticket still gets in.",
    )  # fmt: skip

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].upper()


class _OnEventPage(forms.Form):
    """The event page holds several forms: each gets its own element ids."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class TimeslotForm(_OnEventPage):
    id_prefix = "slot"
    start = _local_datetime()
    end = _local_datetime()
    capacity = forms.IntegerField(min_value=0, max_value=MAX_CAPACITY, help_text="Places in this time block.")


class SeriesForm(_OnEventPage):
    id_prefix = "series"
    first_day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    last_day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label="First block starts", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label="and ends", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    last_start = forms.TimeField(
        required=False, label="Last block starts (optional)", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="For several blocks a day: e.g. 16:00 with blocks every 60 minutes from 10:00.",
    )  # fmt: skip
    every_minutes = forms.IntegerField(min_value=5, max_value=24 * 60, initial=60, label="A block starts every (minutes)")
    capacity = forms.IntegerField(min_value=0, max_value=MAX_CAPACITY, help_text="Places in each time block.")
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple, initial=[d for d, _ in WEEKDAYS],
        label="On these days", error_messages={"required": "Choose at least one day of the week."},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"first_day": timezone.localdate()})  # today where the event is
        super().__init__(*args, **kwargs)


class TicketTypeForm(_OnEventPage):
    id_prefix = "type"
    name = forms.CharField(max_length=200)
    price = forms.DecimalField(min_value=0, max_digits=10, decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.01"}))
    vat_rate = forms.DecimalField(
        label="VAT %", min_value=0, max_value=100, max_digits=5, decimal_places=2, initial=0,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )  # fmt: skip
    quota = forms.IntegerField(
        min_value=1, max_value=MAX_CAPACITY, required=False, help_text="Optional limit across all time blocks."
    )
    max_per_order = forms.IntegerField(min_value=1, max_value=10_000, required=False, label="Max per order")


class TicketTypeEditForm(TicketTypeForm):
    active = forms.BooleanField(
        required=False, label="On sale", help_text="Unchecked: no longer sold; tickets already sold stay valid."
    )


class MemberForm(forms.Form):
    """A colleague is added by email and role; they choose their own password."""

    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(choices=Role.choices, initial=Role.OPERATOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ApiTokenForm(forms.Form):
    membership = forms.ModelChoiceField(queryset=Membership.objects.none(), label="Acts as", empty_label=None)
    name = forms.CharField(max_length=100, required=False, help_text="What uses it, e.g. “Web shop”.")

    def __init__(self, *args, organizer, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        field.queryset = Membership.objects.filter(organizer=organizer).select_related("user").order_by("user__username")
        field.label_from_instance = lambda m: f"{m.label} ({m.get_role_display()})"


class DeviceForm(forms.Form):
    name = forms.CharField(max_length=100)
    gate = forms.CharField(max_length=100, required=False, help_text="Shown with every scan, e.g. “Gate A”.")
    events = forms.ModelMultipleChoiceField(
        queryset=Event.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Limited to events", help_text="None checked: the device scans tickets of every event.",
    )  # fmt: skip

    def __init__(self, *args, organizer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].queryset = Event.objects.filter(organizer=organizer).order_by("name")


class SecurityForm(forms.Form):
    two_factor = forms.ChoiceField(
        label="Two-factor authentication", choices=Organizer.TwoFactor.choices, widget=forms.RadioSelect,
        help_text="Members it applies to set it up at their next sign-in. API and scanner tokens are not affected.",
    )  # fmt: skip


class PrintingForm(forms.Form):
    ticket_paper = forms.ChoiceField(
        label="Print tickets on", choices=TicketPaper.choices, widget=forms.RadioSelect,
        help_text="Emailed tickets are always A4 pages.", error_messages={"invalid_choice": "Choose one of these papers."},
    )  # fmt: skip
    receipt_paper = forms.ChoiceField(
        label="Print receipts on", choices=ReceiptPaper.choices, widget=forms.RadioSelect,
        help_text="Emailed receipts are always A4 pages.", error_messages={"invalid_choice": "Choose one of these papers."},
    )  # fmt: skip
