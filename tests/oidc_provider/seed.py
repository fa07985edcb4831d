"""Makes the provider's people, groups and the app's client: python -m tests.oidc_provider.seed URL"""

import sys

import django

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

PEOPLE = {
    "olivia": ("Olivia", "Barasa", ["Meetings Editors", "Cleared Secret"]),
    "paul": ("Paul", "Kamau", ["Meetings Readers"]),
    "quinn": ("Quinn", "Otieno", ["Catering"]),
}


def main(app_url: str) -> None:
    for username, (first, last, groups) in PEOPLE.items():
        user = User.objects.create_user(
            username, f"{username}@mod.example", f"{username}-provider-pass", first_name=first, last_name=last
        )
        user.groups.set(Group.objects.get_or_create(name=name)[0] for name in groups)
    Application.objects.create(
        name="Defence meetings",
        client_id="defence-meetings",
        client_secret="client-secret-for-tests",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{app_url}/accounts/oidc/callback/",
        post_logout_redirect_uris=f"{app_url}/accounts/login/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    main(sys.argv[1])
