"""What a locked-out sign-in sees (django-axes): JSON for the API, a page for people."""

from django.http import JsonResponse
from django.shortcuts import render

LOCKED_OUT = "Too many failed sign-ins. Try again in {minutes} minutes."


def lockout_response(request, original_response=None, credentials=None):
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = LOCKED_OUT.format(minutes=minutes)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    # Rendered here: axes hands this response out after the view, past Django's template rendering.
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
