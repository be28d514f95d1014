"""Input and output shapes of the ideas API.

Output serializers hide the people behind an anonymous idea from anyone who
is neither on its team nor HR: the author, the team and the actors of its
stage changes come out as ``null``. ``Viewer`` answers that question once per
request.
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contests.models import Challenge, Racecourse
from horserace.accounts.apis import UserBriefSerializer
from horserace.accounts.middleware import current_request
from horserace.accounts.models import User
from horserace.common.permissions import can
from horserace.common.validators import no_bidi_controls

from ..discussion.selectors import idea_is_trending
from ..models import Idea, RequestStatus, Stage, TeamMembership, Visibility
from ..screening_entry import idea_screening_entry
from ..selectors import idea_changed_since_registration
from ..visibility import Viewer, viewer_for


def context_viewer(context) -> Viewer | None:
    """The viewer the view passed, or the current request's (see
    ``horserace.accounts.middleware.current_request``)."""
    return context.get("viewer") or viewer_for(
        context.get("request") or current_request()
    )


def viewer_context(request) -> dict:
    return {"request": request, "viewer": Viewer(request.user)}


class _ViewerMixin:
    def sees_names(self, idea: Idea) -> bool:
        viewer = self.context.get("viewer")
        return viewer is not None and viewer.sees_names(idea)


@extend_schema_field(UserBriefSerializer(allow_null=True))
class TeamPersonField(serializers.Field):
    """A person acting for an idea's team, or ``null`` to a viewer who may not
    see the team (``ideas.see_team``: anonymous ideas, blind evaluation).

    ``person`` names the attribute holding the user, ``idea`` the dotted path
    to the idea; the view passes ``viewer_context(request)``.
    """

    def __init__(self, *, person: str, idea: str = "idea", **kwargs):
        self.person_attr, self.idea_path = person, idea
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, obj):
        person = getattr(obj, self.person_attr)
        if person is None:
            return None
        idea = obj
        for part in self.idea_path.split("."):
            idea = getattr(idea, part)
        viewer = context_viewer(self.context)
        if viewer is None or not viewer.sees_names(idea):
            return None
        return UserBriefSerializer(person).data


class IdeaBodyField(serializers.CharField):
    """Text from an idea's body: empty to a viewer who knows the idea exists
    but may not read it (a confidential idea HR or its admin has not opened;
    ``ideas.read_content``). ``idea`` is the dotted path from the serialized
    object to the idea ("" when it is the idea)."""

    def __init__(self, *, idea: str = "", **kwargs):
        self.idea_path = idea
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        idea = instance
        for part in filter(None, self.idea_path.split(".")):
            idea = getattr(idea, part)
        viewer = context_viewer(self.context)
        if viewer is None or not viewer.reads_content(idea):
            return ""
        return super().get_attribute(instance)


def _brief(user) -> dict | None:
    return None if user is None else UserBriefSerializer(user).data


def team_in_order(idea: Idea) -> list[TeamMembership]:
    """The (prefetched) team, captain first, then in the order they joined."""
    return sorted(
        idea.memberships.all(),
        key=lambda m: (m.role != TeamMembership.Role.CAPTAIN, m.created_at, m.pk),
    )


# --- Output ----------------------------------------------------------------------


class RegistrationOutputSerializer(serializers.Serializer):
    """An idea's timestamped claim of authorship."""

    code = serializers.CharField()
    number = serializers.IntegerField()
    season = serializers.IntegerField(source="season_id")
    registered_at = serializers.DateTimeField()
    fingerprint = serializers.CharField(
        help_text="SHA-256 of the registered title, pitch, problem and proposal "
        "as canonical JSON."
    )
    changed_since_registration = serializers.SerializerMethodField()

    def get_changed_since_registration(self, registration) -> bool:
        return idea_changed_since_registration(idea=registration.idea)


class RegistrationBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.IntegerField()
    registered_at = serializers.DateTimeField()


class IdeaRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class MemberUserSerializer(UserBriefSerializer):
    department = serializers.CharField(source="department.name", allow_null=True)


class TeamMemberOutputSerializer(serializers.Serializer):
    user = MemberUserSerializer()
    role = serializers.ChoiceField(choices=TeamMembership.Role.choices)
    joined_at = serializers.DateTimeField(source="created_at")


class StageTransitionOutputSerializer(_ViewerMixin, serializers.Serializer):
    from_stage = serializers.ChoiceField(choices=Stage.choices)
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    actor = serializers.SerializerMethodField()
    reason = serializers.CharField(
        source="reason_text",
        help_text="In the reader's language (Accept-Language) when the system "
        "wrote it; a person's reason as typed.",
    )
    created_at = serializers.DateTimeField()

    @extend_schema_field(UserBriefSerializer(allow_null=True))
    def get_actor(self, transition):
        if not self.sees_names(transition.idea):
            return None
        return _brief(transition.actor)


class IdeaListOutputSerializer(_ViewerMixin, serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    pitch = IdeaBodyField(help_text="Empty while the idea is sealed to you.")
    stage = serializers.ChoiceField(choices=Stage.choices)
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    anonymous = serializers.BooleanField()
    racecourse = serializers.IntegerField(source="racecourse_id")
    season = serializers.IntegerField(source="racecourse.season_id")
    challenge = serializers.IntegerField(source="challenge_id", allow_null=True)
    author = serializers.SerializerMethodField(
        help_text="Null when the idea is anonymous and you are not on its team."
    )
    team_size = serializers.IntegerField()
    registration = serializers.SerializerMethodField()
    trending = serializers.SerializerMethodField(
        help_text="Many views and comments lately (ideas.discussion.selectors)."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_trending(self, idea) -> bool:
        # The list view passes the page's trending ids (one query a page);
        # a single idea asks for itself.
        trending = self.context.get("trending")
        if trending is None:
            return idea_is_trending(idea)
        return idea.pk in trending

    @extend_schema_field(UserBriefSerializer(allow_null=True))
    def get_author(self, idea):
        return _brief(idea.author) if self.sees_names(idea) else None

    @extend_schema_field(RegistrationBriefSerializer(allow_null=True))
    def get_registration(self, idea):
        registration = getattr(idea, "registration", None)
        return (
            None
            if registration is None
            else RegistrationBriefSerializer(registration).data
        )


class IdeaPermissionsSerializer(serializers.Serializer):
    """What you may do with the idea now; a client shows only these actions."""

    edit = serializers.BooleanField()
    register = serializers.BooleanField()
    withdraw = serializers.BooleanField()
    manage_team = serializers.BooleanField()
    request_join = serializers.BooleanField()
    leave_team = serializers.BooleanField()
    carry = serializers.BooleanField(
        help_text="Carry this farm idea into a season's racecourse (`carry/`)."
    )
    to_farm = serializers.BooleanField(
        help_text="Send this eliminated idea back to the farm (`to-farm/`)."
    )


class ScreeningEntryOutputSerializer(serializers.Serializer):
    """Where the idea stands toward online screening (rolling entry)."""

    state = serializers.ChoiceField(
        choices=["joined", "waiting"],
        help_text="`joined`: in the round `window`; `waiting`: enters at "
        "`waits_until` (null: no screening ahead).",
    )
    window = serializers.IntegerField(
        allow_null=True,
        help_text="The screening window (round) it is judged in or waits for; "
        "null for a farm round not opened yet.",
    )
    round = serializers.IntegerField(allow_null=True)
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    joined_at = serializers.DateTimeField(allow_null=True)
    waits_until = serializers.DateTimeField(allow_null=True)
    farm = serializers.BooleanField()


class IdeaDetailOutputSerializer(IdeaListOutputSerializer):
    problem = serializers.CharField()
    proposal = serializers.CharField(help_text="Markdown.")
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    team_size = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField(
        help_text="Null when the idea is anonymous and you are not on its team."
    )
    my_role = serializers.SerializerMethodField(
        help_text="Your role on the team (`captain` or `member`), or null."
    )
    permissions = serializers.SerializerMethodField()
    registration = serializers.SerializerMethodField()
    transitions = serializers.SerializerMethodField()
    screening = serializers.SerializerMethodField(
        help_text="Registered or in screening: the round it is judged in or "
        "waits for; null in other stages."
    )

    _PERMS = {
        "edit": "ideas.change_idea",
        "register": "ideas.register_idea",
        "withdraw": "ideas.withdraw_idea",
        "manage_team": "ideas.manage_team",
        "request_join": "ideas.request_join",
        "leave_team": "ideas.leave_team",
        "carry": "ideas.carry_idea",
        "to_farm": "ideas.replant_idea",
    }

    @extend_schema_field(ScreeningEntryOutputSerializer(allow_null=True))
    def get_screening(self, idea):
        entry = idea_screening_entry(idea=idea)
        return None if entry is None else ScreeningEntryOutputSerializer(entry).data

    def get_team_size(self, idea) -> int:
        return len(idea.memberships.all())

    @extend_schema_field(TeamMemberOutputSerializer(many=True, allow_null=True))
    def get_team(self, idea):
        if not self.sees_names(idea):
            return None
        return TeamMemberOutputSerializer(team_in_order(idea), many=True).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_my_role(self, idea):
        user = self.context["request"].user
        return next(
            (m.role for m in idea.memberships.all() if m.user_id == user.pk), None
        )

    @extend_schema_field(IdeaPermissionsSerializer)
    def get_permissions(self, idea):
        user = self.context["request"].user
        return {key: can(user, perm, idea) for key, perm in self._PERMS.items()}

    @extend_schema_field(RegistrationOutputSerializer(allow_null=True))
    def get_registration(self, idea):
        registration = getattr(idea, "registration", None)
        if registration is None:
            return None
        return RegistrationOutputSerializer(registration, context=self.context).data

    @extend_schema_field(StageTransitionOutputSerializer(many=True))
    def get_transitions(self, idea):
        return StageTransitionOutputSerializer(
            idea.transitions.all(), many=True, context=self.context
        ).data


class InvitationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    idea = IdeaRefSerializer()
    invitee = UserBriefSerializer()
    invited_by = UserBriefSerializer()
    message = serializers.CharField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    created_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)


class JoinRequestOutputSerializer(_ViewerMixin, serializers.Serializer):
    id = serializers.IntegerField()
    idea = IdeaRefSerializer()
    requester = UserBriefSerializer()
    message = serializers.CharField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    decided_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(UserBriefSerializer(allow_null=True))
    def get_decided_by(self, join_request):
        if not self.sees_names(join_request.idea):
            return None
        return _brief(join_request.decided_by)


# --- Input -----------------------------------------------------------------------


class IdeaUpdateInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120, validators=[no_bidi_controls])
    pitch = serializers.CharField(max_length=200, validators=[no_bidi_controls])
    problem = serializers.CharField()
    proposal = serializers.CharField(help_text="Markdown.")
    challenge = serializers.PrimaryKeyRelatedField(
        queryset=Challenge.objects.all(), allow_null=True, required=False
    )
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    anonymous = serializers.BooleanField(required=False)


class IdeaCreateInputSerializer(IdeaUpdateInputSerializer):
    racecourse = serializers.PrimaryKeyRelatedField(
        queryset=Racecourse.objects.select_related("season")
    )
    visibility = serializers.ChoiceField(
        choices=Visibility.choices, default=Visibility.EVERYONE
    )
    anonymous = serializers.BooleanField(default=False)


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=""
    )


class CarryInputSerializer(serializers.Serializer):
    racecourse = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        help_text="The season's racecourse the farm idea enters.",
    )

    def validate_racecourse(self, value: int) -> Racecourse:
        racecourse = Racecourse.objects.select_related("season").filter(pk=value)
        found = racecourse.first()
        if found is None:
            raise serializers.ValidationError(_("No racecourse has this id."))
        return found


class TransferInputSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        help_text="The team member who becomes captain.",
    )


class MessageInputSerializer(serializers.Serializer):
    message = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, default=""
    )


class InvitationCreateInputSerializer(MessageInputSerializer):
    invitee = serializers.CharField(
        help_text="The colleague's user id or e-mail address (see `GET /users/`)."
    )

    def validate_invitee(self, value: str) -> User:
        value = value.strip()
        if value.isascii() and value.isdigit():
            # A number too large for the id column cannot be anyone's id.
            lookup = Q(pk=int(value)) if int(value) < 2**63 else Q(pk__in=[])
        else:
            lookup = Q(email__iexact=value)
        user = User.objects.filter(lookup, is_active=True).first()
        if user is None:
            raise serializers.ValidationError(
                _("No active colleague has this id or e-mail address.")
            )
        return user
