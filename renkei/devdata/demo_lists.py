"""Demo records of the group mailing lists: the 役員会's list with a thread and held mail."""

from renkei.accounts.models import User
from renkei.directory.models import Group
from renkei.forum.lists import services as lists
from renkei.mailer.inbound import inbound_deliver

HELD_MAIL = (
    b"From: =?UTF-8?B?5Za25qWt5ouF5b2T?= <sales@vendor.example.co.jp>\r\n"
    b"Subject: =?UTF-8?B?6KO95ZOB44Gu44GU5qGI5YaF?=\r\n"
    b"Message-ID: <demo-held-1@vendor.example.co.jp>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=UTF-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
) + "新製品のご案内をお送りします。\r\n".encode()


def demo_lists_load(*, secretariat: User) -> None:
    """Create the 役員会's list (moderated by the secretariat), a thread and a held message."""
    group = Group.objects.get(name="役員会")
    mailing_list = lists.list_create(
        group=group,
        local_part="yakuin",
        description="役員会の継続審議に使うメーリングリストです。",
        moderators=[secretariat],
        by=secretariat,
    )
    fukagawa = User.objects.get(username="fukagawa")
    first = lists.message_post(
        mailing_list=mailing_list,
        subject="次期システム共同調達の進め方について",
        body="役員の皆様\n\n先日の役員会で継続審議となった共同調達の件、論点を整理しました。\n"
        "①調達範囲 ②費用負担の按分 ③スケジュール\nご意見をお寄せください。",
        by=fukagawa,
    )
    lists.message_post(
        mailing_list=mailing_list,
        subject="Re: 次期システム共同調達の進め方について",
        body="事務局です。②の按分案は次回の役員会資料として準備します。",
        parent=first,
        by=secretariat,
    )
    inbound_deliver(
        content=HELD_MAIL,
        recipients=[mailing_list.address],
        envelope_from="sales@vendor.example.co.jp",
    )
