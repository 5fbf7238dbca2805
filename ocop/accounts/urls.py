from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from ocop.accounts import views

app_name = "accounts"


def public(view):
    return login_not_required(view)


urlpatterns = [
    path("dang-nhap/", public(auth_views.LoginView.as_view(redirect_authenticated_user=True)), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("ho-so/", views.profile, name="profile"),
    path("viec-cua-toi/", views.home, name="home"),
    path("nguoi-dung/", views.people, name="people"),
    path("nguoi-dung/loi-moi/<int:pk>/gui-lai/", views.invitation_resend_view, name="invitation-resend"),
    path("nguoi-dung/loi-moi/<int:pk>/thu-hoi/", views.invitation_revoke_view, name="invitation-revoke"),
    path("nguoi-dung/<int:pk>/kich-hoat/", views.user_active, name="user-active"),
    path("nhan-loi-moi/<str:secret>/", views.invitation_accept_view, name="invitation-accept"),
    path("dang-ky/", views.signup, name="signup"),
    path("dang-ky/xac-nhan/<str:token>/", views.signup_confirm_view, name="signup-confirm"),
    path("ho-so/doi-email/", views.email_change, name="email-change"),
    path("doi-email/<str:token>/", views.email_confirm_view, name="email-confirm"),
    path("ho-so/xac-thuc-hai-buoc/", views.otp_setup, name="otp-setup"),
    path("ma-dang-nhap/", views.otp_verify, name="otp-verify"),
    path("ho-so/khoa-api/", views.token_create, name="token-create"),
    path("ho-so/khoa-api/<int:pk>/thu-hoi/", views.token_revoke, name="token-revoke"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password-change-done")),
        name="password-change",
    ),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password-change-done"),
    path(
        "quen-mat-khau/",
        public(
            auth_views.PasswordResetView.as_view(
                success_url=reverse_lazy("accounts:password-reset-done"),
                email_template_name="registration/password_reset_email.txt",
                subject_template_name="registration/password_reset_subject.txt",
            )
        ),
        name="password-reset",
    ),
    path(
        "quen-mat-khau/da-gui/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password-reset-done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        public(
            auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("accounts:password-reset-complete"))
        ),
        name="password-reset-confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password-reset-complete",
    ),
]
