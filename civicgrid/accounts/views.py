import time

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.db.transaction import atomic
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.core import audit


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
        response = super().form_valid(form)
        with atomic():
            audit.record(actor=self.request.user, action="accounts.password.change", target=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this for a locked username (UI and API alike)."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"code": "account_locked",
                             "message": _("Too many failed sign-ins: the account is locked for 15 minutes.")},
                            status=403)
    return render(request, "accounts/locked.html", status=403)
