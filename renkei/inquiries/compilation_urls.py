"""URLs of the compilation pages; included by urls.py under the "inquiries" namespace."""

from django.urls import path

from renkei.inquiries import compilation_views as views

urlpatterns = [
    path("<int:pk>/compilation/", views.compilation, name="compilation"),
    path("<int:pk>/compilation/matrix/", views.compilation_matrix_view, name="compilation_matrix"),
    path(
        "<int:pk>/compilation/questions/<int:question_pk>/",
        views.compilation_question,
        name="compilation_question",
    ),
    path("<int:pk>/compilation/compare/", views.compilation_compare, name="compilation_compare"),
    path("<int:pk>/exports/", views.export_list, name="export_list"),
    path("<int:pk>/exports/<int:export_pk>/", views.export_detail, name="export_detail"),
    path(
        "<int:pk>/exports/<int:export_pk>/download/",
        views.export_download,
        name="export_download",
    ),
    path("<int:pk>/offline/", views.offline, name="offline"),
    path("<int:pk>/offline/sheet/", views.offline_sheet, name="offline_sheet"),
]
