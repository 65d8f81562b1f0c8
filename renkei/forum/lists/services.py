"""Group mailing lists: set up a list, post (web or mail), hold, approve, reject, and mail copies.

Every published message goes to every member through the outbox, one copy per recipient,
with the RFC 2369 / 2919 list headers, From naming the poster at the list address, Reply-To
the list, and In-Reply-To / References so that mail clients thread it. Each copy's topic is
`lists:<message pk>`, so a reply quoting a copy's Message-ID (the outbox's own) finds the
message it answers. Every write records who did it in the audit log in the same transaction.
"""

import logging
import uuid
from dataclasses import dataclass
from email.utils import formataddr

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.template.defaultfilters import linebreaksbr, urlize
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import User
from renkei.audit.services import audit_record
from renkei.core.errors import ServiceError
from renkei.core.files import file_delete_on_commit, validate_upload
from renkei.directory.models import Group, GroupMember, Person
from renkei.forum.lists.models import (
    MAX_DEPTH,
    ListAttachment,
    ListMessage,
    ListThread,
    MailingList,
    MailOptOut,
    MessageSource,
    MessageStatus,
    NonMemberPolicy,
    list_domain,
)
from renkei.forum.lists.parsing import Parsed
from renkei.mailer.models import FailingAddress, OutboxMessage
from renkei.mailer.services import mail_queue

logger = logging.getLogger(__name__)

TOPIC_PREFIX = "lists:"
MAX_SUBJECT = 255
MAX_BODY = 100_000


@dataclass(frozen=True)
class Subscriber:
    """A member who gets the list's mail (or could: `receives` is False after an opt-out)."""

    person_id: int
    name: str
    email: str
    user_id: int | None
    receives: bool


# --- setting lists up -------------------------------------------------------------------------


def _local_part_clean(local_part: str, *, exclude: int | None = None) -> str:
    value = local_part.strip().lower()
    if not value:
        raise ServiceError("アドレスを入力してください。", field="local_part")
    taken = MailingList.objects.filter(local_part=value).exclude(pk=exclude)
    if taken.exists():
        raise ServiceError(f"{value}@{list_domain()} はすでに使われています。", field="local_part")
    return value


def list_create(
    *,
    group: Group,
    local_part: str,
    by: User,
    subject_prefix: str = "",
    description: str = "",
    nonmember_policy: str = NonMemberPolicy.HOLD,
    moderators: list[User] | None = None,
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> MailingList:
    """Create the list of a group (one per group)."""
    if MailingList.objects.filter(group=group).exists():
        raise ServiceError(f"{group.name}のメーリングリストはすでにあります。", field="group")
    with transaction.atomic():
        mailing_list = MailingList.objects.create(
            group=group,
            local_part=_local_part_clean(local_part),
            subject_prefix=subject_prefix.strip() or f"[{group.name}]",
            description=description.strip(),
            nonmember_policy=nonmember_policy,
            is_active=is_active,
        )
        mailing_list.moderators.set(moderators or [])
        audit_record(
            action="lists.list_create",
            actor=by,
            target=mailing_list,
            request=request,
            detail={"group": group.name, "address": mailing_list.address},
        )
    return mailing_list


def list_update(
    *,
    mailing_list: MailingList,
    local_part: str,
    subject_prefix: str,
    description: str,
    nonmember_policy: str,
    moderators: list[User],
    is_active: bool,
    by: User,
    request: HttpRequest | None = None,
) -> MailingList:
    """Change a list's address, prefix, policy, moderators or whether it is in use."""
    with transaction.atomic():
        before = {"address": mailing_list.address, "is_active": mailing_list.is_active}
        mailing_list.local_part = _local_part_clean(local_part, exclude=mailing_list.pk)
        mailing_list.subject_prefix = subject_prefix.strip()
        mailing_list.description = description.strip()
        mailing_list.nonmember_policy = nonmember_policy
        mailing_list.is_active = is_active
        mailing_list.save()
        mailing_list.moderators.set(moderators)
        audit_record(
            action="lists.list_update",
            actor=by,
            target=mailing_list,
            request=request,
            detail={
                "before": before,
                "address": mailing_list.address,
                "is_active": is_active,
                "nonmember_policy": nonmember_policy,
                "moderators": sorted(u.username for u in moderators),
            },
        )
    return mailing_list


# --- members ------------------------------------------------------------------------------------


def _in_term() -> Q:
    today = timezone.localdate()
    return (Q(term_start__isnull=True) | Q(term_start__lte=today)) & (
        Q(term_end__isnull=True) | Q(term_end__gte=today)
    )


def subscribers(*, mailing_list: MailingList) -> list[Subscriber]:
    """Return the group's current members with an address: persons, and people with accounts of
    member organizations (3 queries)."""
    members = GroupMember.objects.filter(group_id=mailing_list.group_id).filter(_in_term())
    rows = members.order_by().values_list("person_id", "organization_id")
    person_ids = {p for p, _ in rows if p}
    organization_ids = {o for _, o in rows if o}
    people = Person.objects.filter(
        Q(pk__in=person_ids)
        | Q(organization_id__in=organization_ids, user__isnull=False, user__is_active=True)
    ).select_related("user")
    opted_out = set(
        MailOptOut.objects.filter(mailing_list=mailing_list).values_list("person_id", flat=True)
    )
    result = []
    for person in people:
        if person.user_id and not person.user.is_active:
            continue
        address = (person.email or (person.user.email if person.user_id else "")).strip()
        if not address:
            continue
        result.append(
            Subscriber(
                person_id=person.pk,
                name=person.name,
                email=address.lower(),
                user_id=person.user_id,
                receives=person.pk not in opted_out,
            )
        )
    return sorted(result, key=lambda s: (s.email, s.person_id))


def member_for_address(*, mailing_list: MailingList, address: str) -> Subscriber | None:
    """Return the member who posts from this address (person or account e-mail), or None."""
    address = address.strip().lower()
    for subscriber in subscribers(mailing_list=mailing_list):
        if subscriber.email == address:
            return subscriber
    # A member whose account e-mail differs from the directory's.
    user = User.objects.filter(email__iexact=address, is_active=True).first()
    if user is not None:
        person_id = Person.objects.filter(user=user).values_list("pk", flat=True).first()
        for subscriber in subscribers(mailing_list=mailing_list):
            if subscriber.person_id == person_id:
                return subscriber
    return None


def mail_receiving_set(
    *, mailing_list: MailingList, person: Person, receiving: bool, request: HttpRequest | None
) -> None:
    """Receive the list's copies by mail, or read the list on the web only."""
    with transaction.atomic():
        if receiving:
            MailOptOut.objects.filter(mailing_list=mailing_list, person=person).delete()
        else:
            MailOptOut.objects.get_or_create(mailing_list=mailing_list, person=person)
        audit_record(
            action="lists.receiving_set",
            actor=getattr(person, "user", None),
            target=mailing_list,
            request=request,
            detail={"person": person.name, "receiving": receiving},
        )


# --- messages ----------------------------------------------------------------------------------


def new_message_id() -> str:
    """Make up a Message-ID for a message posted on the web."""
    return f"<list.{uuid.uuid4().hex}@{list_domain()}>"


def _subject_clean(subject: str) -> str:
    value = " ".join(subject.split())
    if not value:
        raise ServiceError("件名を入力してください。", field="subject")
    return value[:MAX_SUBJECT]


def _body_clean(body: str) -> str:
    value = body.replace("\r\n", "\n").strip()
    if not value:
        raise ServiceError("本文を入力してください。", field="body")
    if len(value) > MAX_BODY:
        raise ServiceError("本文が長すぎます。10万字以内にしてください。", field="body")
    return value


def message_post(
    *,
    mailing_list: MailingList,
    subject: str,
    body: str,
    by: User,
    parent: ListMessage | None = None,
    files: list[UploadedFile] | None = None,
    request: HttpRequest | None = None,
) -> ListMessage:
    """Post a message on the web: store it in the archive and mail it to every member."""
    if not mailing_list.is_active:
        raise ServiceError("このメーリングリストは現在利用できません。")
    subject = _subject_clean(subject)
    body = _body_clean(body)
    files = files or []
    for file in files:
        validate_upload(file)
    person = Person.objects.filter(user=by).first()
    with transaction.atomic():
        message = ListMessage.objects.create(
            mailing_list=mailing_list,
            parent=parent,
            status=MessageStatus.PUBLISHED,
            source=MessageSource.WEB,
            message_id=new_message_id(),
            in_reply_to=parent.message_id if parent else "",
            references=_references_of(parent),
            sender=by,
            sender_person=person,
            from_name=person.name if person else by.get_username(),
            from_email=(person.email if person and person.email else by.email) or "",
            subject=subject,
            body=body,
            body_html=message_body_html(body),
            size=len(body.encode()),
        )
        for file in files:
            ListAttachment.objects.create(
                message=message, file=file, name=file.name[:200], size=file.size or 0
            )
        _publish(message=message)
        audit_record(
            action="lists.message_post",
            actor=by,
            target=message,
            request=request,
            detail={"list": mailing_list.address, "subject": subject, "files": len(files)},
        )
    return message


def _references_of(parent: ListMessage | None) -> str:
    if parent is None:
        return ""
    return " ".join([*parent.references.split(), parent.message_id])[-2000:]


def message_receive(*, mailing_list: MailingList, parsed: Parsed) -> ListMessage:
    """Store a message received by mail: published for members, held for the rest.

    A Message-ID the list has already received is taken without storing or mailing it again.

    Raises ServiceError when the list refuses mail from non-members (the caller answers 550).
    """
    if parsed.message_id:
        # The same message again (a relay retrying after a lost reply, a copy by another
        # route): taken once, never distributed twice.
        again = ListMessage.objects.filter(
            mailing_list=mailing_list, message_id=parsed.message_id, source=MessageSource.MAIL
        ).first()
        if again is not None:
            logger.info("List %s: %s received again, ignored", mailing_list, parsed.message_id)
            return again
    member = member_for_address(mailing_list=mailing_list, address=parsed.from_email)
    if member is None and mailing_list.nonmember_policy == NonMemberPolicy.REFUSE:
        raise ServiceError("構成員以外からの投稿は受け付けていません。")
    parent = _parent_find(mailing_list=mailing_list, parsed=parsed)
    sender = User.objects.filter(pk=member.user_id).first() if member and member.user_id else None
    with transaction.atomic():
        message = ListMessage.objects.create(
            mailing_list=mailing_list,
            parent=parent,
            status=MessageStatus.PUBLISHED if member else MessageStatus.HELD,
            source=MessageSource.MAIL,
            message_id=parsed.message_id or new_message_id(),
            in_reply_to=parsed.in_reply_to[:255],
            references=" ".join(parsed.references)[-2000:],
            sender=sender,
            sender_person_id=member.person_id if member else None,
            from_name=(parsed.from_name or (member.name if member else ""))[:200],
            from_email=parsed.from_email,
            subject=parsed.subject[:MAX_SUBJECT],
            body=parsed.body,
            body_html=message_body_html(parsed.body),
            converted_from_html=parsed.converted_from_html,
            mailer=parsed.mailer,
            size=parsed.size,
        )
        for attachment in parsed.attachments:
            ListAttachment.objects.create(
                message=message,
                file=ContentFile(attachment.content, name=attachment.name),
                name=attachment.name,
                size=len(attachment.content),
            )
        audit_record(
            action="lists.message_receive" if member else "lists.message_hold",
            actor_username=parsed.from_email,
            target=message,
            detail={
                "list": mailing_list.address,
                "from": parsed.from_email,
                "subject": message.subject,
                "message_id": message.message_id,
            },
        )
        if member:
            _publish(message=message)
        else:
            _moderators_notify(message=message)
    return message


def _parent_find(*, mailing_list: MailingList, parsed: Parsed) -> ListMessage | None:
    """Find the message this one answers: In-Reply-To first, then References, newest first.

    An ID may be a list message's own (as received or made up for a web post) or that of the
    copy one member got (the outbox's Message-ID, `<uuid@domain>`).
    """
    candidates = [*parsed.in_reply_to.split(), *reversed(parsed.references)]
    if not candidates:
        return None
    published = ListMessage.objects.filter(
        mailing_list=mailing_list, status=MessageStatus.PUBLISHED
    )
    own = {m.message_id: m for m in published.filter(message_id__in=candidates)}
    copies = {}
    outbox_ids = {}
    for candidate in candidates:
        local = candidate.strip("<>").partition("@")[0]
        try:
            outbox_ids[candidate] = uuid.UUID(local)
        except ValueError:
            continue
    if outbox_ids:
        topics = dict(
            OutboxMessage.objects.filter(
                message_id__in=outbox_ids.values(), topic__startswith=TOPIC_PREFIX
            ).values_list("message_id", "topic")
        )
        message_pks = {
            candidate: int(topics[value].removeprefix(TOPIC_PREFIX))
            for candidate, value in outbox_ids.items()
            if value in topics
        }
        found = published.in_bulk(message_pks.values())
        copies = {c: found[pk] for c, pk in message_pks.items() if pk in found}
    for candidate in candidates:
        if candidate in own:
            return own[candidate]
        if candidate in copies:
            return copies[candidate]
    return None


def _publish(*, message: ListMessage) -> None:
    """Put a message in its thread and mail it to every member (inside the caller's atomic)."""
    now = timezone.now()
    parent = message.parent
    in_parent_thread = parent is not None and bool(parent.thread_id)
    if in_parent_thread:
        thread = parent.thread
        ListThread.objects.filter(pk=thread.pk).update(
            last_message_at=now, message_count=F("message_count") + 1
        )
    else:
        thread = ListThread.objects.create(
            mailing_list=message.mailing_list,
            subject=message.subject,
            started_at=now,
            last_message_at=now,
            message_count=1,
        )
    message.thread = thread
    message.status = MessageStatus.PUBLISHED
    message.published_at = now
    message.depth = min(parent.depth + 1, MAX_DEPTH) if in_parent_thread else 0
    message.save(update_fields=["thread", "status", "published_at", "depth"])
    _copies_queue(message=message)


def _base_url() -> str:
    return settings.RENKEI["BASE_URL"].rstrip("/")


def subject_line(*, mailing_list: MailingList, subject: str) -> str:
    """Return the subject of the mailed copies, with the list's prefix once."""
    prefix = mailing_list.subject_prefix
    if not prefix or prefix in subject:
        return subject
    return f"{prefix} {subject}"


def _copies_queue(*, message: ListMessage) -> list[OutboxMessage]:
    """Queue one copy per receiving member, skipping addresses known to bounce."""
    mailing_list = message.mailing_list
    receiving = [s for s in subscribers(mailing_list=mailing_list) if s.receives]
    failing = set(
        FailingAddress.objects.filter(email__in=[s.email for s in receiving]).values_list(
            "email", flat=True
        )
    )
    recipients = [(s.name, s.email) for s in receiving if s.email not in failing]
    if failing:
        logger.info("List %s: %s failing address(es) skipped", mailing_list, len(failing))
    base = _base_url()
    headers = {
        "From": formataddr(
            (
                f"{message.from_name or message.from_email}（{mailing_list.group.name}）",
                mailing_list.address,
            )
        ),
        "Reply-To": mailing_list.address,
        "List-Id": f"{mailing_list.local_part} <{mailing_list.list_id}>",
        "List-Post": f"<mailto:{mailing_list.address}>",
        "List-Archive": f"<{base}{reverse('lists:archive', args=[mailing_list.pk])}>",
        "List-Unsubscribe": f"<{base}{reverse('lists:receiving', args=[mailing_list.pk])}>",
        "List-Help": f"<{base}{reverse('lists:index')}>",
        "Precedence": "list",
        "X-Renkei-List-Message": message.message_id,
    }
    if message.parent_id:
        headers["In-Reply-To"] = message.parent.message_id
        headers["References"] = _references_of(message.parent)
    attachments = list(message.attachments.all())
    return mail_queue(
        to=recipients,
        template="lists_message",
        context={
            "mailing_list": mailing_list,
            "message": message,
            "subject_line": subject_line(mailing_list=mailing_list, subject=message.subject),
            "message_url": base + message.get_absolute_url(),
            "attachments": [
                (a.name, a.size, base + reverse("lists:attachment", args=[a.pk]))
                for a in attachments
            ],
        },
        topic=f"{TOPIC_PREFIX}{message.pk}",
        headers=lambda address, extra: headers,
    )


def _moderators_notify(*, message: ListMessage) -> None:
    mailing_list = message.mailing_list
    moderators = [
        (u.get_full_name() or u.get_username(), u.email)
        for u in mailing_list.moderators.filter(is_active=True)
    ]
    if not moderators:
        return
    mail_queue(
        to=moderators,
        template="lists_held",
        context={
            "mailing_list": mailing_list,
            "message": message,
            "queue_url": _base_url() + reverse("lists:held", args=[mailing_list.pk]),
        },
        topic=f"lists-held:{message.pk}",
    )


def held_approve(
    *, message: ListMessage, by: User, request: HttpRequest | None = None
) -> ListMessage:
    """Publish a held message: into the archive and out to every member."""
    return _held_decide(message=message, by=by, approve=True, request=request)


def held_reject(
    *, message: ListMessage, by: User, request: HttpRequest | None = None
) -> ListMessage:
    """Reject a held message: it is never published nor mailed; its files are removed."""
    return _held_decide(message=message, by=by, approve=False, request=request)


def _held_decide(
    *, message: ListMessage, by: User, approve: bool, request: HttpRequest | None
) -> ListMessage:
    """Record a moderator's decision on a held message, once: a decided one is refused."""
    with transaction.atomic():
        locked = ListMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status != MessageStatus.HELD:
            raise ServiceError("このメッセージはすでに処理されています。")
        locked.decided_by = by
        locked.decided_at = timezone.now()
        if approve:
            locked.save(update_fields=["decided_by", "decided_at"])
            _publish(message=locked)
        else:
            locked.status = MessageStatus.REJECTED
            locked.save(update_fields=["status", "decided_by", "decided_at"])
            for attachment in locked.attachments.all():
                file_delete_on_commit(attachment.file)
            locked.attachments.all().delete()
        audit_record(
            action="lists.held_approve" if approve else "lists.held_reject",
            actor=by,
            target=locked,
            request=request,
            detail={"from": locked.from_email, "subject": locked.subject},
        )
    return locked


def message_body_html(body: str) -> str:
    """Return a message's text as the archive shows it: escaped, links clickable, lines kept."""
    return str(linebreaksbr(urlize(body, autoescape=True), autoescape=False))
