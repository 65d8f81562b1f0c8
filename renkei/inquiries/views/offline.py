"""The offline answer sheet: download it and upload it filled in."""

import io

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from renkei.inquiries.models import InquiryStatus
from renkei.inquiries.offline.download import answer_sheet_filename, answer_sheet_xlsx
from renkei.inquiries.offline.layout import CONTENT_TYPE, OfflineSheetError
from renkei.inquiries.offline.reading import offline_answer_import
from renkei.inquiries.permissions import get_answer_for
from renkei.inquiries.services.errors import AnswerConflictError, InquiryError
from renkei.inquiries.views.common import results_crumbs


@require_http_methods(["GET", "POST"])
def offline(request: HttpRequest, pk: int) -> HttpResponse:
    """Offer the organization's answer sheet and take the filled one back."""
    answer = get_answer_for(request.user, pk)
    inquiry = answer.inquiry
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("sheet")
        status = 400
        if upload is None:
            errors = ["アップロードする回答票（.xlsx）を選んでください。"]
        else:
            try:
                read = offline_answer_import(answer=answer, by=request.user, upload=upload)
            except OfflineSheetError as exc:
                errors = exc.errors
            except AnswerConflictError as exc:
                # As the web form: someone saved after the sheet was downloaded.
                errors = [
                    exc.message,
                    "この回答票はその保存より前にダウンロードしたものです。"
                    "最新の回答票をダウンロードし、記入し直してからアップロードしてください。",
                ]
                status = 409
            except InquiryError as exc:
                errors = [exc.message]
            else:
                for note in read.notes:
                    messages.info(request, note)
                messages.success(
                    request,
                    "回答票の内容を保存しました（作成中）。内容を確認してから提出してください。"
                    "続けて回答票で修正する場合は、回答票をダウンロードし直してください。",
                )
                return redirect("inquiries:offline", pk=inquiry.pk)
    return render(
        request,
        "inquiries/compilation/offline.html",
        {
            "inquiry": inquiry,
            "answer": answer,
            "errors": errors,
            "accepting": inquiry.status == InquiryStatus.OPEN,
            "nav": "inquiries",
            "breadcrumbs": results_crumbs(inquiry, ("Excelで回答", None)),
            "conflict": status == 409,
        },
        status=status,
    )


def offline_sheet(request: HttpRequest, pk: int) -> FileResponse:
    """Send the organization's own answer sheet with its current answer filled in."""
    answer = get_answer_for(request.user, pk)
    organization = answer.organization
    content = answer_sheet_xlsx(answer=answer)
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=answer_sheet_filename(inquiry=answer.inquiry, organization=organization),
        content_type=CONTENT_TYPE,
    )
