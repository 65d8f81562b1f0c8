"""URLs of seminars and trainings (セミナー・研修), mounted at /events/; each view is named by its
module in renkei/events/views/."""

from django.urls import path

from renkei.events.views import (
    authoring,
    catalogue,
    lists,
    materials,
    questionnaire_answers,
    questionnaire_results,
    questionnaires,
    reception,
    registration,
)

app_name = "events"

urlpatterns = [
    path("", lists.event_list_view, name="list"),
    path("new/", authoring.event_create, name="create"),
    path("prospects/", lists.prospect_list, name="prospects"),
    path("<int:pk>/", lists.event_detail, name="detail"),
    path("<int:pk>/edit/", authoring.event_edit, name="edit"),
    path("<int:pk>/program/", authoring.event_program, name="program"),
    path("<int:pk>/publish/", authoring.event_publish, name="publish"),
    path("<int:pk>/cancel/", authoring.event_cancel, name="cancel"),
    path("<int:pk>/register/", registration.event_register, name="register"),
    path("<int:pk>/materials/new/", materials.material_add, name="material_add"),
    path("<int:pk>/materials/<int:material_pk>/", materials.material_download, name="material"),
    path(
        "<int:pk>/materials/<int:material_pk>/delete/",
        materials.material_delete,
        name="material_delete",
    ),
    path(
        "<int:pk>/registrations/<int:registration_pk>/cancel/",
        registration.registration_cancel,
        name="registration_cancel",
    ),
    path("<int:pk>/registrations/", reception.registration_list, name="registrations"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/check-in/",
        reception.registration_check_in,
        name="check_in",
    ),
    path("<int:pk>/sign-in-sheet/", reception.sign_in_sheet, name="sign_in_sheet"),
    path("<int:pk>/participants.xlsx", reception.participants_export, name="participants_export"),
    path(
        "<int:pk>/questionnaires/new/",
        questionnaires.questionnaire_create,
        name="questionnaire_create",
    ),
    path(
        "<int:pk>/questionnaires/<int:questionnaire_pk>/",
        questionnaires.questionnaire_manage,
        name="questionnaire",
    ),
    path(
        "<int:pk>/questionnaires/<int:questionnaire_pk>/open/",
        questionnaires.questionnaire_open,
        name="questionnaire_open",
    ),
    path(
        "<int:pk>/questionnaires/<int:questionnaire_pk>/close/",
        questionnaires.questionnaire_close,
        name="questionnaire_close",
    ),
    path(
        "<int:pk>/questionnaires/<int:questionnaire_pk>/results/",
        questionnaire_results.questionnaire_results_view,
        name="questionnaire_results",
    ),
    path(
        "<int:pk>/questionnaires/<int:questionnaire_pk>/results.xlsx",
        questionnaire_results.questionnaire_export,
        name="questionnaire_export",
    ),
    # A fiscal year's training catalogue (研修計画) and its needs questionnaires (研修ニーズ調査).
    path("catalogue/<int:year>/", catalogue.training_catalogue_view, name="catalogue"),
    path(
        "catalogue/<int:year>/questionnaires/new/",
        questionnaires.needs_questionnaire_create,
        name="needs_questionnaire_create",
    ),
    path(
        "catalogue/<int:year>/questionnaires/<int:questionnaire_pk>/",
        questionnaires.needs_questionnaire_manage,
        name="needs_questionnaire",
    ),
    path(
        "catalogue/<int:year>/questionnaires/<int:questionnaire_pk>/open/",
        questionnaires.needs_questionnaire_open,
        name="needs_questionnaire_open",
    ),
    path(
        "catalogue/<int:year>/questionnaires/<int:questionnaire_pk>/close/",
        questionnaires.needs_questionnaire_close,
        name="needs_questionnaire_close",
    ),
    path(
        "catalogue/<int:year>/questionnaires/<int:questionnaire_pk>/results/",
        questionnaire_results.needs_questionnaire_results,
        name="needs_questionnaire_results",
    ),
    path(
        "catalogue/<int:year>/questionnaires/<int:questionnaire_pk>/results.xlsx",
        questionnaire_results.needs_questionnaire_export,
        name="needs_questionnaire_export",
    ),
    path(
        "catalogue/<int:year>/questionnaires/<int:questionnaire_pk>/answer/",
        questionnaire_answers.needs_questionnaire_answer,
        name="needs_questionnaire_answer",
    ),
    path("check-in/<str:token>/", reception.check_in_scan, name="check_in_scan"),
    # Public: an event open to non-members, and each registrant's own link.
    path("<int:pk>/apply/", registration.public_apply, name="apply"),
    path("r/<str:token>/", registration.registration_page, name="registration"),
    path("r/<str:token>/confirm/", registration.registration_confirm, name="registration_confirm"),
    path(
        "r/<str:token>/cancel/",
        registration.registration_cancel_by_link,
        name="registration_cancel_link",
    ),
    path(
        "r/<str:token>/questionnaires/<int:pk>/",
        questionnaire_answers.questionnaire_answer_by_link,
        name="questionnaire_answer_link",
    ),
    path("r/<str:token>/calendar.ics", registration.registration_ics, name="registration_ics"),
    path(
        "r/<str:token>/materials/<int:pk>/",
        materials.material_download_by_link,
        name="material_link",
    ),
]
