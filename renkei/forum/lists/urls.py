from django.urls import path

from renkei.forum.lists import views

app_name = "lists"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.list_edit, name="new"),
    path("<int:pk>/", views.archive, name="archive"),
    path("<int:pk>/edit/", views.list_edit, name="edit"),
    path("<int:pk>/post/", views.post, name="post"),
    path("<int:pk>/receiving/", views.receiving, name="receiving"),
    path("<int:pk>/held/", views.held, name="held"),
    path("threads/<int:pk>/", views.thread, name="thread"),
    path("messages/<int:pk>/", views.message, name="message"),
    path("messages/<int:pk>/reply/", views.reply, name="reply"),
    path("messages/<int:pk>/decide/<slug:action>/", views.decide, name="decide"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
