from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Defence meetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meetings import derived, security  # noqa: F401  (security connects the sign-in log)
        from meetings.roles import sync_roles_after_migrate

        # Runs after django.contrib.auth has created the permissions it grants.
        post_migrate.connect(sync_roles_after_migrate, sender=self)
        pre_migrate.connect(derived.before_migrate, sender=self)
        post_migrate.connect(derived.after_migrate, sender=self)
