"""The three roles as groups: viewers read, editors write records, administrators also manage users.

The groups are created by a data migration and brought up to date after every
``migrate`` (and every test-database flush), so a model added later is covered too.
"""

ROLES = ("viewer", "editor", "administrator")
USER_MODELS = ("user", "group")


def sync_roles(apps) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    meetings = Permission.objects.filter(content_type__app_label="meetings")
    # Change history is read-only for everyone: only its view permission is ever granted.
    history = meetings.filter(content_type__model__startswith="historical", codename__startswith="view_")
    records = (
        meetings.exclude(content_type__model__in=USER_MODELS).exclude(
            content_type__model__startswith="historical"
        )
        | history
    )
    users = Permission.objects.filter(
        content_type__app_label__in=["meetings", "auth"], content_type__model__in=USER_MODELS
    )
    grants = {
        "viewer": records.filter(codename__startswith="view_"),
        "editor": records,
        "administrator": records | users,
    }
    for name, permissions in grants.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def sync_roles_after_migrate(sender, apps=None, **kwargs) -> None:
    # ``flush`` sends the signal without ``apps``: the current models are right then.
    if apps is None:
        from django.apps import apps
    sync_roles(apps)
