"""The pages of seminars and trainings, as members, the secretariat and non-members use them."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from renkei.accounts.models import User
from renkei.directory.models import Person
from renkei.events import services
from renkei.events.models import Event, EventStatus, Registration, RegistrationStatus
from renkei.events.selectors import seats_label
from renkei.events.tests.builders import event_draft, participants_download
from renkei.mailer.models import OutboxMessage
from renkei.testing import login_client

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def apply(client: Client, event: Event, **fields) -> object:
    data = {
        "organization_name": "上砂川町",
        "department": "総務課",
        "name": "未加入 花子",
        "email": "hanako@kami.example.lg.jp",
        **fields,
    }
    return client.post(reverse("events:apply", args=[event.pk]), data)


def register_page(user: User, event: Event, person: Person) -> str:
    """Register the person from the event's page as the user; return the page shown next."""
    response = login_client(user).post(
        reverse("events:register", args=[event.pk]), {"person": person.pk}, follow=True
    )
    return text_of(response)


# --- members ------------------------------------------------------------------------------


def test_detail_shows_the_program_as_the_seeds_write_it(council, seminar):
    page = text_of(login_client(council.staff).get(reverse("events:detail", args=[seminar.pk])))

    assert "講演1 「県・市町村共同電子申請・届出サービスの取組みについて」" in page
    assert "長野県企画部情報統計課電子自治体推進係長 上澤 政裕 氏" in page
    assert "定員 2名（参加確定0名、残り2名）" in page


def test_member_registers_themself_from_the_detail_page(council, seminar):
    page = register_page(council.staff, seminar, council.staff.person)

    assert "参加が確定しました" in page
    registration = Registration.objects.get(event=seminar)
    assert (registration.status, registration.registered_by) == ("confirmed", council.staff)


def test_member_cannot_register_someone_of_another_organization(council, seminar):
    page = register_page(council.staff, seminar, council.outsider.person)

    assert "自団体の職員のみ" in page
    assert not Registration.objects.exists()


def test_full_event_puts_the_next_member_on_the_waiting_list(council, seminar):
    for n in range(2):
        person = Person.objects.create(
            name=f"当別 {n}", email=f"t{n}@town.example.lg.jp", organization=council.member_org
        )
        services.member_register(event=seminar, person=person, by=council.representative)

    page = register_page(council.staff, seminar, council.staff.person)

    assert "キャンセル待ちになりました" in page


def test_draft_event_is_hidden_from_members(council):
    event = services.event_create(by=council.secretariat, draft=event_draft())

    response = login_client(council.staff).get(reverse("events:detail", args=[event.pk]))

    assert response.status_code == 404


def test_list_shows_the_fiscal_year_counts_and_filters_by_kind(council, seminar):
    services.member_register(event=seminar, person=council.staff.person, by=council.staff)
    client = login_client(council.staff)

    page = text_of(client.get(reverse("events:list")))
    assert "開催1件（セミナー1件）、参加者数 1名" in page
    assert "トピックスセミナー" in page
    filtered = text_of(client.get(reverse("events:list"), {"kind": "training"}))
    assert "条件に当てはまる催しはありません（0件）" in filtered


def test_event_list_costs_the_same_queries_for_3_or_40_events(council, django_assert_num_queries):
    client = login_client(council.staff)
    for n in range(3):
        event = services.event_create(by=council.secretariat, draft=event_draft(title=f"研修{n}"))
        services.event_publish(event=event, by=council.secretariat)
    client.get(reverse("events:list"))
    # Session, user; the years with the count, the page, its seats, the year's counts.
    with django_assert_num_queries(6):
        client.get(reverse("events:list"))
    for n in range(37):
        event = services.event_create(by=council.secretariat, draft=event_draft(title=f"講演{n}"))
        services.event_publish(event=event, by=council.secretariat)
    with django_assert_num_queries(6):
        page = text_of(client.get(reverse("events:list")))
    assert "1 / 2 ページ（全40件）" in page
    # A filtered list counts its own rows: one query more, however many events.
    with django_assert_num_queries(7):
        filtered = text_of(client.get(reverse("events:list"), {"q": "講演"}))
    assert "1 / 2 ページ（全37件）" in filtered


def test_event_list_counts_only_the_events_the_member_sees(council, seminar):
    services.event_create(by=council.secretariat, draft=event_draft(title="下書きの研修"))

    member_page = text_of(login_client(council.staff).get(reverse("events:list")))
    secretariat_page = text_of(login_client(council.secretariat).get(reverse("events:list")))

    assert "催しの一覧（1件）" in member_page and "下書きの研修" not in member_page
    assert "催しの一覧（2件）" in secretariat_page and "下書きの研修" in secretariat_page


def test_list_and_page_say_where_the_event_stands_not_its_publication(council, seminar):
    services.member_register(event=seminar, person=council.staff.person, by=council.staff)
    client = login_client(council.staff)
    detail_url = reverse("events:detail", args=[seminar.pk])

    assert (
        '<td class="nowrap">申込受付中</td>' in client.get(reverse("events:list")).content.decode()
    )
    page = text_of(client.get(detail_url))
    assert "トピックスセミナー 申込受付中" in page and "残り1名" in page

    # The seminar took place last month.
    held = timezone.now() - dt.timedelta(days=30)
    Event.objects.filter(pk=seminar.pk).update(starts_at=held, ends_at=held + dt.timedelta(hours=3))

    listed = client.get(reverse("events:list")).content.decode()
    assert '<td class="nowrap">開催済み</td>' in listed and "公開中" not in listed
    page = text_of(client.get(detail_url))
    assert "トピックスセミナー 開催済み" in page
    assert "参加確定1名）" in page and "残り" not in page
    assert "申込の受付は終了しました。" in page


def test_event_list_marks_itself_as_the_current_page(council, seminar):
    page = login_client(council.staff).get(reverse("events:list")).content.decode()

    assert f'<a href="{reverse("events:list")}">セミナー・研修</a>' not in page
    assert '<span aria-current="page">セミナー・研修</span>' in page


def test_event_list_says_seats_taken_of_capacity_and_waiting(council, seminar):
    services.member_register(event=seminar, person=council.staff.person, by=council.staff)
    seminar.refresh_from_db()

    page = login_client(council.staff).get(reverse("events:list")).content.decode()

    assert f'<a href="{reverse("events:detail", args=[seminar.pk])}">{seminar.title}</a>' in page
    assert f'<td class="nowrap">1 / {seminar.capacity:,}名</td>' in page


def test_seats_label_writes_thousands_and_the_waiting_list():
    assert seats_label(confirmed=1200, capacity=2000, waitlisted=0) == "1,200 / 2,000名"
    assert seats_label(confirmed=3, capacity=None, waitlisted=0) == "3名"
    assert seats_label(confirmed=30, capacity=30, waitlisted=1500) == "30 / 30名（待ち1,500）"


# --- the secretariat ----------------------------------------------------------------------


def test_secretariat_writes_a_seminar_with_a_four_talk_program_and_publishes_it(council):
    client = login_client(council.secretariat)
    day = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    response = client.post(
        reverse("events:create"),
        {
            "title": "トピックスセミナー",
            "kind": "seminar",
            "day": day,
            "start_time": "13:30",
            "end_time": "17:00",
            "venue": "東京国際フォーラム",
            "delivery": "venue",
            "capacity": "80",
            "audience": "open",
        },
    )
    event = Event.objects.get()
    assert response["Location"] == reverse("events:program", args=[event.pk])
    talks = [
        ("講演1", "県・市町村共同電子申請・届出サービスの取組みについて", "上澤 政裕"),
        ("講演2", "福岡県共通基盤によるシステム構築", "望月 昌樹"),
        ("講演3", "北本市におけるレガシー改革への取組み", "新井 信弘"),
        ("講演4", "西いぶり広域連合の共同アウトソーシング", "木村 壽信"),
    ]
    data = {"sessions-TOTAL_FORMS": "5", "sessions-INITIAL_FORMS": "0"}
    for i, (label, theme, speaker) in enumerate(talks):
        data |= {
            f"sessions-{i}-label": label,
            f"sessions-{i}-theme": theme,
            f"sessions-{i}-speaker_name": speaker,
        }
    saved = client.post(reverse("events:program", args=[event.pk]), data, follow=True)
    assert "プログラムを保存しました（4件）。" in text_of(saved)  # the blank fifth row is no row
    assert list(event.sessions.values_list("label", flat=True)) == [
        "講演1",
        "講演2",
        "講演3",
        "講演4",
    ]

    confirm = text_of(client.get(reverse("events:publish", args=[event.pk])))
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT  # the confirmation page changed nothing
    assert "会員以外の団体も申込ページから申し込めるようになります" in confirm
    client.post(reverse("events:publish", args=[event.pk]), {"confirm": "yes"})

    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert event.starts_at == dt.datetime.fromisoformat(f"{day}T13:30:00+09:00")


def test_event_form_explains_what_is_wrong_in_japanese(council):
    response = login_client(council.secretariat).post(
        reverse("events:create"),
        {
            "title": "研修",
            "kind": "training",
            "day": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            "start_time": "17:00",
            "end_time": "13:00",
            "delivery": "online",
            "audience": "members",
        },
    )

    assert response.status_code == 400
    assert "終了日時は開始日時より後にしてください。" in text_of(response)
    assert not Event.objects.exists()


def test_cancel_confirmation_names_who_is_told(council, seminar):
    services.member_register(event=seminar, person=council.staff.person, by=council.staff)

    page = text_of(
        login_client(council.secretariat).get(reverse("events:cancel", args=[seminar.pk]))
    )

    assert "申込者 1名（参加確定1名、キャンセル待ち0名、メール確認待ち0名）に中止のお知らせ" in page
    seminar.refresh_from_db()
    assert seminar.status == EventStatus.PUBLISHED


def test_reception_checks_in_from_the_qr_code_page(council, seminar):
    registration = services.member_register(
        event=seminar, person=council.staff.person, by=council.staff
    )
    client = login_client(council.secretariat)

    scan = client.get(reverse("events:check_in_scan", args=[registration.token]))
    assert "当別 次郎" in text_of(scan)
    client.post(reverse("events:check_in", args=[seminar.pk, registration.pk]))

    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    sheet = text_of(client.get(reverse("events:sign_in_sheet", args=[seminar.pk])))
    assert "参加確定 1名" in sheet and "済" in sheet


def test_registration_list_costs_the_same_queries_for_5_or_60_registrations(
    council, seminar, django_assert_num_queries
):
    Event.objects.filter(pk=seminar.pk).update(capacity=None)
    seminar.refresh_from_db()
    client = login_client(council.secretariat)

    def register(count: int, start: int) -> None:
        for n in range(start, start + count):
            services.public_register(
                event=seminar,
                registrant=services.Registrant(
                    name=f"参加者{n}", organization_name="上砂川町", email=f"p{n}@example.lg.jp"
                ),
            )

    register(5, 0)
    url = reverse("events:registrations", args=[seminar.pk])
    client.get(url)
    # Session, user, MFA, the event; the seats with the list's count in one query; the page.
    with django_assert_num_queries(6):
        client.get(url)
    register(55, 5)
    with django_assert_num_queries(6):
        page = text_of(client.get(url))
    assert "申込者（60名）" in page
    with django_assert_num_queries(6):
        filtered = text_of(client.get(url, {"q": "参加者1", "status": "unconfirmed"}))
    # 参加者1 and 参加者10 … 参加者19.
    assert "申込者（11名）" in filtered


def test_registration_list_checks_in_from_the_row_and_comes_back(council, seminar):
    confirmed = services.member_register(
        event=seminar, person=council.staff.person, by=council.staff
    )
    unconfirmed = services.public_register(
        event=seminar,
        registrant=services.Registrant(
            name="未加入 花子", organization_name="上砂川町", email="hanako@example.lg.jp"
        ),
    )
    client = login_client(council.secretariat)
    url = reverse("events:registrations", args=[seminar.pk])

    page = client.get(url, {"member": "member"}).content.decode()
    check_in = reverse("events:check_in", args=[seminar.pk, confirmed.pk])
    assert f'form="check-in" formaction="{check_in}"' in page
    assert reverse("events:check_in", args=[seminar.pk, unconfirmed.pk]) not in page
    assert '<form id="check-in" method="post">' in page and "csrfmiddlewaretoken" in page
    back = f"{url}?member=member"
    assert f'name="next" value="{back}"' in page.replace("&amp;", "&")

    response = client.post(check_in, {"next": back})

    assert response.status_code == 302 and response["Location"] == back
    confirmed.refresh_from_db()
    assert confirmed.checked_in_at is not None
    after = text_of(client.get(back))
    assert "受付済み（" in after and "受付する" not in after


# --- non-members --------------------------------------------------------------------------


def test_non_member_registers_confirms_by_mail_and_gets_a_qr_code(council, seminar):
    anonymous = Client()
    sent = apply(anonymous, seminar)
    assert "確認メールを送りました" in text_of(sent)
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.UNCONFIRMED

    confirm_url = reverse("events:registration_confirm", args=[registration.token])
    assert confirm_url in OutboxMessage.objects.get(template="event_confirm_address").body_text
    anonymous.get(confirm_url)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.UNCONFIRMED  # a GET confirms nothing
    anonymous.post(confirm_url)

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    page = anonymous.get(reverse("events:registration", args=[registration.token]))
    assert "<svg" in page.content.decode() and "受付用QRコード" in text_of(page)
    calendar = Calendar.from_ical(
        anonymous.get(reverse("events:registration_ics", args=[registration.token])).content
    )
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["summary"]) == "トピックスセミナー"
    assert entry.decoded("dtstart") == seminar.starts_at
    prospects = text_of(login_client(council.secretariat).get(reverse("events:prospects")))
    assert "上砂川町" in prospects


def test_an_overlong_prospect_search_is_refused_in_japanese_and_the_list_stays_whole(
    council, seminar
):
    apply(Client(), seminar)
    Registration.objects.update(status=RegistrationStatus.CONFIRMED)  # its address confirmed
    client = login_client(council.secretariat)
    page = text_of(client.get(reverse("events:prospects"), {"q": "町" * 101}))
    assert "100 文字以下" in page and "上砂川町" in page
    assert "上砂川町" not in text_of(client.get(reverse("events:prospects"), {"q": "札幌"}))


def test_the_registration_flow_opens_no_member_page(council, seminar):
    anonymous = Client()
    apply(anonymous, seminar)
    registration = Registration.objects.get()
    anonymous.post(reverse("events:registration_confirm", args=[registration.token]))

    for name, args in (
        ("events:list", []),
        ("events:detail", [seminar.pk]),
        ("events:registrations", [seminar.pk]),
        ("events:check_in_scan", [registration.token]),
        ("home", []),
    ):
        response = anonymous.get(reverse(name, args=args))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("account_login")), name


def test_members_only_and_draft_events_have_no_public_page(council, seminar):
    members_only = services.event_create(
        by=council.secretariat, draft=event_draft(audience="members")
    )
    services.event_publish(event=members_only, by=council.secretariat)
    draft = services.event_create(by=council.secretariat, draft=event_draft())

    for event in (members_only, draft):
        assert Client().get(reverse("events:apply", args=[event.pk])).status_code == 404
    assert apply(Client(), members_only).status_code == 404
    assert not Registration.objects.exists()


def test_public_form_refuses_a_bad_address_and_stores_nothing(seminar):
    response = apply(Client(), seminar, email="hanako@")

    assert response.status_code == 400
    assert "メールアドレスの形式が正しくありません。" in text_of(response)
    assert not Registration.objects.exists()


def test_registrant_cancels_by_link_after_confirmation_and_the_next_is_promoted(council, seminar):
    regs = []
    for n in range(3):
        regs.append(
            services.public_register(
                event=seminar,
                registrant=services.Registrant(
                    name=f"参加者{n}", organization_name="上砂川町", email=f"p{n}@example.lg.jp"
                ),
            )
        )
        services.registration_confirm(registration=regs[-1])
    regs[2].refresh_from_db()
    assert regs[2].status == RegistrationStatus.WAITLISTED
    link = reverse("events:registration_cancel_link", args=[regs[0].token])

    page = text_of(Client().get(link))
    assert "空いた席はキャンセル待ちの先頭の方に繰り上がります" in page
    Client().post(link, {"confirm": "yes"})

    regs[2].refresh_from_db()
    assert regs[2].status == RegistrationStatus.CONFIRMED


def test_participant_workbook_lists_every_registration_with_wareki_dates(council, seminar):
    import io

    from openpyxl import load_workbook

    from renkei.audit.models import Action, AuditEvent
    from renkei.core.wareki import WAREKI_DATETIME_FORMAT

    workbook, registration = participants_download(
        council=council, event=seminar, outsider_name="=cmd|' /C calc'!A0"
    )

    sheet = load_workbook(io.BytesIO(workbook)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [(r[1], r[3], r[5], r[6]) for r in rows] == [
        ("上砂川町", "'=cmd|' /C calc'!A0", "会員外", "メール確認待ち"),
        ("当別町", "当別 次郎", "会員", "参加確定"),
    ]
    assert sheet["I5"].number_format == WAREKI_DATETIME_FORMAT
    assert [sheet["A1"].value, sheet["A4"].value, sheet["A5"].value] == [seminar.title, 1, 2]
    assert (sheet.freeze_panes, sheet.auto_filter.ref, sheet.max_row) == ("A4", "A3:I3", 5)
    registration.refresh_from_db()
    local = timezone.localtime(registration.checked_in_at).replace(tzinfo=None)
    assert abs(sheet["I5"].value - local) < dt.timedelta(seconds=1)
    assert AuditEvent.objects.filter(action=Action.EXPORTED, target_type="events.event").exists()
