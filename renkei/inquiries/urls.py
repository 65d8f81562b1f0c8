"""URLs of inquiries (照会); each view is named by its module in renkei/inquiries/views/."""

from django.urls import path

from renkei.inquiries.views import (
    answer_links,
    answering,
    authoring,
    compilation,
    detail,
    exports,
    lifecycle,
    lists,
    offline,
    progress,
    questions,
)

app_name = "inquiries"

urlpatterns: list = [
    path("", lists.inquiry_list, name="list"),
    path("new/", authoring.inquiry_create, name="create"),
    path("new/requester/", authoring.requester_candidates, name="requester_candidates"),
    path("<int:pk>/", detail.inquiry_detail, name="detail"),
    path("<int:pk>/preview/", detail.inquiry_preview, name="preview"),
    path("<int:pk>/edit/", authoring.inquiry_edit, name="edit"),
    path("<int:pk>/delete/", authoring.inquiry_delete, name="delete"),
    path("<int:pk>/targets/", authoring.inquiry_targets, name="targets"),
    path("<int:pk>/attachments/", authoring.inquiry_attachments, name="attachments"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        authoring.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        authoring.attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/questions/", questions.question_list, name="questions"),
    path("<int:pk>/questions/<int:question_pk>/", questions.question_edit, name="question_edit"),
    path(
        "<int:pk>/questions/<int:question_pk>/delete/",
        questions.question_delete,
        name="question_delete",
    ),
    path(
        "<int:pk>/questions/<int:question_pk>/move/", questions.question_move, name="question_move"
    ),
    path(
        "<int:pk>/submit-for-review/", lifecycle.inquiry_submit_for_review, name="submit_for_review"
    ),
    path("<int:pk>/review/", lifecycle.inquiry_review, name="review"),
    path("<int:pk>/open/", lifecycle.inquiry_open, name="open"),
    path("<int:pk>/close/", lifecycle.inquiry_close, name="close"),
    path("<int:pk>/publish/", lifecycle.inquiry_publish, name="publish"),
    path("<int:pk>/extend/", lifecycle.inquiry_extend, name="extend"),
    path("<int:pk>/copy/", lifecycle.inquiry_copy, name="copy"),
    path("<int:pk>/progress/", progress.inquiry_progress, name="progress"),
    path("<int:pk>/mailings/", progress.inquiry_mailings, name="mailings"),
    path("<int:pk>/remind/", progress.inquiry_remind, name="remind"),
    path(
        "<int:pk>/answer-links/revoke/",
        answer_links.answer_links_revoke,
        name="answer_links_revoke",
    ),
    path(
        "<int:pk>/answer-links/<int:organization_pk>/reissue/",
        answer_links.answer_link_reissue,
        name="answer_link_reissue",
    ),
    path("<int:pk>/answer/", answering.answer_edit, name="answer"),
    path("<int:pk>/answer/confirm/", answering.answer_confirm, name="answer_confirm"),
    path("<int:pk>/answer/submit/", answering.answer_submit, name="answer_submit"),
    path("<int:pk>/answer/versions/", answering.answer_version_list, name="answer_versions"),
    path("<int:pk>/answer/conditions/", answering.answer_conditions, name="answer_conditions"),
    path(
        "<int:pk>/answer/files/<int:file_pk>/", answering.answer_file_download, name="answer_file"
    ),
    path("<int:pk>/proxy/<int:organization_pk>/", answering.answer_edit, name="proxy_answer"),
    path(
        "<int:pk>/proxy/<int:organization_pk>/submit/",
        answering.answer_submit,
        name="proxy_submit",
    ),
    path(
        "<int:pk>/proxy/<int:organization_pk>/versions/",
        answering.answer_version_list,
        name="proxy_versions",
    ),
    path("<int:pk>/compilation/", compilation.compilation, name="compilation"),
    path(
        "<int:pk>/compilation/matrix/",
        compilation.compilation_matrix_view,
        name="compilation_matrix",
    ),
    path(
        "<int:pk>/compilation/questions/<int:question_pk>/",
        compilation.compilation_question,
        name="compilation_question",
    ),
    path(
        "<int:pk>/compilation/compare/", compilation.compilation_compare, name="compilation_compare"
    ),
    path("<int:pk>/exports/", exports.export_list, name="export_list"),
    path("<int:pk>/exports/<int:export_pk>/", exports.export_detail, name="export_detail"),
    path(
        "<int:pk>/exports/<int:export_pk>/download/",
        exports.export_download,
        name="export_download",
    ),
    path("<int:pk>/offline/", offline.offline, name="offline"),
    path("<int:pk>/offline/sheet/", offline.offline_sheet, name="offline_sheet"),
]

# Answering through an organization's answer link, without an account; mounted at /answer/
# (its views say @login_not_required) under the namespace "answer_link".
link_urlpatterns: list = [
    path("form/", answer_links.answer_link_answer, name="answer"),
    path("form/submit/", answer_links.answer_link_submit, name="submit"),
    path("form/conditions/", answer_links.answer_link_conditions, name="conditions"),
    path("form/end/", answer_links.answer_link_end, name="end"),
    path("<str:token>/", answer_links.answer_link_open, name="open"),
]
