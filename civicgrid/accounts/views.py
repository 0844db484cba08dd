import time

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.transaction import atomic
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.accounts import selectors, services
from civicgrid.core import audit
from civicgrid.core.errors import NotFound


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timed_out"] = self.request.GET.get("timeout") == "1"
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session["civicgrid_login_at"] = time.time()
        with atomic():
            audit.record(actor=self.request.user, action="accounts.login", target=self.request.user,
                         region_code=self.request.user.region_code)
        return response


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        with atomic():
            audit.record(actor=request.user, action="accounts.logout", target=request.user)
    logout(request)
    return redirect("accounts:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        """The form checked the old password and the policy; the service stores it, revokes tokens, audits."""
        user = self.request.user
        services.set_password(actor=user, user=user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())


@login_required
def tokens(request):
    """The signed-in user's API tokens: prefix, name, dates and a revoke button."""
    lifetime = services.token_lifetime()
    now = timezone.now()
    rows = [{"token": token, "expires": token.expires(lifetime),
             "active": token.revoked_at is None and token.expires(lifetime) > now}
            for token in selectors.tokens_of(user=request.user)]
    return render(request, "accounts/tokens.html", {"rows": rows})


@login_required
@require_POST
def revoke_token(request, token_id: int):
    try:
        token = services.revoke_token(actor=request.user, token_id=token_id)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("The API token %(prefix)s… has been revoked.") % {"prefix": token.prefix})
    return redirect("accounts:tokens")


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this for a locked username (UI and API alike)."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"code": "account_locked",
                             "message": _("Too many failed sign-ins: the account is locked for 15 minutes.")},
                            status=403)
    return render(request, "accounts/locked.html", status=403)
