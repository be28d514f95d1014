"""Text-direction controls (U+202A-U+202E, U+2066-U+2069) are refused in
every field that names or titles something, with one clear message."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from horserace.accounts.forms import PreferencesForm
from horserace.common.validators import no_bidi_controls
from ideas.apis.gestation.serializers import (
    FinalProposalInputSerializer,
    GestationMilestoneInputSerializer,
)
from ideas.apis.realization.serializers import TrancheInputSerializer
from ideas.apis.serializers import IdeaCreateInputSerializer
from ideas.forms import IdeaForm
from ideas.forms.gestation import MilestoneForm, ProposalForm, SessionForm
from ideas.forms.realization import TrancheForm
from ideas.services.attachments import attachment_add
from ideas.services.ideas import idea_create
from tests.factories import (
    ChallengeFactory,
    UserFactory,
    idea_draft,
    open_racecourse,
)
from voting.apis.rubrics import CriterionInputSerializer, RubricInputSerializer

CONTROLS = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
RLO = "\u202e"
SPOOF = f"Budget {RLO}txt.exe"
MESSAGE = "invisible text-direction characters"


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_every_embedding_override_and_isolate_is_refused(char):
    with pytest.raises(ValidationError) as excinfo:
        no_bidi_controls(f"Plan{char}A")
    assert MESSAGE in excinfo.value.messages[0]


@pytest.mark.parametrize(
    "text", ["Warehouse robots", "仓库机器人", "מחסן\u200f 2", "روبوت\u061c", ""]
)
def test_ordinary_text_of_any_script_passes(text):
    no_bidi_controls(text)  # the implicit marks U+200E/U+200F/U+061C too


@pytest.mark.parametrize(
    ("input_class", "field", "data"),
    [
        (IdeaCreateInputSerializer, "title", {}),
        (IdeaCreateInputSerializer, "pitch", {}),
        (GestationMilestoneInputSerializer, "title", {}),
        (FinalProposalInputSerializer, "summary", {"document": "x"}),
        (TrancheInputSerializer, "milestone", {"amount": "10"}),
        (RubricInputSerializer, "title", {}),
        (CriterionInputSerializer, "name", {}),
        (MilestoneForm, "title", {}),
        (SessionForm, "topic", {"held_on": "2026-01-05", "duration_minutes": 60}),
        (ProposalForm, "summary", {"document": "x"}),
        (TrancheForm, "milestone", {"amount": "10"}),
    ],
    ids=lambda v: v.__name__ if isinstance(v, type) else None,
)
def test_api_and_form_inputs_refuse_them(input_class, field, data):
    form = input_class(data={**data, field: SPOOF})
    assert not form.is_valid()
    assert MESSAGE in str(form.errors[field][0])


@pytest.mark.django_db
def test_idea_service_refuses_a_spoofed_title():
    with pytest.raises(ValidationError) as excinfo:
        idea_create(
            author=UserFactory(),
            racecourse=open_racecourse(),
            title=SPOOF,
            pitch="One line.",
            problem="p",
            proposal="q",
        )
    assert "title" in excinfo.value.message_dict


@pytest.mark.django_db
def test_idea_form_refuses_a_spoofed_title():
    racecourse = open_racecourse()
    form = IdeaForm(
        data={
            "racecourse": racecourse.pk,
            "title": SPOOF,
            "pitch": "One line.",
            "problem": "p",
            "proposal": "q",
            "visibility": "public",
        },
        season=racecourse.season,
    )
    assert not form.is_valid()
    assert MESSAGE in form.errors["title"][0]


@pytest.mark.django_db
def test_the_api_answers_400_naming_the_field():
    racecourse = open_racecourse()
    api = APIClient()
    api.force_authenticate(UserFactory())
    response = api.post(
        reverse("api:idea-list"),
        {
            "racecourse": racecourse.pk,
            "title": SPOOF,
            "pitch": "One line.",
            "problem": "p",
            "proposal": "q",
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert MESSAGE in response.json()["errors"]["title"][0]


@pytest.mark.django_db
def test_display_names_and_challenges_refuse_them():
    user = UserFactory()
    form = PreferencesForm(
        data={"display_name": f"Chen{RLO}", "locale": "en", "time_zone": "UTC"},
        instance=user,
    )
    assert not form.is_valid()
    assert "display_name" in form.errors
    challenge = ChallengeFactory.build(
        racecourse=open_racecourse(), title=f"Cut {RLO}costs"
    )
    with pytest.raises(ValidationError) as excinfo:
        challenge.full_clean()
    assert "title" in excinfo.value.message_dict


@pytest.mark.django_db
def test_attachment_names_refuse_them():
    """ "invoice<RLO>fdp.exe" would show as "invoiceexe.pdf"."""
    idea = idea_draft()
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(
            idea=idea,
            actor=idea.author,
            upload=SimpleUploadedFile(f"plan{RLO}fdp.txt", b"hello"),
        )
    assert MESSAGE in excinfo.value.message_dict["file"][0]
