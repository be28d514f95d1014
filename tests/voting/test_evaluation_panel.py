"""The panel meeting: the board, the discussion, decisions, the idea page's
story, the page and the API, and decisions racing each other (PostgreSQL)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from horserace.notifications.models import Notification
from ideas.models import Idea, Stage, StageTransition, Visibility
from ideas.services.teams import invitation_accept, team_invite
from tests.factories import RacecourseFactory, UserFactory, idea_in_stage
from tests.factories_evaluation import assign, evaluator, racecourse_with_pool
from tests.factories_scoring import (
    decided,
    hr,
    project,
    rubric_for,
    scored,
    tally_for,
)
from tests.threads import errors_of, run_together
from voting.evaluation.panel.board import (
    FLAG_DISAGREEMENT,
    FLAG_VOTE_MISMATCH,
    panel_board,
)
from voting.evaluation.panel.cards import racecourse_calibration
from voting.evaluation.panel.decision import (
    panel_comment_add,
    panel_comments_visible,
    panel_decide,
)
from voting.evaluation.panel.story import evaluation_story
from voting.evaluation.scorecards.services import scorecard_submit
from voting.models import Conflict, PanelComment, PanelDecision

pytestmark = pytest.mark.django_db

SELECTED, ELIMINATED = PanelDecision.Outcome.SELECTED, PanelDecision.Outcome.ELIMINATED


@pytest.fixture
def racecourse():
    racecourse = racecourse_with_pool(0)
    rubric_for(racecourse)
    return racecourse


@pytest.fixture
def chair(racecourse):
    user = UserFactory()
    racecourse.admins.add(user)
    return user


@pytest.fixture
def idea(racecourse):
    return project(racecourse)


def _with_member(idea):
    member = UserFactory()
    # Team changes need a live idea; the captain invites during evaluation.
    invitation_accept(
        invitation=team_invite(idea=idea, actor=idea.author, invitee=member),
        actor=member,
    )
    return member


# --- The board -------------------------------------------------------------------


def test_board_orders_by_calibrated_score_with_raw_statistics(racecourse, chair):
    """Two evaluators share one project; A is more lenient than B.

    Cards on the 0–100 scale (weights 2, 1, 1): A gives P1 50 and P2 100, B
    gives P2 73.75 and P3 23.75. On P2 they differ by 26.25, so A's bias is
    +13.125 and B's −13.125: P1 = 36.875, P2 = 86.875, P3 = 36.875; the tie
    goes to the higher raw mean (P1's 50).
    """
    a, b = evaluator(), evaluator()
    p1, p2, p3 = (project(racecourse, title=f"P{i}") for i in (1, 2, 3))
    scored(p1, a, (3, 3, 5))  # 50
    scored(p2, a, (5, 5, 10))  # 100
    scored(p2, b, (4, 4, 7))  # 73.75
    scored(p3, b, (2, 2, 2))  # 23.75
    board = panel_board(racecourse=racecourse, user=chair)
    by_title = {row.idea.title: row for row in board.rows}
    assert [row.idea.title for row in board.rows] == ["P2", "P1", "P3"]
    assert [row.position for row in board.rows] == [1, 2, 3]
    p2_row = by_title["P2"]
    assert p2_row.stats.n == 2
    assert p2_row.stats.mean == pytest.approx((100 + 73.75) / 2)
    assert p2_row.stats.range == pytest.approx(26.25)
    bias = (100 - 73.75) / 2  # A's lenience, shared out so biases sum to 0
    assert by_title["P1"].calibrated == pytest.approx(50 - bias)
    assert by_title["P3"].calibrated == pytest.approx(23.75 + bias)
    assert p2_row.calibrated == pytest.approx(p2_row.stats.mean)
    assert (p2_row.submitted, p2_row.assigned) == (2, 2)
    assert len(p2_row.cards) == 2 and p2_row.cards[0].panel_note == "Strong team."
    assert board.components == 1
    assert {s.evaluator for s in board.evaluators} == {a, b}
    assert {round(s.bias, 6) for s in board.evaluators} == {
        round(bias, 6),
        round(-bias, 6),
    }


def test_board_lists_decided_projects_and_leaves_others_out(racecourse, chair, idea):
    scored(idea)
    decided(idea, ELIMINATED)
    waiting = project(racecourse)
    idea_in_stage(Stage.GESTATION, racecourse=racecourse)
    project(racecourse_with_pool(0))  # another racecourse
    board = panel_board(racecourse=racecourse, user=chair)
    assert {row.idea for row in board.rows} == {idea, waiting}
    decided_row = next(r for r in board.rows if r.idea == idea)
    assert decided_row.decision.outcome == ELIMINATED
    assert not decided_row.can_decide and not decided_row.can_comment
    assert board.undecided == 1
    waiting_row = next(r for r in board.rows if r.idea == waiting)
    assert waiting_row.can_decide and waiting_row.calibrated is None


def test_board_flags_disagreement_and_vote_mismatch(racecourse, chair):
    """P1 splits its evaluators (range ≥ 30); P1 and P3 sit at opposite ends of
    the panel's and the vote's order (more than half the field apart)."""
    p1, p2, p3 = (project(racecourse, title=f"P{i}") for i in (1, 2, 3))
    scored(p1, None, (5, 5, 10))  # 100
    scored(p1, None, (3, 3, 5))  # 50
    scored(p2, None, (3, 3, 5))
    scored(p3, None, (1, 1, 0))
    tally_for(p1, rank=3, rate=0.2)
    tally_for(p2, rank=2, rate=0.5)
    tally_for(p3, rank=1, rate=0.9)
    rows = {
        r.idea.title: r for r in panel_board(racecourse=racecourse, user=chair).rows
    }
    assert rows["P1"].flags == [FLAG_DISAGREEMENT, FLAG_VOTE_MISMATCH]
    assert rows["P2"].flags == []
    assert rows["P3"].flags == [FLAG_VOTE_MISMATCH]
    assert rows["P3"].screening.rank == 1
    assert rows["P3"].screening.rate_pct == 90.0


def test_board_reads_the_screening_of_the_racecourse_it_was_promoted_from(
    racecourse, chair, idea
):
    """An idea promoted from a department racecourse keeps its result there;
    a result on its own racecourse (judged again) wins."""
    department = RacecourseFactory(season=racecourse.season, parent=racecourse)
    Idea.objects.filter(pk=idea.pk).update(promoted_from=department)
    from tests.factories_scoring import screening_window_of

    tally_for(idea, rank=4, rate=0.7, window=screening_window_of(department))
    row = panel_board(racecourse=racecourse, user=chair).rows[0]
    assert (row.screening.racecourse, row.screening.rank) == (department.name, 4)
    tally_for(idea, rank=9, rate=0.4)
    row = panel_board(racecourse=racecourse, user=chair).rows[0]
    assert (row.screening.racecourse, row.screening.rank) == (racecourse.name, 9)


def test_board_hides_what_the_viewer_may_not_see(racecourse, chair, idea):
    """Conflicted viewer: no numbers. Confidential project: only HR sees it."""
    scored(idea)
    secret = project(racecourse, visibility=Visibility.CONFIDENTIAL)
    scored(secret)
    idea.author.manager = chair
    idea.author.save()
    visible = project(racecourse)
    board = panel_board(racecourse=racecourse, user=chair)
    # Hidden rows come last with no place: the order would betray the scores.
    assert [r.idea for r in board.rows][0] == visible
    assert [r.position for r in board.rows] == [1, None, None]
    rows = {r.idea: r for r in board.rows}
    assert rows[idea].hidden == "conflict" and rows[idea].cards == []
    assert rows[idea].calibrated is None and not rows[idea].can_decide
    assert rows[secret].hidden == "confidential" and rows[secret].cards == []
    rows = {r.idea: r for r in panel_board(racecourse=racecourse, user=hr()).rows}
    assert rows[secret].hidden == "" and len(rows[secret].cards) == 1


def test_hidden_rows_betray_neither_order_nor_decision(racecourse, chair):
    """Two projects the chair is conflicted with: title order, no decision shown."""
    low = project(racecourse, title="Alpha lockers")
    high = project(racecourse, title="Beta drones")
    scored(low, values=(1, 1, 0))
    scored(high, values=(5, 5, 10))
    for idea in (low, high):
        idea.author.manager = chair
        idea.author.save()
    decided(high, PanelDecision.Outcome.SELECTED)
    board = panel_board(racecourse=racecourse, user=chair)
    assert [r.idea for r in board.rows] == [low, high]
    assert all(r.hidden == "conflict" and r.decision is None for r in board.rows)
    assert board.undecided == 0


def test_board_sets_aside_cards_of_evaluators_now_conflicted(racecourse, chair, idea):
    """A card whose evaluator later became conflicted is neither counted nor shown."""
    kept, dropped = evaluator(), evaluator()
    scored(idea, kept, (3, 3, 5))
    scored(idea, dropped, (5, 5, 10))
    Conflict.objects.create(
        idea=idea,
        evaluator=dropped,
        kind=Conflict.Kind.FINANCIAL,
        source=Conflict.Source.ADMIN,
        declared_by=chair,
    )
    row = panel_board(racecourse=racecourse, user=chair).rows[0]
    assert row.set_aside == 1 and row.stats.n == 1
    assert [c.evaluator for c in row.cards] == [kept]
    assert row.stats.mean == pytest.approx(50)


def _board_queries(racecourse, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        board = panel_board(racecourse=racecourse, user=user)
        for row in board.rows:  # what the template reads
            for card in row.cards:
                str(card.evaluator)
            for comment in row.comments:
                str(comment.author)
            row.idea.registration if hasattr(row.idea, "registration") else None
    return len(queries)


def _grow(racecourse, n):
    for _ in range(n):
        idea = project(racecourse)
        scored(idea)
        scored(idea)
        tally_for(idea, rank=1)
        panel_comment_add(actor=hr(), idea=idea, body="Noted.")


def test_board_reads_in_constant_queries(racecourse, chair):
    """Two projects or six: the same number of queries."""
    _grow(racecourse, 2)
    small = _board_queries(racecourse, chair)
    _grow(racecourse, 4)
    assert _board_queries(racecourse, chair) == small
    assert small <= 20


def test_panel_page_renders_in_constant_queries(
    client, racecourse, chair, django_assert_max_num_queries
):
    _grow(racecourse, 2)
    client.force_login(chair)
    url = reverse("evaluation:panel", args=[racecourse.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(racecourse, 4)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count('class="panel-detail"') == 6


# --- The decision ------------------------------------------------------------------


def test_decide_selects_for_realization(racecourse, chair, idea):
    """The decision is stored with the calibrated score, the idea moves to
    realization with the feedback as reason, and the team is told."""
    member = _with_member(idea)
    scored(idea)
    decision = panel_decide(
        actor=chair, idea=idea, outcome=SELECTED, feedback=" Strong pilot plan. "
    )
    idea.refresh_from_db()
    assert idea.stage == Stage.REALIZATION
    assert decision.feedback == "Strong pilot plan."
    assert decision.decided_by == chair
    assert decision.calibrated_score == pytest.approx(
        racecourse_calibration(racecourse=racecourse).quality[idea.pk]
    )
    transition = StageTransition.objects.filter(idea=idea).latest("pk")
    assert (transition.to_stage, transition.reason) == (
        Stage.REALIZATION,
        "Strong pilot plan.",
    )
    told = Notification.objects.filter(kind="voting.evaluation.panel_decided")
    assert all("The panel's decision" in note.subject for note in told)
    assert {n.recipient for n in told} == {idea.author, member}
    assert told.first().url.endswith("#evaluation")


def test_decide_eliminates(racecourse, idea):
    decision = panel_decide(actor=hr(), idea=idea, outcome=ELIMINATED, feedback="No.")
    idea.refresh_from_db()
    assert idea.stage == Stage.ELIMINATED
    assert decision.calibrated_score is None  # nobody scored it


def test_a_second_decision_is_refused_clearly(idea, chair):
    decided(idea)
    with pytest.raises(ValidationError) as error:
        panel_decide(actor=chair, idea=idea, outcome=ELIMINATED, feedback="Changed")
    assert error.value.code == "already_decided"
    assert "already decided" in error.value.messages[0]
    assert PanelDecision.objects.get().outcome == SELECTED


@pytest.mark.parametrize(
    "outcome, feedback, field",
    [
        (SELECTED, "  ", "feedback"),
        ("maybe", "Fine", "outcome"),
        (SELECTED, "x" * 4001, "feedback"),
    ],
)
def test_decide_needs_an_outcome_and_feedback(idea, chair, outcome, feedback, field):
    with pytest.raises(ValidationError) as error:
        panel_decide(actor=chair, idea=idea, outcome=outcome, feedback=feedback)
    assert field in error.value.error_dict
    assert not PanelDecision.objects.exists()
    idea.refresh_from_db()
    assert idea.stage == Stage.EVALUATION


@pytest.mark.parametrize("who", ["employee", "evaluator", "other_admin", "member"])
def test_decide_refused_to_others(idea, who):
    user = {
        "employee": UserFactory,
        "evaluator": lambda: scored(idea).assignment.evaluator,
        "other_admin": lambda: _admin_of(racecourse_with_pool(0)),
        "member": lambda: _with_member(idea),
    }[who]()
    with pytest.raises(PermissionDenied):
        panel_decide(actor=user, idea=idea, outcome=SELECTED, feedback="Yes")


def _admin_of(racecourse):
    user = UserFactory()
    racecourse.admins.add(user)
    return user


def test_decide_refused_to_a_conflicted_admin_and_on_confidential(racecourse, chair):
    idea = project(racecourse)
    idea.author.manager = chair
    idea.author.save()
    with pytest.raises(PermissionDenied, match="conflict of interest"):
        panel_decide(actor=chair, idea=idea, outcome=SELECTED, feedback="Yes")
    secret = project(racecourse, visibility=Visibility.CONFIDENTIAL)
    with pytest.raises(PermissionDenied):
        panel_decide(actor=chair, idea=secret, outcome=SELECTED, feedback="Yes")
    panel_decide(actor=hr(), idea=secret, outcome=SELECTED, feedback="Yes")


def test_decide_refused_outside_offline_evaluation(racecourse, chair):
    idea = idea_in_stage(Stage.GESTATION, racecourse=racecourse)
    with pytest.raises(ValidationError) as error:
        panel_decide(actor=chair, idea=idea, outcome=SELECTED, feedback="Yes")
    assert error.value.code == "wrong_stage"


# --- The discussion -------------------------------------------------------------------


def test_comments_from_evaluators_who_submitted_and_from_admins(idea, chair):
    who = evaluator()
    assign(idea, who)
    with pytest.raises(PermissionDenied):
        panel_comment_add(actor=who, idea=idea, body="Early")
    scored(idea, who)
    panel_comment_add(actor=who, idea=idea, body="After my card")
    panel_comment_add(actor=chair, idea=idea, body="Chair here")
    panel_comment_add(actor=hr(), idea=idea, body="HR here")
    assert [c.body for c in panel_comments_visible(user=who, idea=idea)] == [
        "After my card",
        "Chair here",
        "HR here",
    ]


def test_comments_refused_to_team_conflicted_and_after_the_decision(idea, chair):
    member = _with_member(idea)
    with pytest.raises(PermissionDenied):
        panel_comment_add(actor=member, idea=idea, body="Pick us")
    with pytest.raises(PermissionDenied):
        panel_comments_visible(user=member, idea=idea)
    with pytest.raises(ValidationError) as error:
        panel_comment_add(actor=chair, idea=idea, body="  ")
    assert "body" in error.value.error_dict
    decided(idea)
    with pytest.raises(ValidationError) as error:
        panel_comment_add(actor=chair, idea=idea, body="Too late")
    assert error.value.code == "closed"
    assert not PanelComment.objects.exists()


# --- The story on the idea page ------------------------------------------------------------


def test_story_is_none_before_the_decision(idea):
    scored(idea)
    assert evaluation_story(idea=idea, user=idea.author) is None


def test_story_for_the_team_is_whole_and_anonymous(idea):
    """Feedback, per-criterion scores and team comments; evaluators numbered;
    never a panel note or comment."""
    scored(idea, None, (4, 3, 8), team_comment="Good plan", panel_note="SECRET")
    scored(idea, None, (2, 2, 2), team_comment="Too costly", panel_note="SECRET")
    panel_comment_add(actor=hr(), idea=idea, body="SECRET DISCUSSION")
    decided(idea)
    story = evaluation_story(idea=idea, user=idea.author)
    assert story["full"] and story["selected"]
    assert story["feedback"].startswith("Well argued")
    assert [c["label"] for c in story["cards"]] == ["Evaluator 1", "Evaluator 2"]
    assert [c["team_comment"] for c in story["cards"]] == ["Good plan", "Too costly"]
    assert [s["value"] for s in story["cards"][0]["scores"]] == [4, 3, 8]
    assert story["cards"][0]["scores"][2] == {
        "criterion": "Originality",
        "value": 8,
        "scale_min": 0,
        "scale_max": 10,
    }
    assert "SECRET" not in repr(story)
    html = render_to_string("voting/evaluation/_story.html", {"evaluation": story})
    assert "Evaluator 2" in html and "Too costly" in html and "SECRET" not in html
    assert "Selected for realization" in html


def test_story_for_others_is_the_outcome_only(idea, chair):
    scored(idea)
    decided(idea, ELIMINATED)
    assert evaluation_story(idea=idea, user=chair)["full"] is True
    assert evaluation_story(idea=idea, user=hr())["full"] is True
    story = evaluation_story(idea=idea, user=UserFactory())
    assert story["full"] is False and story["outcome"] == ELIMINATED
    assert "cards" not in story and "feedback" not in story
    html = render_to_string("voting/evaluation/_story.html", {"evaluation": story})
    assert "Eliminated" in html and "feedback" not in html
    assert render_to_string("voting/evaluation/_story.html", {}).strip() == ""


def test_story_is_none_for_those_who_may_not_see_the_idea(racecourse):
    secret = project(racecourse, visibility=Visibility.CONFIDENTIAL)
    decided(secret)
    assert evaluation_story(idea=secret, user=UserFactory()) is None
    assert evaluation_story(idea=secret, user=secret.author)["full"] is True


# --- The page ------------------------------------------------------------------------------


def _url(racecourse):
    return reverse("evaluation:panel", args=[racecourse.pk])


def test_panel_page_for_hr_and_admins_only(client, racecourse, chair, idea):
    scored(idea)
    client.force_login(chair)
    html = client.get(_url(racecourse)).content.decode()
    assert "Panel meeting" in html and idea.title in html
    assert "Select for realization" in html and "Eliminate" in html
    client.force_login(evaluator())
    assert client.get(_url(racecourse)).status_code == 403
    assert client.get("/evaluation/racecourses/999999/panel/").status_code == 404


def test_panel_page_empty_state(client, racecourse, chair):
    client.force_login(chair)
    html = client.get(_url(racecourse)).content.decode()
    assert "No project is in offline evaluation" in html


def test_panel_page_records_a_decision(client, racecourse, chair, idea):
    client.force_login(chair)
    prefix = f"decide-{idea.pk}"
    response = client.post(
        _url(racecourse),
        {
            "idea": idea.pk,
            "action": "decide",
            f"{prefix}-outcome": SELECTED,
            f"{prefix}-feedback": "Go build it.",
        },
        follow=True,
    )
    assert "Decision recorded" in response.content.decode()
    idea.refresh_from_db()
    assert idea.stage == Stage.REALIZATION


def test_panel_page_shows_decision_errors_on_the_form(client, racecourse, chair, idea):
    """No feedback: 200 with the error on that project's form; a second
    decision: the refusal on the form too."""
    client.force_login(chair)
    prefix = f"decide-{idea.pk}"
    data = {"idea": idea.pk, "action": "decide", f"{prefix}-outcome": SELECTED}
    response = client.post(_url(racecourse), data | {f"{prefix}-feedback": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not PanelDecision.objects.exists()


def test_panel_page_comment_and_bad_posts(client, racecourse, chair, idea):
    client.force_login(chair)
    response = client.post(
        _url(racecourse),
        {"idea": idea.pk, "action": "comment", f"comment-{idea.pk}-body": "Hmm"},
    )
    assert response.status_code == 302
    assert PanelComment.objects.get().body == "Hmm"
    assert client.post(_url(racecourse), {"action": "decide"}).status_code == 400
    other = project(racecourse_with_pool(0))
    assert (
        client.post(
            _url(racecourse), {"idea": other.pk, "action": "decide"}
        ).status_code
        == 404
    )
    client.force_login(UserFactory())
    assert client.post(_url(racecourse), {"idea": idea.pk}).status_code == 403


# --- The API ----------------------------------------------------------------------------------


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _error(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["detail"]
    return body


def test_api_panel(racecourse, chair, idea):
    scored(idea)
    tally_for(idea, rank=2, rate=0.6)
    body = _api(chair).get(f"/api/v1/racecourses/{racecourse.pk}/panel/").json()
    row = body["rows"][0]
    assert row["idea"]["id"] == idea.pk and row["n"] == 1
    assert row["screening"]["rank"] == 2 and row["decision"] is None
    assert row["cards"][0]["panel_note"] == "Strong team."
    _error(_api(evaluator()).get(f"/api/v1/racecourses/{racecourse.pk}/panel/"), 403)
    _error(_api(chair).get("/api/v1/racecourses/999999/panel/"), 404)


def test_api_comments(idea, chair):
    url = f"/api/v1/ideas/{idea.pk}/panel-comments/"
    response = _api(chair).post(url, {"body": "Let us talk"}, format="json")
    assert response.status_code == 201
    assert response.json()["author"]["id"] == chair.pk
    assert [c["body"] for c in _api(chair).get(url).json()] == ["Let us talk"]
    _error(_api(idea.author).get(url), 403)
    _error(_api(idea.author).post(url, {"body": "Us!"}, format="json"), 403)
    _error(_api(chair).post(url, {"body": ""}, format="json"), 400)
    _error(_api(chair).get("/api/v1/ideas/999999/panel-comments/"), 404)


def test_api_decision(idea, chair):
    url = f"/api/v1/ideas/{idea.pk}/decision/"
    _error(_api(idea.author).get(url), 404)
    scored(idea, None, (4, 3, 8), team_comment="Good plan")
    response = _api(chair).post(
        url, {"outcome": "selected", "feedback": "Go"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["decided_by"]["id"] == chair.pk
    body = _error(
        _api(chair).post(
            url, {"outcome": "eliminated", "feedback": "No"}, format="json"
        ),
        400,
    )
    assert "already decided" in body["detail"]
    story = _api(idea.author).get(url).json()
    assert story["full"] is True and story["feedback"] == "Go"
    assert story["cards"][0]["label"] == "Evaluator 1"
    assert _api(UserFactory()).get(url).json() == {
        "outcome": "selected",
        "outcome_label": "Selected for realization",
        "decided_at": story["decided_at"],
        "full": False,
    }


def test_api_decision_errors(idea):
    url = f"/api/v1/ideas/{idea.pk}/decision/"
    _error(_api(UserFactory()).post(url, {"outcome": "selected", "feedback": "x"}), 403)
    _error(_api(hr()).post(url, {"outcome": "selected"}, format="json"), 400)
    _error(_api(hr()).post(url, {"outcome": "perhaps", "feedback": "x"}), 400)
    _error(_api(hr()).post("/api/v1/ideas/999999/decision/", {}), 404)


# --- Races (PostgreSQL) ---------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency tests need PostgreSQL (set DATABASE_URL)",
)
def test_two_decisions_at_once_only_one_is_recorded():
    """Two chairs decide the same project at the same moment: one decision,
    one stage change; the other is refused as already decided."""
    racecourse = racecourse_with_pool(0)
    rubric_for(racecourse)
    idea = project(racecourse)
    chairs = [hr(), hr()]
    results = run_together(
        [
            lambda c=c, o=o: panel_decide(actor=c, idea=idea, outcome=o, feedback="x")
            for c, o in zip(chairs, [SELECTED, ELIMINATED], strict=True)
        ]
    )
    errors = errors_of(results)
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert errors[0].code == "already_decided"
    assert PanelDecision.objects.count() == 1
    idea.refresh_from_db()
    winner = PanelDecision.objects.get().outcome
    assert idea.stage == (Stage.REALIZATION if winner == SELECTED else Stage.ELIMINATED)
    assert (
        StageTransition.objects.filter(idea=idea, from_stage=Stage.EVALUATION).count()
        == 1
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency tests need PostgreSQL (set DATABASE_URL)",
)
def test_a_card_submitted_during_the_decision_is_either_in_or_refused():
    """The decision and a submission race: either the card was in before the
    decision (and counted in its calibrated score) or it is refused."""
    racecourse = racecourse_with_pool(0)
    rubric_for(racecourse)
    idea = project(racecourse)
    scored(idea, None, (1, 1, 0))
    late = evaluator()
    assign(idea, late)
    from tests.factories_scoring import values_for

    values = values_for(racecourse, 5, 5, 10)
    results = run_together(
        [
            lambda: panel_decide(actor=hr(), idea=idea, outcome=SELECTED, feedback="x"),
            lambda: scorecard_submit(actor=late, idea=idea, scores=values),
        ]
    )
    decision = PanelDecision.objects.get()
    submit_outcome, submit_value = results[1]
    if submit_outcome == "ok":
        assert decision.calibrated_score == pytest.approx(50)
    else:
        assert isinstance(submit_value, ValidationError)
        assert submit_value.code == "decided"
        assert decision.calibrated_score == pytest.approx(0)


# --- Odds and ends -------------------------------------------------------------------------


def test_board_shows_an_anonymous_team_only_once_unmasked(racecourse, chair):
    """The chair, HR included, sees an anonymous team only after unmasking it
    with a reason (``ideas.visibility``); a named team is shown as it is."""
    from ideas.services.access import idea_access_request

    named = project(racecourse)
    hidden = project(racecourse, anonymous=True)
    rows = {r.idea: r for r in panel_board(racecourse=racecourse, user=chair).rows}
    assert [m.user for m in rows[named].team] == [named.author]
    assert rows[hidden].team == []
    chair_hr = hr()
    rows = {r.idea: r for r in panel_board(racecourse=racecourse, user=chair_hr).rows}
    assert rows[hidden].team == []
    idea_access_request(
        idea=hidden, user=chair_hr, kind="unmask", reason="Checking for conflicts."
    )
    rows = {r.idea: r for r in panel_board(racecourse=racecourse, user=chair_hr).rows}
    assert [m.user for m in rows[hidden].team] == [hidden.author]


def test_admin_shows_scorecards_comments_and_decisions_read_only(rf):
    from django.contrib import admin

    from voting.models import Score, Scorecard

    request = rf.get("/")
    request.user = hr(is_superuser=True, is_staff=True)
    for model in (Scorecard, PanelComment, PanelDecision):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
    assert [i.model for i in admin.site._registry[Scorecard].inlines] == [Score]
