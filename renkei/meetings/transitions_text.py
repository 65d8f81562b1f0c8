"""What each step of the minutes' workflow does, said on its confirmation page."""

TRANSITION_CONSEQUENCES = {
    "circulate": "会議録案を出席者（出席・代理出席と回答した方）へメールで回覧し、意見を求めます。回覧中は本文を編集できません。",
    "withdraw": "回覧を取りやめて下書きに戻します。届いた意見は残ります。",
    "confirm": "会議録を確定します。確定した会議録は編集できなくなり、この内容が版として保存されます。出席者へ確定の通知メールを送ります。",
    "correct": "確定した会議録を訂正するため、新しい版の下書きを作ります。公開は一旦取りやめになり、確定し直すまで前の版が記録として残ります。訂正の理由を入力してください。",
}
