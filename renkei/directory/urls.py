"""URLs of the directory; each view is named by its module in renkei/directory/views/."""

from django.urls import path

from renkei.directory.views import groups, invitations, lists, manage, profile, staff

app_name = "directory"
urlpatterns = [
    path("organizations/", lists.organization_list, name="organization_list"),
    path("organizations/<int:pk>/", lists.organization_detail, name="organization_detail"),
    path(
        "organizations/<int:pk>/staff/",
        staff.organization_staff_manage,
        name="organization_staff_manage",
    ),
    path(
        "organizations/<int:pk>/contacts/",
        staff.organization_contacts,
        name="organization_contacts",
    ),
    path(
        "organizations/<int:pk>/notification/",
        staff.organization_notification_edit,
        name="organization_notification",
    ),
    path("users/<int:pk>/active/", staff.user_set_active_view, name="user_set_active"),
    path("users/<int:pk>/deactivate/", staff.user_deactivate, name="user_deactivate"),
    path("staff/<int:pk>/edit/", staff.person_edit, name="person_edit"),
    path("staff/<int:pk>/transfer/", staff.person_reassign, name="person_reassign"),
    path("staff/<int:pk>/leave/", staff.person_leave, name="person_leave"),
    path("profile/", profile.profile, name="profile"),
    path("profile/email/<str:token>/", profile.email_change_confirm, name="email_change_confirm"),
    path(
        "organizations/invitations/<int:pk>/revoke/",
        invitations.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("people/", lists.person_list, name="person_list"),
    path("people/<int:pk>/", lists.person_detail, name="person_detail"),
    path("membership/", lists.membership_status, name="membership_status"),
    path("manage/", manage.manage_index, name="manage_index"),
    path(
        "manage/organizations/new/", manage.manage_organization_form, name="manage_organization_new"
    ),
    path(
        "manage/organizations/<int:pk>/edit/",
        manage.manage_organization_form,
        name="manage_organization_edit",
    ),
    path(
        "manage/organizations/<int:pk>/membership/",
        manage.manage_membership,
        name="manage_membership",
    ),
    path(
        "manage/organizations/<int:pk>/people/new/",
        manage.manage_person_new,
        name="manage_person_new",
    ),
    path(
        "manage/people/<int:pk>/transfer/",
        manage.manage_person_transfer,
        name="manage_person_transfer",
    ),
    path("manage/people/<int:pk>/role/", manage.manage_user_role, name="manage_user_role"),
    path("manage/people/<int:pk>/group/", groups.manage_person_group, name="manage_person_group"),
    path("manage/groups/", groups.manage_groups, name="manage_groups"),
    path("manage/groups/<int:pk>/", groups.manage_group, name="manage_group"),
    path("manage/invitations/", manage.manage_invitations, name="manage_invitations"),
]
