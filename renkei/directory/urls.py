from django.urls import path

from renkei.directory import views

app_name = "directory"
urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path(
        "organizations/<int:pk>/staff/",
        views.organization_staff_manage,
        name="organization_staff_manage",
    ),
    path(
        "organizations/<int:pk>/contacts/",
        views.organization_contacts,
        name="organization_contacts",
    ),
    path(
        "organizations/<int:pk>/notification/",
        views.organization_notification_edit,
        name="organization_notification",
    ),
    path("users/<int:pk>/active/", views.user_set_active_view, name="user_set_active"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("staff/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("staff/<int:pk>/transfer/", views.person_reassign, name="person_reassign"),
    path("staff/<int:pk>/leave/", views.person_leave, name="person_leave"),
    path("profile/", views.profile, name="profile"),
    path("profile/email/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    path(
        "organizations/invitations/<int:pk>/revoke/",
        views.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("membership/", views.membership_status, name="membership_status"),
    path("manage/", views.manage_index, name="manage_index"),
    path(
        "manage/organizations/new/", views.manage_organization_form, name="manage_organization_new"
    ),
    path(
        "manage/organizations/<int:pk>/edit/",
        views.manage_organization_form,
        name="manage_organization_edit",
    ),
    path(
        "manage/organizations/<int:pk>/membership/",
        views.manage_membership,
        name="manage_membership",
    ),
    path(
        "manage/organizations/<int:pk>/people/new/",
        views.manage_person_new,
        name="manage_person_new",
    ),
    path(
        "manage/people/<int:pk>/transfer/",
        views.manage_person_transfer,
        name="manage_person_transfer",
    ),
    path("manage/people/<int:pk>/role/", views.manage_user_role, name="manage_user_role"),
    path("manage/people/<int:pk>/group/", views.manage_person_group, name="manage_person_group"),
    path("manage/groups/", views.manage_groups, name="manage_groups"),
    path("manage/groups/<int:pk>/", views.manage_group, name="manage_group"),
    path("manage/invitations/", views.manage_invitations, name="manage_invitations"),
]
