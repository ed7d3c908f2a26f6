"""The gate page for gate staff, signed in with a scanner device token (§4)."""

from django.urls import path

from boxoffice.gate import views

app_name = "gate"

urlpatterns = [
    path("", views.home, name="home"),
    path("scan/", views.scan, name="scan"),
    path("undo/", views.undo, name="undo"),
    path("counts/", views.counts, name="counts"),
    path("pair/<str:token>/", views.pair, name="pair"),
    path("signout/", views.sign_out, name="signout"),
]
