"""The season console over the API: the same services as the browser's pages.

HR creates, changes, copies and opens seasons, adds department racecourses
and windows, moves windows and closes them early (with a reason once the
season is under way). HR and the racecourse's admins read a season's review
and a window's change history; everyone else gets a 403. A refusal by a
service is a 400 with the shared error body.

The season list and detail and a window's detail take their POST and
PATCH here: ``SeasonListApi``, ``SeasonDetailApi`` and ``WindowDetailApi``
extend the read-only views of ``seasons`` and ``windows`` with them, and the
routes (``contests.apis``) serve these.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.accounts.apis import UserBriefSerializer
from horserace.accounts.models import Department
from horserace.common.api import IdField, error_responses
from horserace.common.permissions import can
from horserace.common.validators import no_bidi_controls

from .. import selectors
from ..console import selectors as console_selectors
from ..console import services
from ..models import Racecourse, Season, StageWindow, WindowChange, WindowStage
from . import seasons, windows
from .serializers import RacecourseOutputSerializer, SeasonOutputSerializer
from .windows import (
    WindowOutputSerializer,
    WindowResultOutputSerializer,
    window_context,
    window_result_response,
)


def _one_of(choices) -> str:
    return "One of: " + ", ".join(f"`{value}`" for value, _label in choices) + "."


REASON_HELP = (
    "Why. Required once the season is open; optional while it is planned "
    "(the change is recorded either way)."
)


def _reason() -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        validators=[no_bidi_controls],
        help_text=REASON_HELP,
    )


# --- Seasons ------------------------------------------------------------------------


class SeasonInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, validators=[no_bidi_controls])
    year = serializers.IntegerField(min_value=2000, max_value=2200)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    teams_per_person = serializers.IntegerField(
        min_value=1, max_value=50, required=False, default=3
    )


class SeasonUpdateInputSerializer(SeasonInputSerializer):
    """Every field optional: only those sent change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["teams_per_person"].default = serializers.empty


class SeasonCopyInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, validators=[no_bidi_controls])
    year = serializers.IntegerField(min_value=2000, max_value=2200)
    shift_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=-3660,
        max_value=3660,
        help_text=(
            "Move dates and windows by this many days. Empty: by "
            "`year` minus the source's year, in calendar years."
        ),
    )


class SeasonOpenInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, validators=[no_bidi_controls]
    )


class SeasonListApi(seasons.SeasonListApi):
    """Seasons, newest first; HR creates one (planned, with its main racecourse)."""

    @extend_schema(
        operation_id="seasons_create",
        request=SeasonInputSerializer,
        responses={201: SeasonOutputSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request, *args, **kwargs):
        data = _valid(SeasonInputSerializer, request.data)
        season = services.season_create(actor=request.user, **data)
        return Response(
            SeasonOutputSerializer(season).data, status=status.HTTP_201_CREATED
        )


class SeasonDetailApi(seasons.SeasonDetailApi):
    """A season; HR changes its name, year, dates or team limit."""

    @extend_schema(
        operation_id="seasons_partial_update",
        request=SeasonUpdateInputSerializer,
        responses={200: SeasonOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request, pk: int):
        season = get_object_or_404(Season, pk=pk)
        data = _valid(SeasonUpdateInputSerializer, request.data)
        season = services.season_update(season=season, actor=request.user, **data)
        return Response(SeasonOutputSerializer(season).data)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema(tags=["season console"])
class SeasonCopyApi(APIView):
    """Copy a season into a new, planned one (HR only).

    Racecourses (not the Innovation Farm), their windows moved on, closing
    rules, rubrics, budgets, the resource catalogue, open challenges and the
    trainer pool.
    """

    @extend_schema(
        operation_id="seasons_copy",
        request=SeasonCopyInputSerializer,
        responses={201: SeasonOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        source = get_object_or_404(Season, pk=pk)
        data = _valid(SeasonCopyInputSerializer, request.data)
        season = services.season_copy(
            source=source,
            name=data["name"],
            year=data["year"],
            shift=data.get("shift_days"),
            actor=request.user,
        )
        return Response(
            SeasonOutputSerializer(season).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["season console"])
class SeasonOpenApi(APIView):
    """Open a planned season (HR only); refused (400) while its review has errors."""

    @extend_schema(
        operation_id="seasons_open",
        request=SeasonOpenInputSerializer,
        responses={200: SeasonOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        season = get_object_or_404(Season, pk=pk)
        data = _valid(SeasonOpenInputSerializer, request.data)
        season = services.season_open(
            season=season, actor=request.user, reason=data.get("reason", "")
        )
        return Response(SeasonOutputSerializer(season).data)


class ReviewItemOutputSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="`error` (blocks opening) or `warning`.")
    code = serializers.CharField(
        help_text=(
            "One of: `no_main`, `missing_window`, `schedule`, `past_window`, "
            "`no_promotion`, `no_admin`, `no_rubric`, `no_evaluators`, "
            "`no_budgets`, `no_resources`, `no_trainers`."
        )
    )
    message = serializers.CharField()
    racecourse = serializers.IntegerField(allow_null=True)


class SeasonReviewOutputSerializer(serializers.Serializer):
    season = SeasonOutputSerializer()
    can_open = serializers.BooleanField(help_text="Planned, and no item is an error.")
    items = ReviewItemOutputSerializer(many=True)


def _check_console(user, season: Season) -> None:
    if not can(user, "contests.view_console", season):
        raise PermissionDenied(
            _("Only HR and this season's racecourse admins see its console.")
        )


@extend_schema(tags=["season console"])
class SeasonReviewApi(APIView):
    """What stands between a season and its opening: errors, then warnings.

    HR and the admins of the season's racecourses.
    """

    @extend_schema(
        operation_id="seasons_review",
        responses={
            200: SeasonReviewOutputSerializer,
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        season = get_object_or_404(Season, pk=pk)
        _check_console(request.user, season)
        items = console_selectors.season_review(season=season)
        can_open = season.status == Season.Status.PLANNED and not any(
            item.is_error for item in items
        )
        data = SeasonReviewOutputSerializer(
            {"season": season, "can_open": can_open, "items": items}
        ).data
        return Response(data)


class DepartmentRacecoursesInputSerializer(serializers.Serializer):
    departments = serializers.ListField(
        child=IdField(), min_length=1, max_length=500, help_text="Department ids."
    )
    promotion_quota = serializers.IntegerField(
        min_value=0,
        max_value=1000,
        help_text="How many ideas each promotes to the main racecourse.",
    )
    template = IdField(
        required=False,
        allow_null=True,
        help_text=(
            "A racecourse of the season whose windows and settings to take; "
            "empty: the main racecourse's (its screening then closes halfway)."
        ),
    )


@extend_schema(tags=["season console"])
class DepartmentRacecoursesApi(APIView):
    """Add a racecourse for each of the chosen departments, feeding the main one."""

    @extend_schema(
        operation_id="seasons_department_racecourses_create",
        request=DepartmentRacecoursesInputSerializer,
        responses={
            201: RacecourseOutputSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        season = get_object_or_404(Season, pk=pk)
        services.check_can_manage_season(request.user)
        data = _valid(DepartmentRacecoursesInputSerializer, request.data)
        ids = list(dict.fromkeys(data["departments"]))
        departments = list(Department.objects.filter(pk__in=ids))
        if len(departments) != len(ids):
            raise serializers.ValidationError(
                {"departments": [_("Some of these departments do not exist.")]}
            )
        template = None
        if data.get("template"):
            template = Racecourse.objects.filter(
                pk=data["template"], season=season
            ).first()
            if template is None:
                raise serializers.ValidationError(
                    {"template": [_("Not a racecourse of this season.")]}
                )
        made = services.department_racecourses_add(
            season=season,
            departments=departments,
            promotion_quota=data["promotion_quota"],
            template=template,
            actor=request.user,
        )
        racecourses = selectors.racecourse_list().filter(pk__in=[r.pk for r in made])
        data = RacecourseOutputSerializer(
            racecourses, many=True, context={"now": timezone.now()}
        ).data
        return Response(data, status=status.HTTP_201_CREATED)


# --- Windows ------------------------------------------------------------------------


class WindowCreateInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=WindowStage.choices)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    rule = serializers.ChoiceField(
        choices=StageWindow.Rule.choices, required=False, default="manual"
    )
    mode = serializers.CharField(max_length=32, required=False, default="approval")
    top_k = serializers.IntegerField(
        min_value=1, max_value=100000, required=False, allow_null=True
    )
    threshold_rate = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        min_value=0,
        max_value=1,
        required=False,
        allow_null=True,
    )
    threshold_min_voters = serializers.IntegerField(
        min_value=0, max_value=10**9, required=False, allow_null=True
    )
    support_budget = serializers.IntegerField(
        min_value=0, max_value=10**6, required=False, allow_null=True
    )
    hide_counts = serializers.BooleanField(required=False, default=True)
    missing_proposal = serializers.ChoiceField(
        choices=["eliminate", "hold"], required=False, default="eliminate"
    )
    reason = _reason()


class WindowMoveInputSerializer(serializers.Serializer):
    opens_at = serializers.DateTimeField(required=False)
    closes_at = serializers.DateTimeField(required=False)
    reason = _reason()


class WindowCloseEarlyInputSerializer(serializers.Serializer):
    reason = _reason()


@extend_schema(tags=["windows"])
class WindowDetailApi(windows.WindowDetailApi):
    """A window; HR moves it (a reason is required once the season is open)."""

    @extend_schema(
        operation_id="windows_partial_update",
        request=WindowMoveInputSerializer,
        responses={200: WindowOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request, pk: int):
        window = get_object_or_404(StageWindow, pk=pk)
        data = _valid(WindowMoveInputSerializer, request.data)
        services.window_move(
            window=window,
            actor=request.user,
            opens_at=data.get("opens_at"),
            closes_at=data.get("closes_at"),
            reason=data.get("reason", ""),
        )
        window = selectors.stage_window_get(pk=window.pk)
        return Response(
            WindowOutputSerializer(window, context=window_context(request)).data
        )


@extend_schema(tags=["season console"])
class WindowCreateApi(APIView):
    """Add a racecourse's missing window (HR only), checked against the schedule rules."""

    @extend_schema(
        operation_id="racecourses_windows_create",
        request=WindowCreateInputSerializer,
        responses={201: WindowOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        racecourse = get_object_or_404(Racecourse, pk=pk)
        services.check_can_manage_season(request.user)
        data = _valid(WindowCreateInputSerializer, request.data)
        window = services.window_create(
            racecourse=racecourse, actor=request.user, **data
        )
        window = selectors.stage_window_get(pk=window.pk)
        return Response(
            WindowOutputSerializer(window, context=window_context(request)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["season console"])
class WindowCloseEarlyApi(APIView):
    """Close an open window now and apply its rule at once (HR only).

    The answer is the close's outcome, as for `close`; a stage with no
    closing rule (evaluation) answers `closed`.
    """

    @extend_schema(
        operation_id="windows_close_early",
        request=WindowCloseEarlyInputSerializer,
        responses={
            200: WindowResultOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        window = get_object_or_404(StageWindow, pk=pk)
        data = _valid(WindowCloseEarlyInputSerializer, request.data)
        outcome = services.window_close_early(
            window=window, actor=request.user, reason=data.get("reason", "")
        )
        return window_result_response(request, outcome)


class WindowChangeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    window = serializers.IntegerField(source="window_id")
    kind = serializers.CharField(help_text=_one_of(WindowChange.Kind.choices))
    actor = UserBriefSerializer(allow_null=True)
    old_opens_at = serializers.DateTimeField(allow_null=True)
    old_closes_at = serializers.DateTimeField(allow_null=True)
    new_opens_at = serializers.DateTimeField()
    new_closes_at = serializers.DateTimeField()
    reason = serializers.CharField()
    at = serializers.DateTimeField()


@extend_schema(tags=["season console"])
class WindowChangeListApi(APIView):
    """A window's history: created, moved, closed early; by whom, when and why.

    HR and the racecourse's admins.
    """

    @extend_schema(
        operation_id="windows_changes_list",
        responses={
            200: WindowChangeOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        window = get_object_or_404(
            StageWindow.objects.select_related("racecourse"), pk=pk
        )
        if not can(request.user, "contests.manage_racecourse", window.racecourse):
            raise PermissionDenied(
                _("Only HR and this racecourse's admins see its window history.")
            )
        changes = console_selectors.window_changes(window=window)
        return Response(WindowChangeOutputSerializer(changes, many=True).data)
