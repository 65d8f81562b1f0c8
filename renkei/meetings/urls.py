from django.urls import path

from renkei.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("plan/", views.plan, name="plan"),
    path("board/", views.board_area, name="board"),
    path("resolutions/", views.resolution_list, name="resolutions"),
    path("calendar/", views.my_calendar, name="my_calendar"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("public/minutes/<int:pk>/", views.public_minutes, name="public_minutes"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/invitees/", views.invitees_manage, name="invitees"),
    path("<int:pk>/invite/", views.invitations_send, name="invite"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/materials/new/", views.material_add, name="material_add"),
    path("<int:pk>/materials/<int:material_pk>/", views.material_download, name="material"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("<int:pk>/minutes/", views.minutes_view, name="minutes"),
    path("<int:pk>/minutes/new/", views.minutes_create, name="minutes_create"),
    path("<int:pk>/minutes/edit/", views.minutes_edit, name="minutes_edit"),
    path("<int:pk>/minutes/step/<str:name>/", views.minutes_transition, name="minutes_step"),
    path("<int:pk>/minutes/publish/", views.minutes_publish, name="minutes_publish"),
    path("<int:pk>/minutes/versions/", views.minutes_versions, name="minutes_versions"),
    path("<int:pk>/minutes/versions/<int:number>/", views.minutes_version, name="minutes_version"),
    path("<int:pk>/minutes/comments/", views.minutes_comment, name="minutes_comment"),
    path("<int:pk>/minutes.docx", views.minutes_export, name="minutes_docx"),
]
