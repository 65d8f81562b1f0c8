"""The inbound handler for list addresses (`<local_part>@RENKEI["LIST_DOMAIN"]`).

Registered in RENKEI["INBOUND_HANDLERS"] after the bounce handler; `manage.py mailserver`
asks it at RCPT whether an address is an active list (else 550) and hands it the raw bytes
at DATA. The reply codes: 552 too big, 554 malformed or undecodable (5.6.0) or a refused
attachment (5.6.1), 550 5.7.1 a non-member where the list refuses them or an automatic reply;
None (250) once the message is stored, published or held.
"""

import logging

from django.conf import settings

from renkei.core.errors import ServiceError
from renkei.forum.lists.models import MailingList, list_domain
from renkei.forum.lists.parsing import Refusal, message_parse
from renkei.forum.lists.services import message_receive

logger = logging.getLogger(__name__)

NOT_A_LIST = "550 5.1.1 No such list here"
NON_MEMBER = "550 5.7.1 Only members of this list may post to it"
AUTOMATIC = "550 5.7.1 Automatic replies are not accepted by this list"
LOOP = "550 5.4.6 Mail loop: this message came from this list"


def _list_of(address: str) -> MailingList | None:
    local, _, domain = address.strip().strip("<>").lower().rpartition("@")
    if domain != list_domain() or not local:
        return None
    return MailingList.objects.filter(local_part=local, is_active=True).first()


class ListHandler:
    """Take mail to active list addresses: decode it, then publish or hold it."""

    def accepts(self, address: str) -> bool:
        return _list_of(address) is not None

    def handle_raw(self, content: bytes, *, recipient: str, envelope_from: str) -> str | None:
        mailing_list = _list_of(recipient)
        if mailing_list is None:
            return NOT_A_LIST
        try:
            parsed = message_parse(content, max_bytes=settings.RENKEI["LIST_MAX_MESSAGE_BYTES"])
        except Refusal as refusal:
            logger.info("List %s refused mail from %s: %s", mailing_list, envelope_from, refusal)
            return refusal.reply
        if mailing_list.list_id in parsed.list_id:
            return LOOP
        if parsed.auto_submitted and parsed.auto_submitted != "no":
            return AUTOMATIC
        try:
            message_receive(mailing_list=mailing_list, parsed=parsed)
        except ServiceError:
            return NON_MEMBER
        return None
