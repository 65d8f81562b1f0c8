"""Mail as municipal clients send it, for the mailing list tests: the list's address and samples.

The sample messages are written out byte by byte the way Outlook, Thunderbird, Becky! and
Active! mail send them (header order, boundaries, transfer encodings, how they name
attachments); only the Japanese text inside is turned into its bytes here, by `cp50220`, an
encoder written for these tests (Python's own iso2022_jp codecs cannot encode ① or 髙).
"""

import base64
import quopri
from dataclasses import dataclass

LIST_DOMAIN = "lists.renkei.example.lg.jp"
LIST_ADDRESS = f"yakuin@{LIST_DOMAIN}"
PDF = b"%PDF-1.4\n%lists test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def cp50220(text: str) -> bytes:
    """Encode text as Outlook's ISO-2022-JP (CP50220): JIS X 0208 plus the NEC/IBM rows.

    Half-width katakana go out as JIS X 0201 (ESC ( I), as CP50221 sends them.
    """
    out = bytearray()
    mode = "ascii"
    for char in text:
        encoded = char.encode("cp932")
        if len(encoded) == 1:
            wanted = "ascii" if encoded[0] < 0x80 else "kana"
            if mode != wanted:
                out += b"\x1b(B" if wanted == "ascii" else b"\x1b(I"
                mode = wanted
            out.append(encoded[0] if wanted == "ascii" else encoded[0] - 0x80)
            continue
        s1, s2 = encoded
        j1 = ((s1 - (0x70 if s1 < 0xE0 else 0xB0)) << 1) - (1 if s2 < 0x9F else 0)
        j2 = s2 - (0x1F if s2 < 0x7F else 0x20) if s2 < 0x9F else s2 - 0x7E
        if mode != "jis":
            out += b"\x1b$B"
            mode = "jis"
        out += bytes((j1, j2))
    if mode != "ascii":
        out += b"\x1b(B"
    return bytes(out)


def b_word(data: bytes, charset: str) -> str:
    """An RFC 2047 B encoded-word."""
    return f"=?{charset}?B?{base64.b64encode(data).decode()}?="


def threading_headers(*, in_reply_to: str, references: str) -> str:
    """Return the In-Reply-To and References header lines a reply carries (none for a new mail)."""
    threading = ""
    if in_reply_to:
        threading += f"In-Reply-To: {in_reply_to}\n"
    if references:
        threading += f"References: {references}\n"
    return threading


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("ascii")


@dataclass
class Samples:
    """Builders of received messages, one per mail client."""

    @staticmethod
    def outlook(
        *,
        sender: str,
        name: str = "佐藤 髙志",
        subject: str = "Re: 第①回役員会の資料（㈱ベンダー提案）",
        body: str = "皆様\n\n佐藤です。資料①と㈱○○の提案を確認しました。\n髙橋様にもよろしくお伝えください。\n",
        message_id: str = "<TYCPR01MB8123A1B2C3D4E5F6@TYCPR01MB8123.jpnprd01.prod.outlook.com>",
        in_reply_to: str = "",
        references: str = "",
    ) -> bytes:
        """Outlook (Microsoft 365) in ISO-2022-JP, multipart/alternative with an HTML part."""
        threading = threading_headers(in_reply_to=in_reply_to, references=references)
        text = cp50220(body.replace("\n", "\r\n"))
        html = cp50220(
            '<html><head><meta http-equiv="Content-Type" content="text/html; '
            'charset=iso-2022-jp"></head><body><div>' + body.replace("\n", "<br>") + "</div>"
            "</body></html>"
        )
        head = crlf(
            f"From: {b_word(cp50220(name), 'iso-2022-jp')} <{sender}>\n"
            f'To: "{LIST_ADDRESS}" <{LIST_ADDRESS}>\n'
            f"Subject: {b_word(cp50220(subject), 'iso-2022-jp')}\n"
            "Thread-Topic: =?iso-2022-jp?B?GyRCQmgjMUlzTHIwd0NxGyhC?=\n"
            "Thread-Index: AdpKq2V3l7x0cG9zdGVkQnlPdXRsb29r\n"
            "Date: Tue, 1 Dec 2026 09:15:02 +0000\n"
            f"Message-ID: {message_id}\n"
            f"{threading}"
            "Accept-Language: ja-JP, en-US\n"
            "Content-Language: ja-JP\n"
            "X-MS-Has-Attach:\n"
            "Content-Type: multipart/alternative;\n"
            '\tboundary="_000_TYCPR01MB8123A1B2C3D4E5F6TYCPR01MB8123jpnp_"\n'
            "MIME-Version: 1.0\n"
            "\n"
            "--_000_TYCPR01MB8123A1B2C3D4E5F6TYCPR01MB8123jpnp_\n"
            'Content-Type: text/plain; charset="iso-2022-jp"\n'
            "Content-Transfer-Encoding: 7bit\n"
            "\n"
        )
        return (
            head
            + text
            + crlf(
                "\n--_000_TYCPR01MB8123A1B2C3D4E5F6TYCPR01MB8123jpnp_\n"
                'Content-Type: text/html; charset="iso-2022-jp"\n'
                "Content-Transfer-Encoding: 7bit\n\n"
            )
            + html
            + crlf("\n--_000_TYCPR01MB8123A1B2C3D4E5F6TYCPR01MB8123jpnp_--\n")
        )

    @staticmethod
    def thunderbird(
        *,
        sender: str,
        subject: str = "来年度の研修計画について（入札・監査）",
        in_reply_to: str = "",
        references: str = "",
    ) -> bytes:
        """Thunderbird in UTF-8 (8bit, format=flowed) with a PDF named by RFC 2231."""
        threading = threading_headers(in_reply_to=in_reply_to, references=references)
        encoded_subject = subject.encode()
        head = crlf(
            "Message-ID: <8f2c1e4a-5b6d-4c3e-9a7f-0d1e2f3a4b5c@town.example.lg.jp>\n"
            "Date: Tue, 1 Dec 2026 18:20:11 +0900\n"
            "MIME-Version: 1.0\n"
            "User-Agent: Mozilla Thunderbird\n"
            "Content-Language: ja\n"
            f"To: {LIST_ADDRESS}\n"
            f"From: {b_word('深川 花子'.encode(), 'UTF-8')} <{sender}>\n"
            f"Subject: {b_word(encoded_subject[:24], 'UTF-8')}\n"
            f" {b_word(encoded_subject[24:], 'UTF-8')}\n"
            f"{threading}"
            'Content-Type: multipart/mixed; boundary="------------0Qm2NB1ZxBd0yQ5sHUVGr7Wz"\n'
            "\n"
            "This is a multi-part message in MIME format.\n"
            "--------------0Qm2NB1ZxBd0yQ5sHUVGr7Wz\n"
            "Content-Type: text/plain; charset=UTF-8; format=flowed\n"
            "Content-Transfer-Encoding: 8bit\n"
            "\n"
        )
        body = "皆様\r\n\r\n研修計画の案を添付します。\r\n入札と監査の日程もご確認ください。\r\n\r\n".encode()
        attachment = crlf(
            "--------------0Qm2NB1ZxBd0yQ5sHUVGr7Wz\n"
            "Content-Type: application/pdf; name*=UTF-8''%E7%A0%94%E4%BF%AE%E8%A8%88%E7%94%BB.pdf\n"
            "Content-Disposition: attachment;\n"
            " filename*=UTF-8''%E7%A0%94%E4%BF%AE%E8%A8%88%E7%94%BB.pdf\n"
            "Content-Transfer-Encoding: base64\n"
            "\n"
            f"{base64.encodebytes(PDF).decode()}"
            "--------------0Qm2NB1ZxBd0yQ5sHUVGr7Wz--\n"
        )
        return head + body + attachment

    @staticmethod
    def becky(
        *,
        sender: str,
        filename: str = "議事録①.pdf",
        content: bytes = PDF,
        content_type: str = "application/pdf",
    ) -> bytes:
        """Becky! in ISO-2022-JP, the attachment named by an encoded-word inside quotes."""
        word = b_word(cp50220(filename), "ISO-2022-JP")
        return (
            crlf(
                "Date: Tue, 01 Dec 2026 10:02:33 +0900\n"
                f"From: {b_word(cp50220('当別 一郎'), 'ISO-2022-JP')} <{sender}>\n"
                f"To: {LIST_ADDRESS}\n"
                f"Subject: {b_word(cp50220('議事録（案）の送付'), 'ISO-2022-JP')}\n"
                "Message-Id: <20261201100233.7C2A.B1F3E8C4@tobetsu.example.lg.jp>\n"
                "MIME-Version: 1.0\n"
                "Content-Type: multipart/mixed;\n"
                ' boundary="--------_5C3D1A2B00000000A1B2_MULTIPART_MIXED_"\n'
                "Content-Transfer-Encoding: 7bit\n"
                "X-Mailer: Becky! ver. 2.81.05 [ja]\n"
                "\n"
                "----------_5C3D1A2B00000000A1B2_MULTIPART_MIXED_\n"
                'Content-Type: text/plain; charset="ISO-2022-JP"\n'
                "Content-Transfer-Encoding: 7bit\n"
                "\n"
            )
            + cp50220("議事録の案をお送りします。\r\nｶﾀｶﾅも入っています。\r\n")
            + crlf(
                "\n----------_5C3D1A2B00000000A1B2_MULTIPART_MIXED_\n"
                f'Content-Type: {content_type};\n name="{word}"\n'
                f'Content-Disposition: attachment;\n filename="{word}"\n'
                "Content-Transfer-Encoding: base64\n"
                "\n"
                f"{base64.encodebytes(content).decode()}\n"
                "----------_5C3D1A2B00000000A1B2_MULTIPART_MIXED_--\n"
            )
        )

    @staticmethod
    def groupware_raw_8bit(*, sender: str) -> bytes:
        """An old groupware's Shift_JIS mail with raw 8-bit headers and file name (no MIME
        encoding of headers at all), as some in-house systems still send."""
        sjis = lambda text: text.encode("cp932")  # noqa: E731
        return (
            b"From: " + sjis("深川 ①太郎") + b" <" + sender.encode() + b">\r\n"
            b"To: " + LIST_ADDRESS.encode() + b"\r\n"
            b"Subject: " + sjis("髙橋様よりの伝言（㈱）") + b"\r\n"
            b"Date: Tue, 1 Dec 2026 12:00:00 +0900\r\n"
            b"Message-ID: <gw.20261201120000.001@groupware.fukagawa.example.lg.jp>\r\n"
            b"X-Mailer: DeskNet GW 5.1\r\n"
            b"MIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="GW_BOUNDARY_01"\r\n'
            b"\r\n--GW_BOUNDARY_01\r\n"
            b"Content-Type: text/plain; charset=Shift_JIS\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n\r\n"
            + sjis("伝言をお伝えします。①②③\r\n")
            + b"--GW_BOUNDARY_01\r\n"
            b'Content-Type: application/pdf; name="' + sjis("伝言メモ.pdf") + b'"\r\n'
            b'Content-Disposition: attachment; filename="' + sjis("伝言メモ.pdf") + b'"\r\n'
            b"Content-Transfer-Encoding: base64\r\n\r\n"
            + base64.encodebytes(PDF)
            + b"--GW_BOUNDARY_01--\r\n"
        )

    @staticmethod
    def active_mail_html(*, sender: str) -> bytes:
        """Active! mail's HTML-only message in Shift_JIS, quoted-printable, with a script."""
        markup = (
            "<html><head><style>p{color:red}</style></head><body>"
            "<p>お世話になっております。</p><p>会議の日程は<b>12月10日</b>です。</p>"
            "<script>alert('x')</script><p>よろしくお願いします。&amp;</p></body></html>"
        ).encode("cp932")
        return (
            crlf(
                "Return-Path: <" + sender + ">\n"
                "From: " + b_word("旭川 次郎".encode("cp932"), "Shift_JIS") + f" <{sender}>\n"
                f"To: {LIST_ADDRESS}\n"
                "Subject: " + b_word("日程のご連絡".encode("cp932"), "Shift_JIS") + "\n"
                "Date: Tue, 1 Dec 2026 11:30:00 +0900\n"
                "Message-Id: <20261201113000.AM0001@asahikawa.example.lg.jp>\n"
                "MIME-Version: 1.0\n"
                "X-Mailer: Active! mail\n"
                'Content-Type: text/html; charset="Shift_JIS"\n'
                "Content-Transfer-Encoding: quoted-printable\n"
                "\n"
            )
            + quopri.encodestring(markup).replace(b"\n", b"\r\n")
            + b"\r\n"
        )
