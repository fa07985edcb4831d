from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "meetings.accounts"
    label = "accounts"
    verbose_name = "Sign-in"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meetings.accounts import directory  # noqa: F401  (notes an unreachable directory)
