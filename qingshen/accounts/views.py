from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView
from rest_framework.authtoken.models import Token

from qingshen.accounts import policy, services
from qingshen.accounts.filters import UserFilterSet
from qingshen.accounts.forms import LoginForm, PasswordChangeForm, ProfileForm, StaffAccountForm, UnlockForm
from qingshen.accounts.models import User
from qingshen.core.views import Breadcrumbs, ObjectDetailView, ObjectListView
from qingshen.organizations.models import Organization

ACCOUNTS_CRUMB = ("账号管理", "/accounts/")
ONE_TIME_KEY = "qingshen_one_time_password"


def show_once(request, user, password, what):
    """Keep the one-time password in the session for exactly one page view."""
    request.session[ONE_TIME_KEY] = {"user_id": user.pk, "username": user.username,
                                     "password": password, "what": what}
    return redirect("accounts:one_time_password")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


class PasswordChangeView(LoginRequiredMixin, Breadcrumbs, FormView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm

    def get_breadcrumbs(self):
        return [("我的账号", None), ("修改密码", None)]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        services.change_password(self.request.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, "密码已修改。")
        return redirect(settings.LOGIN_REDIRECT_URL)


class ProfileView(LoginRequiredMixin, Breadcrumbs, FormView):
    """我的账号: own details, and the API token for scripts (created and revoked here)."""

    template_name = "accounts/profile.html"
    form_class = ProfileForm
    breadcrumbs = [("我的账号", None)]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_token"] = Token.objects.filter(user=self.request.user).exists()
        return context

    def form_valid(self, form):
        services.update_profile(self.request.user, self.request.user, **form.cleaned_data)
        messages.success(self.request, "账号信息已保存。")
        return redirect("accounts:profile")


class ApiTokenView(LoginRequiredMixin, View):
    """POST creates a new token (shown once; replaces any old one); POST with revoke=1 deletes it."""

    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        if request.POST.get("revoke"):
            services.record_token(request.user, created=False)
            messages.success(request, "API 令牌已作废。")
            return redirect("accounts:profile")
        token = Token.objects.create(user=request.user)
        services.record_token(request.user, created=True)
        return render(request, "accounts/api_token.html", {
            "token": token.key, "breadcrumbs": [("我的账号", reverse("accounts:profile")), ("API 令牌", None)],
        })


class AccountListView(ObjectListView):
    model = User
    permission_required = "accounts.manage_staff"
    filterset_class = UserFilterSet
    select_related = ("organization",)
    template_name = "accounts/user_list.html"
    breadcrumbs = [("系统管理", None), ("账号管理", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org = self.request.user.organization
        context["own_organization"] = org
        context["can_create_staff"] = org is not None and policy.can_manage(self.request.user, org, department_account=False)
        return context


class AccountDetailView(ObjectDetailView):
    model = User
    permission_required = "accounts.manage_staff"
    select_related = ("organization", "created_by")
    template_name = "accounts/user_detail.html"
    context_object_name = "account"

    def get_breadcrumbs(self):
        return [("系统管理", None), ACCOUNTS_CRUMB, (self.object.username, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = policy.can_manage_user(self.request.user, self.object)
        return context


class AccountActionView(LoginRequiredMixin, View):
    """Base for POST-only actions on an account the user may see and manage."""

    def target(self, request, pk):
        if not request.user.has_perm("accounts.manage_staff"):
            raise PermissionDenied
        return get_object_or_404(User.objects.restrict(request.user), pk=pk)


class ResetPasswordView(AccountActionView):
    def post(self, request, pk):
        account = self.target(request, pk)
        password = services.reset_password(request.user, account)
        return show_once(request, account, password, "密码已重置")


class SetActiveView(AccountActionView):
    def post(self, request, pk):
        account = self.target(request, pk)
        active = request.POST.get("active") == "1"
        services.set_active(request.user, account, active)
        messages.success(request, f"账号 {account.username} 已{'启用' if active else '停用'}。")
        return redirect("accounts:detail", pk=account.pk)


class CreateMainAccountView(LoginRequiredMixin, View):
    """Create an organisation's main account (named by its account code)."""

    def post(self, request, org_pk):
        if not request.user.has_perm("accounts.manage_staff"):
            raise PermissionDenied
        org = get_object_or_404(Organization.objects.restrict(request.user), pk=org_pk)
        try:
            user, password = services.create_account(request.user, organization=org, full_name=org.name)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("organizations:detail", pk=org.pk)
        return show_once(request, user, password, "账号已创建")


class CreateStaffView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, FormView):
    permission_required = "accounts.manage_staff"
    template_name = "accounts/staff_form.html"
    form_class = StaffAccountForm

    def get_organization(self):
        return get_object_or_404(Organization.objects.restrict(self.request.user), pk=self.kwargs["org_pk"])

    def has_permission(self):
        # Staff accounts cannot add staff: refuse the form itself, not only its submission.
        return super().has_permission() and policy.can_manage(
            self.request.user, self.get_organization(), department_account=False
        )

    def get_breadcrumbs(self):
        return [("系统管理", None), ACCOUNTS_CRUMB, ("添加工作人员账号", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organization"] = self.get_organization()
        return context

    def form_valid(self, form):
        org = self.get_organization()
        try:
            user, password = services.create_account(self.request.user, organization=org, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
            return self.form_invalid(form)
        return show_once(self.request, user, password, "工作人员账号已创建")


class OneTimePasswordView(LoginRequiredMixin, Breadcrumbs, TemplateView):
    """Shows a just-created initial password once; a reload shows it no more."""

    template_name = "accounts/one_time_password.html"
    breadcrumbs = [("系统管理", None), ACCOUNTS_CRUMB, ("初始密码", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["secret"] = self.request.session.pop(ONE_TIME_KEY, None)
        return context


def locked_out(field):
    """Accounts (field="username") or addresses ("ip_address") locked right now.

    django-axes keeps one row per account, address and browser, and locks an account on the
    sum of its rows (five failures from five addresses lock it too), so the rows are summed
    here the way axes sums them: failures within the cool-off period.
    """
    attempts = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - get_cool_off())
    attempts = attempts.exclude(**{f"{field}__isnull": True})
    if field == "username":
        attempts = attempts.exclude(username="")
    return (
        attempts.values(field)
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt")
    )


class LockoutListView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, FormView):
    """Accounts and addresses locked by repeated sign-in failures, and the unlock form."""

    permission_required = "accounts.unlock_account"
    template_name = "accounts/lockouts.html"
    form_class = UnlockForm
    breadcrumbs = [("系统管理", None), ("登录锁定", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["locked_accounts"] = list(locked_out("username"))
        context["locked_addresses"] = list(locked_out("ip_address"))
        context["locked_usernames"] = {row["username"] for row in context["locked_accounts"]}
        context["locked_ips"] = {row["ip_address"] for row in context["locked_addresses"]}
        context["attempts"] = AccessAttempt.objects.order_by("-attempt_time")[:200]
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        return context

    def form_valid(self, form):
        count = services.unlock(self.request.user, username=form.cleaned_data["username"],
                                ip_address=form.cleaned_data["ip_address"] or "")
        messages.success(self.request, f"已解除锁定（清除 {count} 条失败记录）。")
        return redirect("accounts:lockouts")
