"""Template context shared by every page."""

from django.http import HttpRequest

NAV_ITEMS = [
    ("dashboard", "Dashboard"),
]


def navigation(request: HttpRequest) -> dict:
    return {"nav_items": NAV_ITEMS}
