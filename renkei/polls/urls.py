from django.urls import path

from renkei.polls import views

app_name = "polls"
urlpatterns = [
    path("", views.index, name="index"),
    path("request/", views.request_poll, name="request"),
    path("new/", views.create, name="create"),
    path("requests/", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/vote/change/", views.vote_change_view, name="vote_change"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/close/", views.close, name="close"),
]
