"""The classification scale: markings from lowest to highest, configured in settings.

A marking is stored as its position on the scale, so "at or below a clearance" is a
plain integer comparison that the database can index.
"""

from django.conf import settings


def levels() -> list[str]:
    return settings.CLASSIFICATION_LEVELS


def choices() -> list[tuple[int, str]]:
    return list(enumerate(levels()))


def label(level: int) -> str:
    names = levels()
    return names[level] if 0 <= level < len(names) else f"LEVEL {level}"


def highest() -> int:
    return len(levels()) - 1
