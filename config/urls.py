"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

from renkei.accounts import views as account_views
from renkei.directory.views import invitations as directory_invitations
from renkei.inquiries.urls import link_urlpatterns as answer_link_urlpatterns
from renkei.portal import views as portal_views

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("healthz", portal_views.healthz, name="healthz"),
    path("notifications/", portal_views.notifications, name="notifications"),
    path(
        "invitations/<str:token>/",
        directory_invitations.invitation_accept,
        name="invitation_accept",
    ),
    path("", include("renkei.directory.urls")),
    path("accounts/", include("renkei.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("renkei.portal.urls")),
    path("inquiries/", include("renkei.inquiries.urls")),
    path("answer/", include((answer_link_urlpatterns, "answer_link"))),
    path("polls/", include("renkei.polls.urls")),
    path("announcements/", include("renkei.announcements.urls")),
    path("events/", include("renkei.events.urls")),
    path("meetings/", include("renkei.meetings.urls")),
    path("forum/", include("renkei.forum.urls")),
    path("lists/", include("renkei.forum.lists.urls")),
    # The admin signs in through the site's login (throttling, two-factor authentication).
    path("admin/login/", account_views.admin_login, name="admin_login_redirect"),
    path("admin/", admin.site.urls),
]
