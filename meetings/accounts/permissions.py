"""Who may see the audit and lift sign-in locks: administrators (the role) and superusers."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def is_administrator(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name="administrator").exists()


def administrator_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_administrator(request.user):
            raise PermissionDenied("Only administrators may see this page.")
        return view(request, *args, **kwargs)

    return wrapped
