"""Admin screens for inquiries, for the secretariat's repairs; daily work uses the pages."""

from django.contrib import admin

from renkei.inquiries.lifecycle import STARTED
from renkei.inquiries.models import (
    Answer,
    AnswerFile,
    AnswerVersion,
    Export,
    Inquiry,
    InquiryAttachment,
    Question,
    Reminder,
    Target,
)


def _started(inquiry: Inquiry | None) -> bool:
    return inquiry is not None and inquiry.status in STARTED


# A started inquiry's questions stay read-only here too, as the services keep them: answers
# refer to the questions as asked, and each process keeps a started inquiry's questions in
# its local cache (selectors.questions.inquiry_questions).


class QuestionInline(admin.TabularInline):
    model = Question
    fk_name = "inquiry"
    extra = 0
    fields = ["position", "code", "kind", "text", "required"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return not _started(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return not _started(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return not _started(obj) and super().has_delete_permission(request, obj)


class AttachmentInline(admin.TabularInline):
    model = InquiryAttachment
    extra = 0
    fields = ["name", "file", "size"]
    readonly_fields = ["size"]


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ["title", "requester", "status", "deadline", "opened_at", "published_at"]
    list_filter = ["status", "results_visibility", "requires_confirmation"]
    search_fields = ["title", "requester__name"]
    date_hierarchy = "created_at"
    raw_id_fields = ["requester", "created_by", "reviewed_by", "copied_from"]
    readonly_fields = ["created_at", "updated_at", "auto_reminder_sent_at"]
    inlines = [QuestionInline, AttachmentInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["inquiry", "code", "kind", "required", "position"]
    list_filter = ["kind"]
    search_fields = ["text", "inquiry__title"]
    raw_id_fields = ["condition_question"]
    # Moving a question to another (perhaps started) inquiry is not a repair.
    readonly_fields = ["inquiry"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        # Questions are added on the inquiry's own page, where its status is known.
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        started = obj is not None and _started(obj.inquiry)
        return not started and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        started = obj is not None and _started(obj.inquiry)
        return not started and super().has_delete_permission(request, obj)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["inquiry", "organization"]
    search_fields = ["inquiry__title", "organization__name"]
    raw_id_fields = ["inquiry", "organization"]


class VersionInline(admin.TabularInline):
    model = AnswerVersion
    extra = 0
    fields = ["number", "kind", "submitted_by", "submitted_at", "by_proxy"]
    readonly_fields = fields
    can_delete = False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["inquiry", "organization", "status", "kind", "updated_at", "submitted_at"]
    list_filter = ["status", "kind", "by_proxy"]
    search_fields = ["inquiry__title", "organization__name"]
    raw_id_fields = [
        "inquiry",
        "organization",
        "updated_by",
        "confirmation_requested_by",
        "confirmed_by",
        "submitted_by",
    ]
    readonly_fields = ["revision", "updated_at"]
    inlines = [VersionInline]


@admin.register(AnswerFile)
class AnswerFileAdmin(admin.ModelAdmin):
    list_display = ["name", "answer", "question", "size", "uploaded_at"]
    raw_id_fields = ["answer", "question", "uploaded_by"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["inquiry", "kind", "message_count", "sent_by", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["inquiry", "sent_by"]
    filter_horizontal = ["organizations"]


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    list_display = ["inquiry", "format", "status", "progress", "created_at"]
    list_filter = ["status", "format"]
    raw_id_fields = ["inquiry", "requested_by"]
