"""Template context shared by every page."""

from django.http import HttpRequest

NAV_ITEMS = [
    ("dashboard", "Dashboard"),
    ("meeting-list", "Meetings"),
    ("action-list", "Actions"),
    ("person-list", "People"),
    ("organization-list", "Organisations"),
    ("topic-list", "Topics"),
]


def navigation(request: HttpRequest) -> dict:
    return {"nav_items": NAV_ITEMS}
