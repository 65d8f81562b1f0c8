from django.urls import path

from renkei.forum import views

app_name = "forum"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("mine/", views.mine, name="mine"),
    path("preferences/", views.preferences, name="preferences"),
    path("boards/new/", views.board_edit, name="board_new"),
    path("boards/<int:pk>/", views.board, name="board"),
    path("boards/<int:pk>/edit/", views.board_edit, name="board_edit"),
    path("boards/<int:pk>/follow/", views.follow_board, name="follow_board"),
    path("boards/<int:board_pk>/threads/new/", views.thread_new, name="thread_new"),
    path("threads/<int:pk>/", views.thread, name="thread"),
    path("threads/<int:pk>/reply/", views.reply, name="reply"),
    path("threads/<int:pk>/follow/", views.follow_thread, name="follow_thread"),
    path("threads/<int:pk>/move/", views.thread_move_view, name="thread_move"),
    path(
        "threads/<int:pk>/moderate/<slug:action>/",
        views.thread_moderate_view,
        name="thread_moderate",
    ),
    path("posts/<int:pk>/", views.post, name="post"),
    path("posts/<int:pk>/edit/", views.post_edit_view, name="post_edit"),
    path("posts/<int:pk>/history/", views.post_history, name="post_history"),
    path("posts/<int:pk>/report/", views.report, name="report"),
    path("posts/<int:pk>/hide/", views.post_hide_view, name="post_hide"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/resolve/", views.report_resolve, name="report_resolve"),
]
