from django.urls import path, re_path

from accounts import views

# allauth's sign-in and sign-up, which say what a reader is signing in for, its password reset
# form and the page its emailed link opens, its pages that change a reader's email address and
# password or set one, and its "Confirm it is you": these keep what a reader typed (never a
# password) while Redis does not answer, or past allauth's throttle
# (accounts.views._KeptWhenRefusedUnread). The rest of allauth's pages follow from allauth.urls,
# included after these.
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="account_login"),
    path("signup/", views.SignUpView.as_view(), name="account_signup"),
    path("3rdparty/signup/", views.SocialSignUpView.as_view(), name="socialaccount_signup"),
    path("password/reset/", views.PasswordResetView.as_view(), name="account_reset_password"),
    # The reset email's link: allauth's page for choosing the new password (allauth.urls).
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        views.PasswordResetFromKeyView.as_view(),
        name="account_reset_password_from_key",
    ),
    # allauth's page for the emailed confirmation link, with a throttle on its button.
    re_path(
        r"^confirm-email/(?P<key>[-:\w]+)/$",
        views.ConfirmEmailView.as_view(),
        name="account_confirm_email",
    ),
    path("email/", views.EmailView.as_view(), name="account_email"),
    path("password/change/", views.PasswordChangeView.as_view(), name="account_change_password"),
    path("password/set/", views.PasswordSetView.as_view(), name="account_set_password"),
    path("reauthenticate/", views.ReauthenticateView.as_view(), name="account_reauthenticate"),
    path("sso/", views.sso, name="sso"),
    path("notifications/", views.notifications, name="reader_notifications"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe/<str:token>/undo/", views.unsubscribe_undo, name="unsubscribe_undo"),
]
