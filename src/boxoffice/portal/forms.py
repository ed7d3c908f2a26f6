from django import forms

from boxoffice.core.models import Event, Order, Timeslot


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

    def timeslot_choices(self):
        event = self.cleaned_data.get("event") if self.is_valid() else None
        return Timeslot.objects.filter(event=event).order_by("start") if event else Timeslot.objects.none()
