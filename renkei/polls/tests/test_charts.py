from renkei.polls.charts import results_chart
from renkei.polls.models import Vote, VoteChoice, VoteScope
from renkei.polls.selectors import poll_results


def test_chart_is_an_accessible_image_with_the_same_numbers(council, make_poll):
    poll = make_poll(question="<script>CMS</script>の導入について", vote_scope=VoteScope.PERSON)
    first = poll.choices.order_by("position").first()
    vote = Vote.objects.create(poll=poll, voter=council.staff, voter_key="person:1")
    VoteChoice.objects.create(vote=vote, choice=first)

    svg = str(results_chart(poll_results(polls=[poll])[poll.pk]))

    assert 'role="img"' in svg
    assert f'aria-labelledby="poll-chart-{poll.pk}-title poll-chart-{poll.pk}-desc"' in svg
    assert "<title id=" in svg
    assert "<desc id=" in svg
    assert "回答1票。導入済み 1票中1票（100.0%）、導入予定 1票中0票（0.0%）" in svg
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
