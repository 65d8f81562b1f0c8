from django.urls import path

from renkei.portal import login_wait_views, records_views

app_name = "portal"
urlpatterns = [
    path("audit/", records_views.audit_event_list, name="audit_events"),
    path("audit/export.csv", records_views.audit_event_export, name="audit_export"),
    path("mail/outbox/", records_views.outbox, name="outbox"),
    path("login-waits/", login_wait_views.login_wait_list, name="login_waits"),
]
