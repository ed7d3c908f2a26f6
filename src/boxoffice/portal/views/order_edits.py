"""Corrections at the desk beyond the help article (§3.10): Edit buyer and Register payment.
Each page is a form whose POST calls one service; an error shows next to the form."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from boxoffice.core.errors import DomainError, PermissionDenied
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.selectors.orders import balance_of
from boxoffice.core.services import buyers, payments
from boxoffice.portal.access import organizer_view
from boxoffice.portal.forms import EditBuyerForm, PaymentForm
from boxoffice.portal.views.order_actions import _order, _order_url, _refused, _require

INVALID_FORM = 422


def _form_page(request, code: str, *, form_class, initial: dict, act, template: str, extra=None) -> HttpResponse:
    """GET shows the form; POST runs `act(order, data)` (one service call, which returns the
    notice) and goes back to the order."""
    order = _order(request, code)
    try:
        _require(request, Permission.CHANGE_ORDERS)
    except PermissionDenied as exc:
        return _refused(request, code, exc)
    form, status, error = form_class(request.POST or None, initial=initial), 200, ""
    if request.method == "POST":
        status = INVALID_FORM
        if form.is_valid():
            try:
                notice = act(order, form.cleaned_data)
            except PermissionDenied as exc:
                return _refused(request, code, exc)
            except DomainError as exc:
                field = exc.details.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
                error, status = exc.message, exc.status
            else:
                messages.success(request, notice)
                return redirect(_order_url(order))
    context = {"order": order, "form": form, "error": error, **(extra(order) if extra else {})}
    return render(request, template, context, status=status)


@organizer_view
def edit_buyer(request, code: str) -> HttpResponse:
    def act(order, data):
        buyer = buyers.update_buyer(order, actor=request.membership, **data)
        others = buyer.orders.exclude(pk=order.pk).count()
        return f"Buyer saved: {buyer.name} <{buyer.email}>" + (f"; {others} other order{'s' if others != 1 else ''} of theirs follow." if others else ".")

    order = _order(request, code)
    buyer = order.buyer
    initial = {"name": buyer.name, "email": buyer.email, "phone": buyer.phone, "language": buyer.language}
    extra = lambda o: {"other_orders": o.buyer.orders.exclude(pk=o.pk).count()}  # noqa: E731
    return _form_page(request, code, form_class=EditBuyerForm, initial=initial, act=act,
                      template="portal/orders/edit_buyer.html", extra=extra)  # fmt: skip


@organizer_view
def register_payment(request, code: str) -> HttpResponse:
    def act(order, data):
        payment = payments.register_payment(order, actor=request.membership, **data)
        left = balance_of(payment.order).due
        return (f"Payment of {order.event.currency} {payment.amount} ({payment.get_method_display().lower()}) registered; "
                + ("the order is paid." if not left else f"{order.event.currency} {left} is still due."))  # fmt: skip

    order = _order(request, code)
    due = balance_of(order).due
    initial = {"amount": due if due else None, "method": "cash"}
    return _form_page(request, code, form_class=PaymentForm, initial=initial, act=act,
                      template="portal/orders/register_payment.html", extra=lambda o: {"balance": balance_of(o)})  # fmt: skip


urls = [
    path("o/<slug:org>/orders/<str:code>/buyer/", edit_buyer, name="edit_buyer"),
    path("o/<slug:org>/orders/<str:code>/payment/", register_payment, name="register_payment"),
]
