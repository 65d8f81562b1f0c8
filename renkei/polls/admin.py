from django.contrib import admin

from renkei.polls.models import Choice, Poll, Vote, VoteChoice


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["question", "start_date", "end_date", "status", "requesting_organization"]
    list_filter = ["status", "vote_scope", "results_visibility"]
    search_fields = ["question"]
    date_hierarchy = "start_date"
    raw_id_fields = ["requesting_organization"]
    readonly_fields = [
        "created_by",
        "reviewed_by",
        "reviewed_at",
        "closed_early_at",
        "closed_early_by",
        "created_at",
        "updated_at",
    ]
    inlines = [ChoiceInline]


class VoteChoiceInline(admin.TabularInline):
    model = VoteChoice
    extra = 0
    readonly_fields = ["choice"]
    can_delete = False


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    # Ballots are evidence of the count: read them here, never edit them.
    list_display = ["poll", "voter", "organization", "created_at"]
    list_select_related = ["poll", "voter", "organization"]
    readonly_fields = ["poll", "voter", "organization", "voter_key", "created_at"]
    inlines = [VoteChoiceInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
