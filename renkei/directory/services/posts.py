"""Posts: giving a post (the 連絡窓口 among them) to a member of its organization."""

from django.db import transaction
from django.http import HttpRequest

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.directory.models import Organization, Person, Post
from renkei.directory.services.common import DirectoryError, _save_recorded


def post_assign(
    *, post: Post, holder: Person | None, by: User, request: HttpRequest | None = None
) -> Post:
    """Give a post (e.g. the 連絡窓口) to a current member of its organization, or leave it vacant."""
    if holder is not None and holder.organization_id != post.organization_id:
        raise DirectoryError(
            f"{holder.name} さんは {post.organization.name} の職員ではありません。"
        )
    if holder is not None and holder.user_id is not None and not holder.user.is_active:
        raise DirectoryError(f"{holder.name} さんは利用停止中のため、職に就けられません。")
    old = post.holder_id
    if old == (holder.pk if holder else None):
        return post
    with transaction.atomic():
        post.holder = holder
        _save_recorded(
            post,
            ["holder"],
            by=by,
            request=request,
            detail={"holder": [old, holder.pk if holder else None], "is_contact": post.is_contact},
        )
    return post


def contact_post_create(
    *,
    organization: Organization,
    title: str,
    holder: Person | None,
    by: User,
    request: HttpRequest | None = None,
) -> Post:
    """Set up a 連絡窓口 post for an organization and give it to one of its staff."""
    title = title.strip() or "連絡窓口"
    if organization.posts.filter(title=title).exists():
        raise DirectoryError(f"「{title}」という職はすでにあります。")
    with transaction.atomic():
        post = Post.objects.create(organization=organization, title=title, is_contact=True)
        audit_record(
            action=Action.CHANGED,
            actor=by,
            target=post,
            request=request,
            detail={"created": True, "is_contact": True},
        )
        if holder is not None:
            post_assign(post=post, holder=holder, by=by, request=request)
    return post
