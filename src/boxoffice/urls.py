from django.urls import include, path, re_path

import boxoffice.converters  # noqa: F401 — registers <id:...>

from boxoffice.api.fallbacks import unknown_path
from boxoffice.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>[\s\S]*)$", unknown_path),  # [\s\S]: a path with a line break is unknown too
    path("gate/", include("boxoffice.gate.urls")),
    path("", include("boxoffice.accounts.views")),
    path("", include("boxoffice.portal.urls")),
]
