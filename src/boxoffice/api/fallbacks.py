"""Keep the API's error format outside the routes too: an unknown path under /api/v1/ and a
method a route does not take answer {"code", "message"} like every other error."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt  # an API client has no CSRF cookie: it gets the API's 404, not Django's 403 page
def unknown_path(request, rest: str = ""):
    return JsonResponse({"code": "not_found", "message": f"No API endpoint {request.path}."}, status=404)


class JsonMethodNotAllowed:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            allowed = response.get("Allow", "")
            json = JsonResponse(
                {"code": "method_not_allowed", "message": f"{request.method} is not allowed here. Allowed: {allowed}."},
                status=405,
            )
            if allowed:
                json["Allow"] = allowed
            return json
        return response
