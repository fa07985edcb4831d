"""The sign-in pages (password, then a code where one is needed), a person's own second
factor, password reset and the administrator's sign-in locks page."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from mozilla_django_oidc import views as oidc_views

from meetings.accounts import directory, mfa, oidc, throttling
from meetings.accounts.permissions import administrator_required
from meetings.audit.models import Event
from meetings.audit.record import sign_in_event

TOO_MANY = 429
# Recovery codes are shown once, on the page right after they are made.
NEW_CODES = "new_recovery_codes"


class SignInForm(AuthenticationForm):
    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            refusal = getattr(self.request, "sign_in_refusal", None)
            if refusal is not None and refusal.reason != "name-and-address":
                raise ValidationError(refusal.message, code="throttled") from None
            if getattr(self.request, "directory_refusal", None):
                raise ValidationError(directory.NO_ROLE, code="no_role") from None
            if getattr(self.request, "directory_down", False):
                raise ValidationError(directory.DIRECTORY_DOWN, code="directory_down") from None
            raise


class SignInView(auth_views.LoginView):
    """The password step. A local account with a second factor (or obliged to have one)
    goes on to the code step; everyone else is signed in here."""

    form_class = SignInForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.OIDC_ENABLED:
            context["provider_name"] = settings.OIDC_PROVIDER_NAME
        return context

    def form_valid(self, form):
        user = form.get_user()
        if mfa.is_local(user.backend):
            if mfa.has_second_factor(user):
                mfa.begin(self.request, user, self.get_success_url())
                return redirect("sign-in-code")
            if mfa.required_for(user):
                mfa.begin(self.request, user, self.get_success_url())
                return redirect("sign-in-enrol")
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(self.request, "sign_in_refusal", None) is not None:
            response.status_code = TOO_MANY
        return response


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}
        ),
    )


def _finish_sign_in(request: HttpRequest, user, how: str) -> HttpResponse:
    next_url = mfa.pending_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)
    mfa.end(request)
    request.sign_in_detail = {"second_factor": how}
    auth_login(request, user)
    return redirect(next_url)


def _no_pending_sign_in(request: HttpRequest) -> HttpResponse:
    messages.info(request, "Please sign in again: the step before the code has expired.")
    return redirect("login")


@login_not_required
@never_cache
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a recovery code."""
    user = mfa.pending_user(request)
    if user is None or not mfa.has_second_factor(user):
        return _no_pending_sign_in(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        how, why = mfa.verify(user, form.cleaned_data["code"])
        if how:
            if how == "recovery code":
                left = mfa.recovery_codes_left(user)
                messages.warning(request, f"You signed in with a recovery code: {left} left.")
            return _finish_sign_in(request, user, how)
        sign_in_event(request, Event.Kind.MFA_FAILED, user.get_username(), user=user)
        form.add_error("code", why)
    return render(request, "registration/sign_in_code.html", {"form": form})


@login_not_required
@never_cache
def sign_in_enrol(request: HttpRequest) -> HttpResponse:
    """Setting up the authenticator app at sign-in, for someone obliged to have one."""
    user = mfa.pending_user(request)
    if user is None:
        return _no_pending_sign_in(request)
    if mfa.has_second_factor(user):
        return redirect("sign-in-code")
    device = mfa.start_enrolment(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_enrolment(device, form.cleaned_data["code"])
        if codes is not None:
            response = _finish_sign_in(request, user, "authenticator app, just set up")
            request.session[NEW_CODES] = codes
            return response
        sign_in_event(request, Event.Kind.MFA_FAILED, user.get_username(), user=user, during="set-up")
        form.add_error(
            "code", "That code is not right: check the app shows “Defence meetings” and try the new code."
        )
    context = {"form": form, "qr": mfa.qr_code(device), "secret": mfa.secret(device), "required": True}
    return render(request, "registration/sign_in_enrol.html", context)


@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """A person's own second factor: set it up, see their new recovery codes once, replace
    them, or turn it off (if the policy allows)."""
    user = request.user
    if not mfa.is_local(request.session.get(BACKEND_SESSION_KEY)):
        return render(request, "accounts/two_factor.html", {"directory": True})
    enabled = mfa.has_second_factor(user)
    form = CodeForm(request.POST or None)
    context = {"enabled": enabled, "required": mfa.required_for(user), "form": form}
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        if not enabled and action == "enable":
            codes = mfa.confirm_enrolment(mfa.start_enrolment(user), form.cleaned_data["code"])
            if codes is not None:
                request.session[NEW_CODES] = codes
                messages.success(
                    request, "Two-step sign-in is on: you will be asked for a code at every sign-in."
                )
                return redirect("two-factor")
            form.add_error("code", "That code is not right: try the new code the app shows.")
        elif enabled and action == "disable" and context["required"]:
            form.add_error("code", "Your account must keep two-step sign-in.")
        elif enabled and action in ("new-codes", "disable"):
            how, why = mfa.verify(user, form.cleaned_data["code"])
            if not how:
                sign_in_event(request, Event.Kind.MFA_FAILED, user.get_username(), user=user, during=action)
                form.add_error("code", why)
            elif action == "new-codes":
                request.session[NEW_CODES] = mfa.new_recovery_codes(user)
                messages.success(request, "New recovery codes are ready: the old ones no longer work.")
                return redirect("two-factor")
            else:
                mfa.remove(user)
                messages.success(request, "Two-step sign-in is off.")
                return redirect("two-factor")
    if enabled:
        context["codes_left"] = mfa.recovery_codes_left(user)
    else:
        device = mfa.start_enrolment(user)
        context.update(qr=mfa.qr_code(device), secret=mfa.secret(device))
    context["new_codes"] = request.session.pop(NEW_CODES, None)
    return render(request, "accounts/two_factor.html", context)


def _when_configured(view):
    """An OpenID Connect view, answering 404 until a provider is configured."""

    @login_not_required
    def wrapped(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404("No OpenID Connect provider is configured.")
        return view(request, *args, **kwargs)

    return wrapped


oidc_start = _when_configured(oidc_views.OIDCAuthenticationRequestView.as_view())
oidc_callback = _when_configured(oidc_views.OIDCAuthenticationCallbackView.as_view())


@login_not_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Ends the app's session, and the provider's too for people who signed in there."""
    provider = oidc.provider_sign_out_url(request)
    auth_logout(request)
    return redirect(provider or resolve_url(settings.LOGOUT_REDIRECT_URL))


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
