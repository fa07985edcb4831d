"""The sign-in page, password reset and the administrator's sign-in locks page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from meetings.accounts import throttling
from meetings.accounts.permissions import administrator_required
from meetings.audit.models import Event
from meetings.audit.record import sign_in_event

TOO_MANY = 429


class SignInForm(AuthenticationForm):
    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            refusal = getattr(self.request, "sign_in_refusal", None)
            if refusal is not None and refusal.reason != "name-and-address":
                raise ValidationError(refusal.message, code="throttled") from None
            raise


class SignInView(auth_views.LoginView):
    form_class = SignInForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(self.request, "sign_in_refusal", None) is not None:
            response.status_code = TOO_MANY
        return response


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin signs in through the app's own page, throttling and second factor included."""
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Sends at most a few mails an hour to one address, and answers one network address
    only so often. An account over its limit gets the usual answer and no mail, so the
    page tells nobody whether an account exists."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        address_allowed, account_allowed = throttling.password_reset_allowed(self.request, email)
        sent = address_allowed and account_allowed
        sign_in_event(self.request, Event.Kind.PASSWORD_RESET, email, sent=sent)
        if not address_allowed:
            form.add_error("email", "Too many reset requests from your address: try again in an hour.")
            response = self.form_invalid(form)
            response.status_code = TOO_MANY
            return response
        if not account_allowed:
            return redirect(self.get_success_url())
        return super().form_valid(form)


@administrator_required
def sign_in_locks(request: HttpRequest) -> HttpResponse:
    context = {"locked": throttling.locked_names(), "lock_after": settings.SIGN_IN_LOCK_AFTER}
    return render(request, "accounts/sign_in_locks.html", context)


@require_POST
@administrator_required
def sign_in_unlock(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "").strip()
    if username:
        throttling.unlock(username, by=request.user, request=request)
        messages.success(request, f"“{username}” can sign in again.")
    return redirect("sign-in-locks")
