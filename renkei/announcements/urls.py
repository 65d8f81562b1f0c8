from django.urls import path

from renkei.announcements import views

app_name = "announcements"

urlpatterns = [
    path("", views.announcement_list, name="list"),
    path("<int:pk>/", views.announcement_detail, name="detail"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.manage_create, name="manage_create"),
    path("manage/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", views.manage_edit, name="manage_edit"),
    path("manage/<int:pk>/delete/", views.manage_delete, name="manage_delete"),
    path("manage/<int:pk>/publish/", views.manage_publish, name="manage_publish"),
    path("manage/<int:pk>/schedule/", views.manage_schedule, name="manage_schedule"),
    path("manage/<int:pk>/unschedule/", views.manage_unschedule, name="manage_unschedule"),
    path("manage/<int:pk>/deliveries/<int:delivery_pk>/", views.delivery_log, name="delivery"),
    path(
        "manage/<int:pk>/deliveries/<int:delivery_pk>/resend/",
        views.delivery_resend,
        name="delivery_resend",
    ),
    path("manage/external/", views.external_contacts, name="external"),
    path(
        "manage/external/<int:contact_pk>/active/",
        views.external_contact_active,
        name="external_active",
    ),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
