"""消息中心 (every signed-in user's own messages) and the SMS records (system administrator).

A message belongs to its recipient: every query starts from `Message.objects.restrict(user)`,
so another user's message is a 404 whatever the role.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from qingshen.core.views import Breadcrumbs
from qingshen.notifications import services
from qingshen.notifications.context_processors import unread_count_for
from qingshen.notifications.models import Message, SmsMessage

VIEW_SMS = "notifications.view_smsmessage"
CENTRE = "消息中心"
TABS = (("unread", "未读"), ("all", "全部"))


def list_url(tab: str) -> str:
    url = reverse("notifications:list")
    return f"{url}?tab=all" if tab == "all" else url


class MessageListView(LoginRequiredMixin, Breadcrumbs, ListView):
    """The user's messages, newest first: 未读 (the default) or 全部."""

    template_name = "notifications/message_list.html"
    paginate_by = 20
    breadcrumbs = [(CENTRE, None)]

    def get_queryset(self):
        self.tab = "all" if self.request.GET.get("tab") == "all" else "unread"
        queryset = Message.objects.restrict(self.request.user)
        return queryset if self.tab == "all" else queryset.unread()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(tab=self.tab, tabs=[(key, label, list_url(key)) for key, label in TABS],
                       unread=unread_count_for(self.request), querystring=f"tab={self.tab}",
                       can_view_sms=self.request.user.has_perm(VIEW_SMS))
        return context


class MessageOpenView(LoginRequiredMixin, View):
    """Opening a message marks it read and follows its link (back to the list when it has none).

    GET too, so a message's title is a plain link; marking one's own message read is harmless.
    """

    def get(self, request, pk):
        message = get_object_or_404(Message.objects.restrict(request.user), pk=pk)
        services.mark_read(request.user, message)
        if message.link and url_has_allowed_host_and_scheme(message.link, allowed_hosts={request.get_host()}):
            return redirect(message.link)
        return redirect(list_url(request.POST.get("tab") or request.GET.get("tab", "")))

    def post(self, request, pk):
        return self.get(request, pk)


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        count = services.mark_all_read(request.user)
        messages.success(request, f"已将 {count} 条消息标为已读。" if count else "没有未读消息。")
        return redirect(list_url(request.POST.get("tab", "")))


class SmsListView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, ListView):
    """Every SMS recorded, newest first, by status (发送失败 to see what needs attention)."""

    permission_required = VIEW_SMS
    template_name = "notifications/sms_list.html"
    paginate_by = 50
    breadcrumbs = [("系统管理", None), ("短信记录", None)]

    def get_queryset(self):
        self.status = self.request.GET.get("status", "")
        queryset = SmsMessage.objects.all()
        if self.status in SmsMessage.Status.values:
            return queryset.filter(status=self.status)
        self.status = ""
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        url = reverse("notifications:sms")
        filters = [("", "全部", url)] + [(value, label, f"{url}?status={value}")
                                          for value, label in SmsMessage.Status.choices]
        context.update(status=self.status, filters=filters, querystring=f"status={self.status}" if self.status else "",
                       max_attempts=services.MAX_ATTEMPTS)
        return context
