"""A person's own token for the JSON API: made, replaced and revoked on one page.

The key is shown once, on the page right after it is made; afterwards the page only says
that a token exists and how it starts, so a key is not left on screen for anyone passing.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from rest_framework.authtoken.models import Token

from meetings import services
from meetings.api.permissions import TokenThrottle

# The one place the key is kept between the POST that makes it and the page that shows it.
NEW_KEY = "api_token_new_key"


@never_cache
@require_GET
def api_token(request: HttpRequest) -> HttpResponse:
    """Whether the person has a token, since when, and its key just after it is made."""
    token = Token.objects.filter(user=request.user).first()
    key = request.session.pop(NEW_KEY, None)
    return render(
        request,
        "meetings/api_token.html",
        {
            "token": token,
            "key": key if token and key == token.key else "",
            "meetings_url": request.build_absolute_uri(reverse("api-meeting-list")),
            "budget": TokenThrottle.budget(),
        },
    )


@require_POST
def api_token_issue(request: HttpRequest) -> HttpResponse:
    replaced = Token.objects.filter(user=request.user).exists()
    request.session[NEW_KEY] = services.api_token_issue(user=request.user)
    if replaced:
        messages.success(request, "A new token is ready. The old one no longer works: update your programs.")
    else:
        messages.success(request, "Your API token is ready.")
    return redirect("api-token")


@require_POST
def api_token_revoke(request: HttpRequest) -> HttpResponse:
    request.session.pop(NEW_KEY, None)
    if services.api_token_revoke(user=request.user):
        messages.success(request, "Your API token is revoked: programs using it are refused from now on.")
    return redirect("api-token")
