"""URLs of inquiries (照会); the compilation pages come from compilation_urls."""

from django.urls import include, path

from renkei.inquiries import views

app_name = "inquiries"

urlpatterns: list = [
    path("", views.inquiry_list, name="list"),
    path("new/", views.inquiry_create, name="create"),
    path("new/requester/", views.requester_candidates, name="requester_candidates"),
    path("<int:pk>/", views.inquiry_detail, name="detail"),
    path("<int:pk>/preview/", views.inquiry_preview, name="preview"),
    path("<int:pk>/edit/", views.inquiry_edit, name="edit"),
    path("<int:pk>/delete/", views.inquiry_delete, name="delete"),
    path("<int:pk>/targets/", views.inquiry_targets, name="targets"),
    path("<int:pk>/attachments/", views.inquiry_attachments, name="attachments"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/questions/", views.question_list, name="questions"),
    path("<int:pk>/questions/<int:question_pk>/", views.question_edit, name="question_edit"),
    path(
        "<int:pk>/questions/<int:question_pk>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("<int:pk>/questions/<int:question_pk>/move/", views.question_move, name="question_move"),
    path("<int:pk>/submit-for-review/", views.inquiry_submit_for_review, name="submit_for_review"),
    path("<int:pk>/review/", views.inquiry_review, name="review"),
    path("<int:pk>/open/", views.inquiry_open, name="open"),
    path("<int:pk>/close/", views.inquiry_close, name="close"),
    path("<int:pk>/publish/", views.inquiry_publish, name="publish"),
    path("<int:pk>/extend/", views.inquiry_extend, name="extend"),
    path("<int:pk>/copy/", views.inquiry_copy, name="copy"),
    path("<int:pk>/progress/", views.inquiry_progress, name="progress"),
    path("<int:pk>/mailings/", views.inquiry_mailings, name="mailings"),
    path("<int:pk>/remind/", views.inquiry_remind, name="remind"),
    path("<int:pk>/answer-links/revoke/", views.answer_links_revoke, name="answer_links_revoke"),
    path(
        "<int:pk>/answer-links/<int:organization_pk>/reissue/",
        views.answer_link_reissue,
        name="answer_link_reissue",
    ),
    path("<int:pk>/answer/", views.answer_edit, name="answer"),
    path("<int:pk>/answer/confirm/", views.answer_confirm, name="answer_confirm"),
    path("<int:pk>/answer/submit/", views.answer_submit, name="answer_submit"),
    path("<int:pk>/answer/versions/", views.answer_version_list, name="answer_versions"),
    path("<int:pk>/answer/conditions/", views.answer_conditions, name="answer_conditions"),
    path("<int:pk>/answer/files/<int:file_pk>/", views.answer_file_download, name="answer_file"),
    path("<int:pk>/proxy/<int:organization_pk>/", views.proxy_answer, name="proxy_answer"),
    path(
        "<int:pk>/proxy/<int:organization_pk>/submit/",
        views.proxy_submit,
        name="proxy_submit",
    ),
    path(
        "<int:pk>/proxy/<int:organization_pk>/versions/",
        views.proxy_version_list,
        name="proxy_versions",
    ),
]

# The compilation pages are written separately; the app works without them.
urlpatterns.append(path("", include("renkei.inquiries.compilation_urls")))

# Answering through an organization's answer link, without an account; mounted at /answer/
# (its views say @login_not_required) under the namespace "answer_link".
link_urlpatterns: list = [
    path("form/", views.answer_link_answer, name="answer"),
    path("form/submit/", views.answer_link_submit, name="submit"),
    path("form/conditions/", views.answer_link_conditions, name="conditions"),
    path("form/end/", views.answer_link_end, name="end"),
    path("<str:token>/", views.answer_link_open, name="open"),
]
