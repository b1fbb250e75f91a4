from django.urls import path

from qingshen.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.CampaignListView.as_view(), name="list"),
    path("add/", views.CampaignFormView.as_view(), name="add"),
    path("calendar/", views.CurrentCalendarView.as_view(), name="current_calendar"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CampaignFormView.as_view(), name="edit"),
    path("<int:pk>/calendar/", views.CalendarView.as_view(), name="calendar"),
    path("<int:pk>/members/add/", views.AddMembersView.as_view(), name="add_members"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.RemoveMemberView.as_view(), name="remove_member"),
]
