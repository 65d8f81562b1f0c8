"""Demo e-conference room: open boards on the seeds' topics and the 役員会's private board."""

import datetime as dt

from django.utils import timezone

from renkei.accounts.models import User
from renkei.directory.models import Group
from renkei.forum import services as forum
from renkei.forum.models import Post, Thread

# (board, title, [(username, body)], days ago of the first post)
THREADS = [
    (
        "情報化推進全般",
        "インターネット・ホームページでのLG.JPドメインの利用について",
        [
            (
                "tobetsu",
                "当町では来年度の更新に合わせて **LG.JP ドメイン** への移行を検討しています。\n\n"
                "- 移行時のメールアドレスの扱い\n- 旧ドメインの転送期間\n\nについて、移行済みの団体の事例を教えてください。",
            ),
            (
                "fukagawa",
                "当市では旧ドメインを2年間転送しました。メールは併用期間を半年設け、"
                "名刺や公用封筒の切替えは年度替わりに合わせました。",
            ),
            (
                "jimukyoku",
                "調査コーナーで実施した「LG.JPドメインの利用について」の結果も参考になると思います。",
            ),
        ],
        400,
    ),
    (
        "情報化推進全般",
        "CMS（Content Management System）の導入について",
        [
            (
                "tobetsu-kanri",
                "ホームページのCMS導入を予定しています。入札の仕様書で、アクセシビリティ"
                "（JIS X 8341-3）への対応をどのように求めたか教えていただけますか。",
            ),
            ("fukagawa", "当市は等級AAの準拠を仕様に明記し、納品時に試験結果の提出を求めました。"),
        ],
        120,
    ),
    (
        "情報化推進全般",
        "情報システム運用課題と仮想化技術導入について",
        [
            (
                "jimukyoku",
                "岩手県紫波町からの調査依頼を受けて、調査コーナーで簡易調査を実施しました。"
                "仮想化の運用事例について、こちらで意見交換をお願いします。",
            ),
            (
                "tobetsu",
                "サーバの集約で保守費用は下がりましたが、バックアップの手順を見直す必要がありました。",
            ),
            ("fukagawa", "監査の指摘を受けて、仮想基盤の管理者権限を分けました。"),
        ],
        30,
    ),
    (
        "セキュリティ・LGWAN",
        "LGPKI（地方公共団体組織認証基盤）発行の証明書の利用について",
        [
            ("tobetsu", "職責証明書を電子申請の通知書の署名に使っている団体はありますか。"),
            (
                "fukagawa",
                "当市では公文書の電子交付で利用しています。更新時期の管理に注意が必要です。",
            ),
        ],
        10,
    ),
    (
        "セキュリティ・LGWAN",
        "共同アウトソーシングの事例（西いぶり広域連合）",
        [
            (
                "jimukyoku",
                "トピックスセミナーの講演4「西いぶり広域連合の共同アウトソーシング」の資料について、"
                "質問をこちらで受け付けます。",
            ),
        ],
        2,
    ),
    (
        "役員会",
        "平成21年度事業計画（案）について",
        [
            (
                "jimukyoku",
                "第2回役員会でご審議いただく平成21年度事業計画（案）です。"
                "専用コーナー活用の促進とセミナー等の開催（2～3回程度）を重点としています。",
            ),
            (
                "fukagawa",
                "セミナーの案内は、センター会員未加入の市町村にも送ることでよいと思います。",
            ),
        ],
        5,
    ),
    (
        "役員会",
        "新旧役員会（臨時役員会）の開催について",
        [
            (
                "jimukyoku",
                "役員の任期満了に伴い、10月に新旧役員会を開催する予定です。日程の候補をお知らせください。",
            ),
        ],
        1,
    ),
]


def demo_forum_load(*, secretariat: User) -> None:
    """Create the boards, threads and posts; 当別町's member follows the first board."""
    group = Group.objects.get(name="役員会")
    boards = {
        "情報化推進全般": forum.board_create(
            name="情報化推進全般",
            description="会員相互が広くオープンに市町村の情報化推進等について情報交換を行う会議室です。",
            position=1,
            by=secretariat,
        ),
        "セキュリティ・LGWAN": forum.board_create(
            name="セキュリティ・LGWAN",
            description="情報セキュリティ、LGWAN、認証基盤の運用について。",
            position=2,
            by=secretariat,
        ),
        "役員会": forum.board_create(
            name="役員会",
            description="役員会の継続審議の場です（役員と事務局のみ）。",
            group=group,
            position=3,
            by=secretariat,
        ),
    }
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in=["tobetsu", "tobetsu-kanri", "fukagawa", "jimukyoku"]
        )
    }
    now = timezone.now()
    for board_name, title, posts, days_ago in THREADS:
        author, body = posts[0]
        thread = forum.thread_create(
            board=boards[board_name], title=title, body=body, by=users[author]
        )
        for username, text in posts[1:]:
            forum.post_create(thread=thread, body=text, by=users[username])
        # Spread the posts over the days the thread ran, so counts per fiscal year are real.
        for index, post in enumerate(thread.posts.order_by("number")):
            at = now - dt.timedelta(days=days_ago) + dt.timedelta(hours=5 * index)
            Post.objects.filter(pk=post.pk).update(created_at=at)
        Thread.objects.filter(pk=thread.pk).update(
            last_post_at=now
            - dt.timedelta(days=days_ago)
            + dt.timedelta(hours=5 * (len(posts) - 1))
        )
    forum.follow_set(user=users["tobetsu"], board=boards["セキュリティ・LGWAN"], following=True)
