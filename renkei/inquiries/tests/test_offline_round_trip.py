"""Property: any answer the web form takes comes back unchanged through the offline sheet.

Web form → stored answer → downloaded sheet → uploaded as it is → stored answer, equal.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from renkei.inquiries.models import Answer
from renkei.inquiries.tests.typed_answers import ROUND_TRIP, typed_answer
from renkei.testing import login_client


@settings(ROUND_TRIP, max_examples=40)
@given(data=st.data())
def test_web_answer_comes_back_unchanged_through_the_sheet(council, every_kind, data):
    inquiry, questions = every_kind
    client = login_client(council.staff)
    answer_url = reverse("inquiries:answer", args=[inquiry.pk])
    answer = Answer.objects.filter(inquiry=inquiry, organization=council.member_org).first()
    post = {
        "revision": answer.revision if answer else 0,
        "kind": "answered",
        "intent": "save",
        **data.draw(typed_answer(questions)),
    }
    saved = client.post(answer_url, post)
    assert saved.status_code == 302, saved.content.decode()
    stored = Answer.objects.get(inquiry=inquiry, organization=council.member_org)

    sheet = client.get(reverse("inquiries:offline_sheet", args=[inquiry.pk]))
    content = b"".join(sheet.streaming_content)
    uploaded = client.post(
        reverse("inquiries:offline", args=[inquiry.pk]),
        {"sheet": SimpleUploadedFile("回答票.xlsx", io.BytesIO(content).read())},
    )

    assert uploaded.status_code == 302, uploaded.content.decode()
    after = Answer.objects.get(pk=stored.pk)
    assert after.data == stored.data
    assert after.revision == stored.revision + 1
