from django.urls import path

from boxoffice.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
]
