from django.urls import include, path, re_path

from boxoffice.api.fallbacks import unknown_path
from boxoffice.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", unknown_path),
    path("gate/", include("boxoffice.gate.urls")),
    path("", include("boxoffice.accounts.views")),
    path("", include("boxoffice.portal.urls")),
]
