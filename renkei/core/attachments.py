"""The common part of a file attached to a forum post or a mailing-list message."""

from django.db import models


class AttachedFile(models.Model):
    """A file's name and size as shown to readers; each subclass adds `file` and its owner.

    `file` stays in the subclass because its upload path names the owner's folder.
    """

    name = models.CharField("ファイル名", max_length=200)
    size = models.PositiveIntegerField("サイズ")

    class Meta:
        abstract = True
        verbose_name = "添付ファイル"
        verbose_name_plural = "添付ファイル"

    def __str__(self) -> str:
        return self.name
