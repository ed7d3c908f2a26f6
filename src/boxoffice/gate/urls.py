"""The gate page for gate staff, signed in with a scanner device token (§4)."""

from django.urls import path

from boxoffice.gate import views

app_name = "gate"

urlpatterns = [
    path("", views.home, name="home"),
    path("scan/", views.scan, name="scan"),
    path("signout/", views.sign_out, name="signout"),
]
