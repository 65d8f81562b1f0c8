"""An event's documents: the secretariat adds and removes them, members and registrants open
those they may, through the pages and the registrant's own link."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.audit.models import Action, AuditEvent
from renkei.events import services
from renkei.events.models import Event, EventMaterial, MaterialTiming, RegistrationStatus
from renkei.events.tests.builders import event_draft
from renkei.testing import login_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name: str = "kouen1.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def add(event: Event, by, **fields) -> EventMaterial:
    values = {"title": "講演1 資料", "file": pdf(), **fields}
    return services.material_add(event=event, by=by, **values)


def test_secretariat_uploads_a_document_that_members_open_from_the_event_page(council, seminar):
    client = login_client(council.secretariat)
    response = client.post(
        reverse("events:material_add", args=[seminar.pk]),
        {"timing": MaterialTiming.AFTER, "title": "講演1「共同電子申請」", "file": pdf()},
    )
    assert response.status_code == 302
    material = EventMaterial.objects.get(event=seminar)
    assert AuditEvent.objects.filter(
        action=Action.CHANGED, detail__material="added", actor_username=council.secretariat.username
    ).exists()

    member = login_client(council.staff)
    page = member.get(reverse("events:detail", args=[seminar.pk])).content.decode()
    url = reverse("events:material", args=[seminar.pk, material.pk])
    assert f'<a href="{url}">講演1「共同電子申請」</a>' in page
    assert "当日・事後資料" in page
    download = member.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert ".pdf" in download["Content-Disposition"]


def test_a_bad_file_is_refused_in_japanese_and_nothing_is_stored(council, seminar, media_root):
    client = login_client(council.secretariat)
    macro = SimpleUploadedFile("keisan.xlsm", b"PK\x03\x04", content_type="application/zip")

    response = client.post(
        reverse("events:material_add", args=[seminar.pk]),
        {"timing": MaterialTiming.BEFORE, "title": "", "file": macro},
    )

    assert response.status_code == 400
    assert "マクロを含むファイル（.xlsm など）はアップロードできません" in response.content.decode()
    assert not EventMaterial.objects.exists()
    assert not any(path.is_file() for path in media_root.rglob("*"))


def test_a_registrants_only_document_opens_once_the_member_is_confirmed(council, seminar):
    material = add(seminar, council.secretariat, registrants_only=True)
    member = login_client(council.staff)
    url = reverse("events:material", args=[seminar.pk, material.pk])

    page = member.get(reverse("events:detail", args=[seminar.pk])).content.decode()
    assert (
        '講演1 資料<span class="muted">（参加が確定した方のみ）</span>' in page
        and f'href="{url}"' not in page
    )
    assert member.get(url).status_code == 403

    services.member_register(event=seminar, person=council.staff.person, by=council.staff)

    page = member.get(reverse("events:detail", args=[seminar.pk])).content.decode()
    assert f'href="{url}"' in page
    assert member.get(url).status_code == 200


def test_a_non_member_opens_documents_through_their_own_link_only(client, council, seminar):
    public = add(seminar, council.secretariat, title="事前資料")
    private = add(seminar, council.secretariat, title="講師資料", registrants_only=True)
    registration = services.public_register(
        event=seminar,
        registrant=services.Registrant(
            name="未加入 花子", organization_name="上砂川町", email="hanako@kami.example.lg.jp"
        ),
    )
    token = registration.token

    def link(material: EventMaterial) -> str:
        return reverse("events:material_link", args=[token, material.pk])

    # Not confirmed yet: the shared document opens, the one for those attending does not.
    page = client.get(reverse("events:registration", args=[token])).content.decode()
    assert f'href="{link(public)}"' in page and f'href="{link(private)}"' not in page
    assert client.get(link(public)).status_code == 200
    assert client.get(link(private)).status_code == 403
    # The member page of the same document asks for a login.
    member_url = reverse("events:material", args=[seminar.pk, public.pk])
    assert client.get(member_url).status_code == 302

    services.registration_confirm(registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert client.get(link(private)).status_code == 200


def test_a_link_opens_no_document_of_another_event(client, council, seminar):
    other = services.event_create(by=council.secretariat, draft=event_draft(title="別の研修"))
    services.event_publish(event=other, by=council.secretariat)
    material = add(other, council.secretariat)
    registration = services.member_register(
        event=seminar, person=council.staff.person, by=council.staff
    )

    response = client.get(reverse("events:material_link", args=[registration.token, material.pk]))

    assert response.status_code == 404


def test_removing_a_document_is_confirmed_first_and_the_file_goes_after_commit(
    council, seminar, django_capture_on_commit_callbacks
):
    material = add(seminar, council.secretariat)
    stored = material.file.path
    client = login_client(council.secretariat)
    url = reverse("events:material_delete", args=[seminar.pk, material.pk])

    page = client.get(url).content.decode()
    assert "元に戻せません" in page and "会員も申込者も、この資料を開けなくなります" in page
    assert EventMaterial.objects.filter(pk=material.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "yes"})

    assert response.status_code == 302
    assert not EventMaterial.objects.filter(pk=material.pk).exists()
    assert not Path(stored).exists()
    assert AuditEvent.objects.filter(action=Action.DELETED, detail__material="deleted").exists()


def test_members_cannot_add_or_remove_documents(council, seminar):
    material = add(seminar, council.secretariat)
    member = login_client(council.representative)

    assert member.get(reverse("events:material_add", args=[seminar.pk])).status_code == 403
    delete_url = reverse("events:material_delete", args=[seminar.pk, material.pk])
    assert member.post(delete_url, {"confirm": "yes"}).status_code == 403
    assert EventMaterial.objects.filter(pk=material.pk).exists()
