"""URLs of seminars and trainings (セミナー・研修), mounted at /events/."""

from django.urls import path

from renkei.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list_view, name="list"),
    path("new/", views.event_create, name="create"),
    path("prospects/", views.prospect_list, name="prospects"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/program/", views.event_program, name="program"),
    path("<int:pk>/publish/", views.event_publish, name="publish"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/register/", views.event_register, name="register"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("<int:pk>/registrations/", views.registration_list, name="registrations"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/check-in/",
        views.registration_check_in,
        name="check_in",
    ),
    path("<int:pk>/sign-in-sheet/", views.sign_in_sheet, name="sign_in_sheet"),
    path("<int:pk>/participants.xlsx", views.participants_export, name="participants_export"),
    path("<int:pk>/questionnaires/new/", views.questionnaire_create, name="questionnaire_create"),
    path(
        "<int:pk>/questionnaires/<int:questionnaire_pk>/",
        views.questionnaire_manage,
        name="questionnaire",
    ),
    path(
        "<int:pk>/questionnaires/<int:questionnaire_pk>/open/",
        views.questionnaire_open,
        name="questionnaire_open",
    ),
    path(
        "<int:pk>/questionnaires/<int:questionnaire_pk>/close/",
        views.questionnaire_close,
        name="questionnaire_close",
    ),
    path(
        "<int:pk>/questionnaires/<int:questionnaire_pk>/results/",
        views.questionnaire_results_view,
        name="questionnaire_results",
    ),
    path(
        "<int:pk>/questionnaires/<int:questionnaire_pk>/results.xlsx",
        views.questionnaire_export,
        name="questionnaire_export",
    ),
    # A fiscal year's training catalogue (研修計画) and its needs questionnaires (研修ニーズ調査).
    path("catalogue/<int:year>/", views.training_catalogue_view, name="catalogue"),
    path(
        "catalogue/<int:year>/questionnaires/new/",
        views.needs_questionnaire_create,
        name="needs_questionnaire_create",
    ),
    path(
        "catalogue/<int:year>/questionnaires/<int:questionnaire_pk>/",
        views.needs_questionnaire_manage,
        name="needs_questionnaire",
    ),
    path(
        "catalogue/<int:year>/questionnaires/<int:questionnaire_pk>/open/",
        views.needs_questionnaire_open,
        name="needs_questionnaire_open",
    ),
    path(
        "catalogue/<int:year>/questionnaires/<int:questionnaire_pk>/close/",
        views.needs_questionnaire_close,
        name="needs_questionnaire_close",
    ),
    path(
        "catalogue/<int:year>/questionnaires/<int:questionnaire_pk>/results/",
        views.needs_questionnaire_results,
        name="needs_questionnaire_results",
    ),
    path(
        "catalogue/<int:year>/questionnaires/<int:questionnaire_pk>/results.xlsx",
        views.needs_questionnaire_export,
        name="needs_questionnaire_export",
    ),
    path(
        "catalogue/<int:year>/questionnaires/<int:questionnaire_pk>/answer/",
        views.needs_questionnaire_answer,
        name="needs_questionnaire_answer",
    ),
    path("check-in/<str:token>/", views.check_in_scan, name="check_in_scan"),
    # Public: an event open to non-members, and each registrant's own link.
    path("<int:pk>/apply/", views.public_apply, name="apply"),
    path("r/<str:token>/", views.registration_page, name="registration"),
    path("r/<str:token>/confirm/", views.registration_confirm, name="registration_confirm"),
    path(
        "r/<str:token>/cancel/", views.registration_cancel_by_link, name="registration_cancel_link"
    ),
    path(
        "r/<str:token>/questionnaires/<int:pk>/",
        views.questionnaire_answer_by_link,
        name="questionnaire_answer_link",
    ),
    path("r/<str:token>/calendar.ics", views.registration_ics, name="registration_ics"),
]
