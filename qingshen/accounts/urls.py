from django.urls import path

from qingshen.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("me/", views.ProfileView.as_view(), name="profile"),
    path("me/token/", views.ApiTokenView.as_view(), name="api_token"),
    path("", views.AccountListView.as_view(), name="list"),
    path("<int:pk>/", views.AccountDetailView.as_view(), name="detail"),
    path("<int:pk>/reset-password/", views.ResetPasswordView.as_view(), name="reset_password"),
    path("<int:pk>/active/", views.SetActiveView.as_view(), name="set_active"),
    path("organization/<int:org_pk>/main/", views.CreateMainAccountView.as_view(), name="create_main"),
    path("organization/<int:org_pk>/staff/", views.CreateStaffView.as_view(), name="create_staff"),
    path("initial-password/", views.OneTimePasswordView.as_view(), name="one_time_password"),
    path("lockouts/", views.LockoutListView.as_view(), name="lockouts"),
]
