"""Scorecards: the services, the scorecard page's data, the page and the API.

Only the assigned evaluator without a conflict scores, while the project is
in offline evaluation, undecided and its evaluation window (if any) open. A
draft may be partial; a submission needs every criterion within its scale.
Other cards and the discussion open once one's own card is submitted.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from contests.models import WindowStage
from ideas import funnel
from ideas.models import Attachment, Stage, Visibility
from tests.factories import StageWindowFactory, UserFactory, idea_in_stage
from tests.factories_evaluation import assign, evaluator, racecourse_with_pool
from tests.factories_scoring import (
    criteria_of,
    decided,
    hr,
    project,
    rubric_for,
    scored,
    values_for,
)
from tests.threads import errors_of, run_together
from voting.evaluation.panel.decision import panel_comment_add
from voting.evaluation.scorecards.selectors import (
    scorecard_page,
    scorecards_visible,
    scoring_refusal,
)
from voting.evaluation.scorecards.services import scorecard_save, scorecard_submit
from voting.models import Conflict, Score, Scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def racecourse():
    racecourse = racecourse_with_pool(0)
    rubric_for(racecourse)
    return racecourse


@pytest.fixture
def idea(racecourse):
    return project(racecourse)


@pytest.fixture
def me(idea):
    who = evaluator()
    assign(idea, who)
    return who


def _card(who, idea) -> Scorecard:
    return Scorecard.objects.get(assignment__idea=idea, assignment__evaluator=who)


# --- Saving a draft ---------------------------------------------------------------


def test_save_draft_with_some_scores(idea, me):
    """A draft keeps the scores given, the comment and the private note."""
    first = criteria_of(idea.racecourse)[0]
    card = scorecard_save(
        actor=me,
        idea=idea,
        scores={first.pk: 4},
        team_comment=" Good ",
        panel_note="Ask about cost",
    )
    assert card.status == Scorecard.Status.DRAFT and card.submitted_at is None
    assert {s.criterion_id: s.value for s in card.scores.all()} == {first.pk: 4}
    assert (card.team_comment, card.panel_note) == ("Good", "Ask about cost")


def test_save_draft_replaces_the_previous_draft(idea, me):
    a, b, _c = criteria_of(idea.racecourse)
    scorecard_save(actor=me, idea=idea, scores={a.pk: 4, b.pk: 2})
    scorecard_save(actor=me, idea=idea, scores={a.pk: None, b.pk: 3})
    assert list(Score.objects.values_list("criterion_id", "value")) == [(b.pk, 3)]
    assert Scorecard.objects.count() == 1


def test_save_refuses_values_outside_the_scale_per_criterion(idea, me):
    a, _b, c = criteria_of(idea.racecourse)
    with pytest.raises(ValidationError) as error:
        scorecard_save(actor=me, idea=idea, scores={a.pk: 6, c.pk: -1})
    assert set(error.value.error_dict) == {f"score_{a.pk}", f"score_{c.pk}"}
    assert "from 1 to 5" in error.value.error_dict[f"score_{a.pk}"][0].messages[0]
    assert not Scorecard.objects.exists()


@pytest.mark.parametrize("bad", [{"999999": 3}, {"x": 3}])
def test_save_refuses_criteria_of_another_rubric(idea, me, bad):
    with pytest.raises(ValidationError) as error:
        scorecard_save(actor=me, idea=idea, scores=bad)
    assert "scores" in error.value.error_dict


def test_save_refuses_non_numbers_and_long_comments(idea, me):
    a = criteria_of(idea.racecourse)[0]
    with pytest.raises(ValidationError):
        scorecard_save(actor=me, idea=idea, scores={a.pk: "four"})
    with pytest.raises(ValidationError):
        scorecard_save(actor=me, idea=idea, scores={a.pk: True})
    with pytest.raises(ValidationError) as error:
        scorecard_save(actor=me, idea=idea, scores={}, team_comment="x" * 4001)
    assert "team_comment" in error.value.error_dict


def test_save_after_submission_is_refused(idea, me):
    """A submitted card is revised by submitting again, never turned back."""
    scored(idea, me)
    with pytest.raises(ValidationError) as error:
        scorecard_save(actor=me, idea=idea, scores={})
    assert error.value.code == "already_submitted"


# --- Submitting ---------------------------------------------------------------------


def test_submit_needs_every_criterion(idea, me):
    a, b, c = criteria_of(idea.racecourse)
    with pytest.raises(ValidationError) as error:
        scorecard_submit(actor=me, idea=idea, scores={a.pk: 3})
    assert set(error.value.error_dict) == {f"score_{b.pk}", f"score_{c.pk}"}
    assert not Scorecard.objects.exists()


def test_submit_then_revise_until_the_decision(idea, me):
    """Submitting stamps the time; a revision replaces scores and time."""
    when = timezone.now() - dt.timedelta(hours=1)
    card = scorecard_submit(
        actor=me, idea=idea, scores=values_for(idea.racecourse, 4, 3, 7), when=when
    )
    assert card.status == Scorecard.Status.SUBMITTED and card.submitted_at == when
    card = scorecard_submit(
        actor=me, idea=idea, scores=values_for(idea.racecourse, 5, 3, 7)
    )
    assert card.submitted_at > when
    assert sorted(Score.objects.values_list("value", flat=True)) == [3, 5, 7]
    decided(idea)
    with pytest.raises(ValidationError) as error:
        scorecard_submit(
            actor=me, idea=idea, scores=values_for(idea.racecourse, 1, 1, 1)
        )
    assert error.value.code == "decided"


def test_submit_refused_to_someone_not_assigned(idea):
    with pytest.raises(PermissionDenied, match="not assigned"):
        scorecard_submit(
            actor=evaluator(), idea=idea, scores=values_for(idea.racecourse, 1, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        scorecard_save(actor=hr(), idea=idea, scores={})


def test_submit_refused_to_a_conflicted_evaluator(idea, me):
    """A conflict that arose after the assignment still shuts the card."""
    Conflict.objects.create(
        idea=idea,
        evaluator=me,
        kind=Conflict.Kind.PERSONAL,
        source=Conflict.Source.ADMIN,
        declared_by=hr(),
    )
    with pytest.raises(PermissionDenied, match="conflict of interest"):
        scorecard_save(actor=me, idea=idea, scores={})


def test_submit_refused_outside_offline_evaluation(racecourse):
    """A project still in gestation (or past evaluation) cannot be scored."""
    idea = idea_in_stage(Stage.GESTATION, racecourse=racecourse)
    who = evaluator()
    assign(idea, who)
    with pytest.raises(ValidationError) as error:
        scorecard_save(actor=who, idea=idea, scores={})
    assert error.value.code == "wrong_stage"


def test_submit_refused_after_the_evaluation_window_closed(idea, me):
    now = timezone.now()
    StageWindowFactory(
        racecourse=idea.racecourse,
        stage=WindowStage.EVALUATION,
        opens_at=now - dt.timedelta(days=5),
        closes_at=now + dt.timedelta(hours=1),
    )
    scored(idea, me)  # open: fine
    with pytest.raises(ValidationError) as error:
        scorecard_submit(
            actor=me,
            idea=idea,
            scores=values_for(idea.racecourse, 1, 1, 1),
            when=now + dt.timedelta(hours=2),
        )
    assert error.value.code == "closed"


def test_submit_refused_without_a_rubric():
    racecourse = racecourse_with_pool(0)
    idea = project(racecourse)
    who = evaluator()
    assign(idea, who)
    with pytest.raises(ValidationError) as error:
        scorecard_save(actor=who, idea=idea, scores={})
    assert error.value.code == "no_rubric"


# --- What the evaluator sees ------------------------------------------------------


def test_page_hides_others_and_discussion_until_my_submission(idea, me):
    """Before: no other cards, no discussion. After: both, with panel notes."""
    other = scored(idea, team_comment="Nice", panel_note="Weak on cost")
    chair = hr()
    panel_comment_add(actor=chair, idea=idea, body="Let us discuss cost.")
    page = scorecard_page(user=me, pk=idea.pk)
    assert page.others == [] and page.discussion == []
    assert page.refusal is None and not page.submitted

    scored(idea, me)
    page = scorecard_page(user=me, pk=idea.pk)
    assert [c.scorecard for c in page.others] == [other]
    assert page.others[0].panel_note == "Weak on cost"
    assert page.others[0].score is not None
    assert [c.body for c in page.discussion] == ["Let us discuss cost."]


def test_page_shows_no_other_cards_once_the_project_is_withdrawn(idea, me):
    """The page follows voting.see_scores: evaluation over, nothing to read."""
    from ideas import funnel

    scored(idea, team_comment="Nice")
    scored(idea, me)
    funnel.idea_withdraw(idea=idea, actor=idea.author, reason="We stop.")
    page = scorecard_page(user=me, pk=idea.pk)
    assert page.others == [] and page.discussion == []


def test_page_shows_the_proposal_its_files_and_the_team(idea, me):
    Attachment.objects.create(
        idea=idea,
        kind=Attachment.Kind.PROPOSAL,
        file=ContentFile(b"plan", name="plan.pdf"),
        name="plan.pdf",
        size=4,
        content_type="application/pdf",
        sha256="0" * 64,
        uploaded_by=idea.author,
    )
    page = scorecard_page(user=me, pk=idea.pk)
    assert page.proposal.summary.startswith("Spare cold-chain")
    assert [a.name for a in page.attachments] == ["plan.pdf"]
    assert [m.user for m in page.team] == [idea.author]
    assert not page.blind


@pytest.mark.parametrize("how", ["racecourse", "idea"])
def test_blind_mode_hides_the_team(racecourse, how):
    """Blind racecourse or anonymous idea: the evaluator sees no names."""
    if how == "racecourse":
        racecourse.blind_evaluation = True
        racecourse.save()
    idea = project(racecourse, anonymous=how == "idea")
    who = evaluator()
    assign(idea, who)
    page = scorecard_page(user=who, pk=idea.pk)
    assert page.blind and page.team == []


def test_page_refusals_404_and_403(idea, me):
    """Unknown project: 404. Not assigned but may see it: 403. Conflicted: 403."""
    with pytest.raises(Http404):
        scorecard_page(user=me, pk=999999)
    with pytest.raises(PermissionDenied):
        scorecard_page(user=UserFactory(), pk=idea.pk)
    confidential = project(idea.racecourse, visibility=Visibility.CONFIDENTIAL)
    with pytest.raises(Http404):
        scorecard_page(user=UserFactory(), pk=confidential.pk)
    idea.author.manager = me
    idea.author.save()
    with pytest.raises(PermissionDenied):
        scorecard_page(user=me, pk=idea.pk)


def test_scorecards_visible_follows_the_rules(idea, me):
    card = scored(idea)
    with pytest.raises(PermissionDenied):
        scorecards_visible(user=me, idea=idea)
    scored(idea, me)
    assert len(scorecards_visible(user=me, idea=idea)) == 2
    assert card in [c.scorecard for c in scorecards_visible(user=hr(), idea=idea)]
    with pytest.raises(PermissionDenied):
        scorecards_visible(user=idea.author, idea=idea)


def test_refusal_reasons_in_order(idea, me):
    """The page explains why the card is closed."""
    assert scoring_refusal(user=me, idea=idea) is None
    decided(idea)
    idea.refresh_from_db()
    assert scoring_refusal(user=me, idea=idea).code == "decided"
    assert scoring_refusal(user=UserFactory(), idea=idea).forbidden


# --- The page -------------------------------------------------------------------------


def _url(idea):
    return reverse("evaluation:scorecard", args=[idea.pk])


def _form(idea, *values, **extra):
    data = {
        f"score_{c.pk}": v
        for c, v in zip(criteria_of(idea.racecourse), values, strict=False)
    }
    return {"team_comment": "Clear", "panel_note": "Private"} | data | extra


def test_page_renders_the_form_with_one_input_per_criterion(client, idea, me):
    client.force_login(me)
    response = client.get(_url(idea))
    assert response.status_code == 200
    html = response.content.decode()
    for criterion in criteria_of(idea.racecourse):
        assert f'name="score_{criterion.pk}"' in html
        assert criterion.name in html
    assert 'max="10"' in html and "Save draft" in html and "Submit scorecard" in html
    assert "Comment for the team" in html and "Private note for the panel" in html
    assert "once you have submitted yours" in html


def test_page_save_draft_then_submit(client, idea, me):
    client.force_login(me)
    response = client.post(_url(idea), _form(idea, 3, action="save"))
    assert response.status_code == 302
    assert _card(me, idea).status == Scorecard.Status.DRAFT
    response = client.post(
        _url(idea), _form(idea, 3, 4, 8, action="submit"), follow=True
    )
    assert "Your scorecard is submitted" in response.content.decode()
    assert _card(me, idea).status == Scorecard.Status.SUBMITTED
    assert "Submit changes" in response.content.decode()


def test_page_shows_missing_scores_on_the_form(client, idea, me):
    """Submitting an incomplete card answers 200 with the errors on the fields."""
    client.force_login(me)
    response = client.post(_url(idea), _form(idea, 3, action="submit"))
    assert response.status_code == 200
    assert "before submitting" in response.content.decode()
    assert not Scorecard.objects.exists()
    response = client.post(_url(idea), _form(idea, 9, action="save"))
    assert response.status_code == 200
    assert not Scorecard.objects.exists()


def test_page_after_submission_shows_others_and_takes_comments(client, idea, me):
    scored(idea, team_comment="Other evaluator's view", panel_note="Their note")
    scored(idea, me)
    client.force_login(me)
    html = client.get(_url(idea)).content.decode()
    assert "Other evaluator&#x27;s view" in html and "Their note" in html
    response = client.post(
        _url(idea), {"action": "comment", "comment-body": "I agree."}, follow=True
    )
    assert "Your comment is added." in response.content.decode()
    assert "I agree." in response.content.decode()


def test_page_after_the_decision_is_read_only(client, idea, me):
    scored(idea, me)
    decided(idea)
    client.force_login(me)
    html = client.get(_url(idea)).content.decode()
    assert "scorecards are closed" in html and "Submit changes" not in html
    response = client.post(_url(idea), _form(idea, 1, 1, 1, action="submit"))
    assert response.status_code == 200
    assert _card(me, idea).scores.filter(value=1).count() == 0


def test_page_permissions(client, idea, me):
    client.force_login(UserFactory())
    assert client.get(_url(idea)).status_code == 403
    assert client.get("/evaluation/ideas/999999/scorecard/").status_code == 404
    client.logout()
    assert client.get(_url(idea)).status_code == 302  # to the login page


def test_proposal_files_are_served_to_assigned_evaluators(client, idea, me):
    """Even on a racecourse-only idea the evaluator may not otherwise see."""
    attachment = Attachment.objects.create(
        idea=idea,
        kind=Attachment.Kind.PROPOSAL,
        file=ContentFile(b"plan", name="plan.pdf"),
        name="plan.pdf",
        size=4,
        content_type="application/pdf",
        sha256="0" * 64,
        uploaded_by=idea.author,
    )
    url = reverse("evaluation:proposal_attachment", args=[idea.pk, attachment.pk])
    client.force_login(me)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"plan"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


# --- The API ----------------------------------------------------------------------------


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _error(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["detail"]
    return body


def _scores(idea, *values):
    return [
        {"criterion": c.pk, "value": v}
        for c, v in zip(criteria_of(idea.racecourse), values, strict=False)
    ]


def test_api_my_scorecard_get_save_submit(idea, me):
    client = _api(me)
    url = f"/api/v1/ideas/{idea.pk}/scorecard/"
    body = client.get(url).json()
    assert body["status"] == "none" and body["editable"] is True
    assert [c["name"] for c in body["criteria"]][0] == "Customer value"
    response = client.put(
        url, {"scores": _scores(idea, 4), "team_comment": "Hi"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response.json()["scores"][0] == {
        "criterion": criteria_of(idea.racecourse)[0].pk,
        "value": 4,
    }
    response = client.post(
        url + "submit/", {"scores": _scores(idea, 4, 4, 8)}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted" and body["score"] == pytest.approx(76.25)


def test_api_scorecard_errors_are_json(idea, me):
    url = f"/api/v1/ideas/{idea.pk}/scorecard/"
    body = _error(
        _api(me).post(url + "submit/", {"scores": _scores(idea, 4)}, format="json"),
        400,
    )
    assert any(key.startswith("score_") for key in body["errors"])
    _error(_api(me).put(url, {"scores": _scores(idea, 40)}, format="json"), 400)
    _error(_api(me).put(url, {"scores": "many"}, format="json"), 400)
    _error(_api(UserFactory()).get(url), 403)
    _error(_api(UserFactory()).put(url, {"scores": []}, format="json"), 403)
    _error(_api(me).get("/api/v1/ideas/999999/scorecard/"), 404)


def test_api_other_scorecards_after_submission(idea, me):
    scored(idea, panel_note="Their note")
    url = f"/api/v1/ideas/{idea.pk}/scorecards/"
    _error(_api(me).get(url), 403)
    scored(idea, me)
    body = _api(me).get(url).json()
    assert len(body) == 2
    assert {c["panel_note"] for c in body} == {"Their note", "Strong team."}
    assert body[0]["scores"][0]["name"] == "Customer value"
    _error(_api(idea.author).get(url), 403)
    _error(_api(me).get("/api/v1/ideas/999999/scorecards/"), 404)


def test_api_decided_project_refuses_changes_with_400(idea, me):
    scored(idea, me)
    decided(idea)
    body = _error(
        _api(me).post(
            f"/api/v1/ideas/{idea.pk}/scorecard/submit/",
            {"scores": _scores(idea, 1, 1, 1)},
            format="json",
        ),
        400,
    )
    assert "decided" in body["detail"]
    assert (
        _api(me).get(f"/api/v1/ideas/{idea.pk}/scorecard/").json()["editable"] is False
    )


def test_a_withdrawn_project_can_no_longer_be_scored(idea, me):
    """The team withdraws during evaluation: the card closes (wrong stage)."""
    scorecard_save(actor=me, idea=idea, scores={})
    funnel.idea_withdraw(idea=idea, actor=idea.author)
    with pytest.raises(ValidationError) as error:
        scorecard_submit(
            actor=me, idea=idea, scores=values_for(idea.racecourse, 1, 1, 1)
        )
    assert error.value.code == "wrong_stage"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency tests need PostgreSQL (set DATABASE_URL)",
)
def test_a_double_submit_makes_one_card():
    """Two submissions of the same card at once (a double click): both
    succeed one after the other, leaving one card with one score each."""
    racecourse = racecourse_with_pool(0)
    rubric_for(racecourse)
    idea = project(racecourse)
    who = evaluator()
    assign(idea, who)
    values = values_for(racecourse, 4, 3, 7)
    results = run_together(
        [
            lambda: scorecard_submit(actor=who, idea=idea, scores=values)
            for _ in range(2)
        ]
    )
    assert errors_of(results) == []
    assert Scorecard.objects.count() == 1
    assert sorted(Score.objects.values_list("value", flat=True)) == [3, 4, 7]


def test_the_admin_cannot_delete_an_assignment_with_a_submitted_card(client):
    """Deleting would cascade to the card; only assignment_remove(force) may."""
    from django.urls import reverse

    from tests.factories import UserFactory
    from tests.factories_evaluation import assign, evaluator, racecourse_with_pool
    from tests.factories_scoring import project, rubric_for, scored

    racecourse = racecourse_with_pool(0)
    rubric_for(racecourse)
    idea = project(racecourse)
    card = scored(idea)
    idle = assign(idea, evaluator())
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    delete = "admin:voting_assignment_delete"
    assert client.get(reverse(delete, args=[card.assignment_id])).status_code == 403
    assert client.get(reverse(delete, args=[idle.pk])).status_code == 200


def test_the_admin_cannot_edit_a_resource_request_or_trainer_assignment(client):
    """Amounts, resources and trainers change through the desk's services."""
    from django.urls import reverse

    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for name in ("ideas_resourcerequest_add", "ideas_trainerassignment_add"):
        assert client.get(reverse(f"admin:{name}")).status_code == 403
