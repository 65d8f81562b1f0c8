"""URLs of meetings and minutes (会議・会議録), mounted at /meetings/; each view is named by its
module in renkei/meetings/views/."""

from django.urls import path

from renkei.meetings.views import (
    agenda,
    authoring,
    calendar_feeds,
    invitations,
    lists,
    minutes,
    minutes_lifecycle,
)

app_name = "meetings"

urlpatterns = [
    path("", lists.meeting_list, name="list"),
    path("new/", authoring.meeting_create, name="create"),
    path("plan/", lists.plan, name="plan"),
    path("board/", lists.board_area, name="board"),
    path("resolutions/", lists.resolution_list, name="resolutions"),
    path("calendar/", calendar_feeds.my_calendar, name="my_calendar"),
    path("calendar/<str:token>.ics", calendar_feeds.feed, name="feed"),
    path("public/minutes/<int:pk>/", minutes.public_minutes, name="public_minutes"),
    path("<int:pk>/", lists.meeting_detail, name="detail"),
    path("<int:pk>/edit/", authoring.meeting_edit, name="edit"),
    path("<int:pk>/invitees/", invitations.invitees_manage, name="invitees"),
    path("<int:pk>/invite/", invitations.invitations_send, name="invite"),
    path("<int:pk>/reply/", invitations.reply, name="reply"),
    path("<int:pk>/attendance/", invitations.attendance, name="attendance"),
    path("<int:pk>/agenda/", agenda.agenda_add, name="agenda_add"),
    path("<int:pk>/materials/new/", agenda.material_add, name="material_add"),
    path("<int:pk>/materials/<int:material_pk>/", agenda.material_download, name="material"),
    path("<int:pk>/meeting.ics", calendar_feeds.meeting_ics, name="ics"),
    path("<int:pk>/minutes/", minutes.minutes_view, name="minutes"),
    path("<int:pk>/minutes/new/", minutes.minutes_create, name="minutes_create"),
    path("<int:pk>/minutes/edit/", minutes.minutes_edit, name="minutes_edit"),
    path(
        "<int:pk>/minutes/step/<str:name>/",
        minutes_lifecycle.minutes_transition,
        name="minutes_step",
    ),
    path("<int:pk>/minutes/publish/", minutes_lifecycle.minutes_publish, name="minutes_publish"),
    path("<int:pk>/minutes/versions/", minutes_lifecycle.minutes_versions, name="minutes_versions"),
    path(
        "<int:pk>/minutes/versions/<int:number>/",
        minutes_lifecycle.minutes_version,
        name="minutes_version",
    ),
    path("<int:pk>/minutes/comments/", minutes.minutes_comment, name="minutes_comment"),
    path("<int:pk>/minutes.docx", minutes.minutes_export, name="minutes_docx"),
]
