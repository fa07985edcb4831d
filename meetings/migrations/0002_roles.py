"""The three roles as groups: viewers read, editors write records, administrators also manage users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECORD_MODELS = [
    "meeting",
    "meetingseries",
    "meetingcountry",
    "meetingtopic",
    "attendance",
    "action",
    "actionparty",
    "source",
    "person",
    "organization",
    "topic",
]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    records = Permission.objects.filter(
        content_type__app_label="meetings", content_type__model__in=RECORD_MODELS
    )

    viewer, _ = Group.objects.get_or_create(name="viewer")
    viewer.permissions.set(records.filter(codename__startswith="view_"))

    editor, _ = Group.objects.get_or_create(name="editor")
    editor.permissions.set(records)

    administrator, _ = Group.objects.get_or_create(name="administrator")
    users = Permission.objects.filter(
        content_type__app_label__in=["meetings", "auth"], content_type__model__in=["user", "group"]
    )
    administrator.permissions.set(records | users)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["viewer", "editor", "administrator"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
