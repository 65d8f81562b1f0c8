"""notification_recipients: where the council's 照会 and お知らせ reach an organization."""

from renkei.directory import selectors
from renkei.directory.models import Department, OrganizationKind, Person, Post
from renkei.testing import make_contact, make_organization


def contact_without_account(organization, *, name: str, email: str, title: str = "課長") -> Person:
    department, _ = Department.objects.get_or_create(organization=organization, name="情報政策課")
    person = Person.objects.create(
        name=name, email=email, organization=organization, department=department
    )
    Post.objects.create(organization=organization, title=title, is_contact=True, holder=person)
    return person


def test_contacts_without_accounts_and_the_shared_mailbox_are_recipients(council):
    contact_without_account(council.other_org, name="和木 窓口", email="madoguchi@waki.lg.jp")
    council.other_org.notification_email = "joho@waki.lg.jp"
    council.other_org.save()

    recipients = selectors.notification_recipients(organization_ids=[council.other_org.pk])

    assert [(r.organization, r.name, r.email, r.is_shared_mailbox) for r in recipients] == [
        (council.other_org, "和木 窓口", "madoguchi@waki.lg.jp", False),
        (council.other_org, "和木町 ご担当者", "joho@waki.lg.jp", True),
    ]
    assert recipients[0].department == "情報政策課"


def test_staff_with_accounts_but_no_contact_post_are_not_recipients(council):
    assert selectors.notification_recipients(organization_ids=[council.member_org.pk]) == []


def test_addresses_are_unique_per_organization(council):
    make_contact(user=council.staff)
    make_contact(user=council.staff, title="情報化推進員")
    council.member_org.notification_email = council.staff.email.upper()
    council.member_org.save()

    recipients = selectors.notification_recipients(organization_ids=[council.member_org.pk])

    assert [r.email for r in recipients] == [council.staff.email]


def test_vacant_posts_posts_without_mail_and_people_elsewhere_are_left_out(council):
    Post.objects.create(organization=council.member_org, title="空席の職", is_contact=True)
    contact_without_account(council.member_org, name="メールなし", email="")
    moved = contact_without_account(council.member_org, name="転出者", email="moved@example.lg.jp")
    moved.organization = council.other_org
    moved.save()
    non_contact = make_contact(user=council.staff)
    non_contact.is_contact = False
    non_contact.save()

    assert selectors.notification_recipients(organization_ids=[council.member_org.pk]) == []


def test_recipients_take_two_queries_whatever_the_number_of_organizations(
    council, django_assert_num_queries
):
    towns = [
        make_organization(code=f"{800000 + i:06d}", name=f"町{i}", kind=OrganizationKind.TOWN)
        for i in range(30)
    ]
    for i, town in enumerate(towns):
        contact_without_account(town, name=f"窓口{i}", email=f"m{i}@example.lg.jp")

    with django_assert_num_queries(2):
        recipients = selectors.notification_recipients(organization_ids=[t.pk for t in towns])

    assert len(recipients) == 30
    assert {r.organization.pk for r in recipients} == {t.pk for t in towns}


def test_organizations_without_address_are_those_no_mail_reaches(council):
    contact_without_account(council.other_org, name="和木 窓口", email="madoguchi@waki.lg.jp")
    council.board_org.notification_email = "joho@fukagawa.lg.jp"
    council.board_org.save()
    ids = [council.member_org.pk, council.other_org.pk, council.board_org.pk]

    missing = selectors.organizations_without_notification_address(organization_ids=ids)

    assert list(missing) == [council.member_org]


def test_addresses_of_the_organizations_read_are_plain_values_in_one_query(
    council, django_assert_num_queries
):
    holder = contact_without_account(council.other_org, name="和木 窓口", email=" m@waki.lg.jp ")
    holder.department = None
    holder.phone = "0827-52-2111"
    holder.save()
    Post.objects.filter(holder=holder).update(
        department=Department.objects.create(organization=council.other_org, name="総務課")
    )
    suspended = make_contact(user=council.staff)
    council.staff.is_active = False
    council.staff.save()
    organizations = {
        council.other_org.pk: ("和木町", "M@WAKI.LG.JP"),  # the contact's address again
        council.member_org.pk: ("当別町", "joho@tobetsu.lg.jp"),
        council.board_org.pk: ("深川市", ""),
    }

    with django_assert_num_queries(1):
        addresses = selectors.notification_addresses(organizations=organizations)

    assert suspended.holder.organization_id == council.member_org.pk
    assert addresses == {
        council.other_org.pk: [
            selectors.NotificationAddress(
                name="和木 窓口", email="m@waki.lg.jp", department="総務課", phone="0827-52-2111"
            )
        ],
        council.member_org.pk: [
            selectors.NotificationAddress(
                name="当別町 ご担当者", email="joho@tobetsu.lg.jp", is_shared_mailbox=True
            )
        ],
        council.board_org.pk: [],
    }


def test_addresses_without_departments_read_no_department(council, django_assert_num_queries):
    contact_without_account(council.other_org, name="和木 窓口", email="m@waki.lg.jp")
    organizations = {council.other_org.pk: ("和木町", "")}

    with django_assert_num_queries(1) as queries:
        addresses = selectors.notification_addresses(organizations=organizations, departments=False)

    assert "directory_department" not in queries.captured_queries[0]["sql"]
    assert addresses == {
        council.other_org.pk: [
            selectors.NotificationAddress(name="和木 窓口", email="m@waki.lg.jp")
        ]
    }
    with_departments = selectors.notification_addresses(organizations=organizations)
    assert with_departments[council.other_org.pk][0].department == "情報政策課"
