from django.contrib.auth.decorators import login_not_required
from django.urls import path

from meetings.accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("oidc/authenticate/", views.oidc_start, name="oidc_authentication_init"),
    path("oidc/callback/", views.oidc_callback, name="oidc_authentication_callback"),
    path("login/code/", views.sign_in_code, name="sign-in-code"),
    path("login/set-up/", views.sign_in_enrol, name="sign-in-enrol"),
    path("two-step/", views.two_factor, name="two-factor"),
    path(
        "password_reset/",
        login_not_required(views.ThrottledPasswordResetView.as_view()),
        name="password_reset",
    ),
    path("locks/", views.sign_in_locks, name="sign-in-locks"),
    path("locks/unlock/", views.sign_in_unlock, name="sign-in-unlock"),
]
