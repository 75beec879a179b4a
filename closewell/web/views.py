"""The service's own pages: sign in, the accessibility statement and each role's start page."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views import defaults
from django.views.decorators.http import require_GET

from closewell.accounts.permissions import user_permissions
from closewell.census.forms import current_census_year
from closewell.census.queries import return_counts
from closewell.security import sso

from .forms import GovukBoundField, GovukFormMixin

# --- Signing in -----------------------------------------------------------------------------------


class LoginForm(GovukFormMixin, AuthenticationForm):
    """The same message whatever was wrong, so the page does not say which usernames exist."""

    bound_field_class = GovukBoundField
    non_field_error_anchor = "id_username"
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "Enter a correct username and password",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs.update({"spellcheck": "false", "class": "govuk-input--width-20"})
        self.fields["password"].widget.attrs.update({"class": "govuk-input--width-20"})


class LoginView(auth_views.LoginView):
    """A password, or, when single sign-on is on, "Sign in with <the council's provider>" (and a
    password too only as LOCAL_SIGN_IN allows: PasswordBackend refuses the others)."""

    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if sso.enabled() and settings.LOCAL_SIGN_IN == "administrators":
            form.error_messages = {
                key: f"{message}. Only administrators sign in with a password here: everyone else "
                f"uses “Sign in with {settings.OIDC_PROVIDER_NAME}”"
                for key, message in form.error_messages.items()
            }
        return form

    def post(self, request, *args, **kwargs):
        if not sso.local_sign_in_allowed():
            return redirect("login")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sso": sso.enabled(),
            "provider_name": settings.OIDC_PROVIDER_NAME,
            "local_sign_in": sso.local_sign_in_allowed(),
            "local_sign_in_administrators_only": sso.enabled() and settings.LOCAL_SIGN_IN == "administrators",
        }


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "accessibility.html")


def home(request):
    """Each role starts on the page it uses most."""
    access = user_permissions(request.user)
    if access.can_use_admin:
        return redirect("admin:index")
    if access.can_list_handed_over:
        return redirect("familyhelp:mine")
    if access.can_authorise_records:
        return redirect("cases:team_cases")
    if access.can_list_own_cases:
        return redirect("cases:my_cases")
    if access.can_view_overview:
        return redirect("overview")
    return redirect("cases:search")


@require_GET
def overview(request):
    """The data officer's start page: how big this year's census return is, and the way to the census,
    the reports, the cases and search."""
    access = user_permissions(request.user)
    if not access.can_view_overview:
        raise PermissionDenied
    year = current_census_year()
    return render(request, "web/overview.html", {"year": year, "counts": return_counts(year)})


def page_not_found(request, exception):
    """The site's 404. Under /api/ it is JSON in the API's error shape, for any path that no route
    matches (a newline, %0A, in the path included); elsewhere the GOV.UK page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": {"detail": ["Not found."]}}, status=404)
    return defaults.page_not_found(request, exception)
