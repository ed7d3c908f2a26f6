"""The gate page (§4). Gate staff sign in by pasting a scanner device token; the session keeps
the device and its token digest, so revoking the device signs the page out at its next
request. Each scan is one call of services.scanning.scan_ticket, as through the API."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boxoffice.core.errors import DomainError
from boxoffice.core.models import Device
from boxoffice.core.selectors.occupancy import door_notes, gate_counts
from boxoffice.core.services import pairing
from boxoffice.core.services.gate_undo import UNDO_REASONS, undo_admit
from boxoffice.core.services.scanning import device_event_ids, scan_ticket
from boxoffice.core.services.team import authenticate_device_token
from boxoffice.gate.forms import ScanForm, SignInForm, UndoForm

# The camera's barcode reader is WebAssembly (vendored, served from here): the gate page's
# scripts may compile it, and nothing else changes.
GATE_CSP = {**settings.SECURE_CSP, "script-src": [*settings.SECURE_CSP["script-src"], "'wasm-unsafe-eval'"]}

SESSION_DEVICE = "gate_device"
SESSION_DIGEST = "gate_device_digest"
FETCH_HEADER = "X-Gate-Fetch"  # sent by gate.js: answer with the result panel only


def signed_in_device(request) -> Device | None:
    """The session's device, if it still exists, has the same token and is not revoked."""
    device_id = request.session.get(SESSION_DEVICE)
    if device_id is None:
        return None
    device = (
        Device.objects.select_related("organizer")
        .filter(pk=device_id, digest=request.session.get(SESSION_DIGEST, ""), revoked_at__isnull=True)
        .first()
    )
    if device is None:
        _forget(request)
        messages.warning(request, "This device was signed out: its token is no longer valid.")
    return device


def device_view(view):
    """Sets request.device; without a valid device, the page asks to sign in (and gate.js,
    getting a 401, goes there)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.device = signed_in_device(request)
        if request.device is None:
            if request.headers.get(FETCH_HEADER):
                return HttpResponse("Signed out", status=401, content_type="text/plain")
            return redirect("gate:home")
        return view(request, *args, **kwargs)

    return wrapper


@csp_override(GATE_CSP)
def home(request):
    """The gate page for a signed-in device; otherwise the sign-in form."""
    device = signed_in_device(request)
    if device is not None:
        return render(request, "gate/gate.html", {"device": device, "direction": "in", **_counts(device)})
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        device = authenticate_device_token(form.cleaned_data["token"])
        if device is not None:
            _sign_in(request, device)
            return redirect("gate:home")
        form.add_error("token", "This is not a valid device token, or the device was revoked.")
    if request.method == "POST":
        status = 400
    return render(request, "gate/signin.html", {"form": form}, status=status)


def _sign_in(request, device: Device) -> None:
    request.session.cycle_key()
    request.session[SESSION_DEVICE] = device.pk
    request.session[SESSION_DIGEST] = device.digest


@require_http_methods(["GET", "POST"])
def pair(request, token: str):
    """A pairing link, opened on the phone (from the QR code): one tap signs it in as the
    device. Asking first keeps a link preview (a chat app fetching the URL) from using it."""
    if request.method == "POST":
        device = pairing.pair(token)
        if device is not None:
            _sign_in(request, device)
            messages.success(request, f"This phone scans as {device.gate or device.name}.")
            return redirect("gate:home")
        return render(request, "gate/pair.html", {"error": "This pairing link has expired or was used already: "
                                                            "ask for a new one on the device's page."}, status=400)  # fmt: skip
    return render(request, "gate/pair.html", {})


@require_POST
@device_view
def scan(request):
    form = ScanForm(request.POST)
    if not form.is_valid():
        context = {"device": request.device, "error": "Scan a ticket barcode, going in or out."}
        return _answer(request, context, status=400)
    data = form.cleaned_data
    try:
        result = scan_ticket(request.device, barcode=data["barcode"], direction=data["direction"],
                             scan_id=data["scan_id"] or None, made_at=data["made_at"])  # fmt: skip
    except ValueError as exc:
        return _answer(request, {"device": request.device, "error": f"This scan cannot be checked: {exc}."}, status=400)
    return _answer(request, {"device": request.device, "result": result, "direction": data["direction"],
                             "notes": door_notes(result.ticket), "undo_reasons": UNDO_REASONS})  # fmt: skip


@require_POST
@device_view
def undo(request):
    form = UndoForm(request.POST)
    if not form.is_valid():
        return _answer(request, {"device": request.device, "error": "Choose why the admit is undone."}, status=400)
    try:
        undone = undo_admit(request.device, scan_pk=form.cleaned_data["scan"], reason=form.cleaned_data["reason"])
    except DomainError as exc:
        return _answer(request, {"device": request.device, "error": exc.message, "level": "talk"}, status=exc.status)
    return _answer(request, {"device": request.device, "undone": undone})


@require_GET
@device_view
def counts(request):
    return render(request, "gate/_counts.html", _counts(request.device))


def _counts(device: Device) -> dict:
    return {"counts": gate_counts(device.organizer, event_ids=device_event_ids(device)), "gate_name": device.gate}


def _answer(request, context: dict, status: int = 200) -> HttpResponse:
    """The result panel for gate.js; the whole page (with the panel) for a plain form post."""
    template = "gate/_result.html" if request.headers.get(FETCH_HEADER) else "gate/gate.html"
    context.setdefault("direction", request.POST.get("direction") if request.POST.get("direction") == "out" else "in")
    return render(request, template, context, status=status)


@require_POST
def sign_out(request):
    _forget(request)
    messages.info(request, "Signed out.")
    return redirect("gate:home")


def _forget(request) -> None:
    request.session.pop(SESSION_DEVICE, None)
    request.session.pop(SESSION_DIGEST, None)
