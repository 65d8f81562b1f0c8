"""Uploaded and exported files through an S3-compatible object store (moto's server on loopback).

Production stores files on the local disk by default and in an object store when
RENKEI_S3_BUCKET is set, so that several app servers share them. These tests configure the
object store exactly as config/settings/base.py does and go through the real pages.
"""

import datetime as dt
import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import openpyxl
import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer

from renkei.inquiries import services
from renkei.inquiries.models import Export, InquiryAttachment, QuestionKind

BUCKET = "renkei-files"
PDF = b"%PDF-1.4\n%renkei object storage test\n"
CREDENTIALS = {"access_key": "test-key", "secret_key": "test-secret"}


def _configured_storage(endpoint: str) -> dict:
    """Return STORAGES["default"] as the base settings build it from the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENKEI_S3_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        RENKEI_S3_BUCKET=BUCKET,
        RENKEI_S3_ENDPOINT_URL=endpoint,
        RENKEI_S3_REGION="us-east-1",
        RENKEI_S3_ACCESS_KEY_ID=CREDENTIALS["access_key"],
        RENKEI_S3_SECRET_ACCESS_KEY=CREDENTIALS["secret_key"],
    )
    code = (
        "import json, django; django.setup(); from django.conf import settings;"
        "print(json.dumps(settings.STORAGES['default']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """An S3 emulator on a loopback port for this module."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(scope="module")
def configured_storage(s3_endpoint) -> dict:
    """The default storage the settings build for the emulator (one process start per module)."""
    return _configured_storage(s3_endpoint)


@pytest.fixture
def bucket(s3_endpoint, configured_storage, settings, tmp_path):
    """A fresh bucket, and Django's default storage pointing at it (nothing on local disk)."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET)
    settings.MEDIA_ROOT = tmp_path / "media-must-stay-empty"
    settings.STORAGES = {**settings.STORAGES, "default": configured_storage}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)
    assert not settings.MEDIA_ROOT.exists()


def _keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def _login(user) -> Client:
    if user.role == "secretariat":
        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
        )
    client = Client()
    client.force_login(user)
    return client


def _draft(council):
    inquiry = services.inquiry_create(
        by=council.secretariat,
        draft=services.InquiryDraft(
            title="クラウド保存の確認", deadline=timezone.now() + dt.timedelta(days=14)
        ),
    )
    services.question_create(
        inquiry=inquiry,
        by=council.secretariat,
        draft=services.QuestionDraft(kind=QuestionKind.SHORT_TEXT, text="担当課名", required=False),
    )
    services.inquiry_targets_set(inquiry=inquiry, by=council.secretariat, spec={"mode": "all"})
    return inquiry


def test_attachment_is_stored_in_the_bucket_and_downloaded_through_the_app(council, bucket):
    inquiry = _draft(council)

    _login(council.secretariat).post(
        reverse("inquiries:attachments", args=[inquiry.pk]),
        {"file": SimpleUploadedFile("資料1.pdf", PDF, content_type="application/pdf")},
    )

    attachment = InquiryAttachment.objects.get(inquiry=inquiry)
    assert _keys(bucket) == [attachment.file.name]
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    url = reverse("inquiries:attachment_download", args=[inquiry.pk, attachment.pk])
    download = _login(council.staff).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    # The bucket is private: an outsider gets no file from the app either.
    assert _login(council.observer).get(url).status_code in (403, 404)


def test_deleted_attachment_leaves_the_bucket_once_committed(
    council, bucket, django_capture_on_commit_callbacks
):
    inquiry = _draft(council)
    client = _login(council.secretariat)
    client.post(
        reverse("inquiries:attachments", args=[inquiry.pk]),
        {"file": SimpleUploadedFile("資料1.pdf", PDF, content_type="application/pdf")},
    )
    attachment = InquiryAttachment.objects.get(inquiry=inquiry)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("inquiries:attachment_delete", args=[inquiry.pk, attachment.pk]))
        assert _keys(bucket) == [attachment.file.name]  # not before the commit
    for callback in callbacks:
        callback()

    assert not InquiryAttachment.objects.filter(pk=attachment.pk).exists()
    assert _keys(bucket) == []


def test_export_is_written_to_the_bucket_and_downloaded_through_the_app(council, bucket):
    inquiry = _draft(council)
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    services.inquiry_close(inquiry=inquiry, by=council.secretariat)
    services.inquiry_publish_results(inquiry=inquiry, by=council.secretariat)
    client = _login(council.secretariat)

    client.post(reverse("inquiries:export_list", args=[inquiry.pk]), {"format": "xlsx"})

    export = Export.objects.get(inquiry=inquiry)
    assert _keys(bucket) == [export.file.name]
    download = client.get(reverse("inquiries:export_download", args=[inquiry.pk, export.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert "集計" in book.sheetnames


def test_settings_use_the_object_store_when_a_bucket_is_named(s3_endpoint, configured_storage):
    configured = configured_storage

    assert configured["BACKEND"] == "storages.backends.s3.S3Storage"
    assert configured["OPTIONS"]["bucket_name"] == BUCKET
    assert configured["OPTIONS"]["endpoint_url"] == s3_endpoint
    assert configured["OPTIONS"]["default_acl"] is None  # private objects
