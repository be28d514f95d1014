"""API for the rules of the race: seasons, racecourses, challenges and windows.

HR manages these in the Django admin; REST clients read them. The one write
is a window's close: HR and racecourse admins may apply a closed window's
rule now (``close``) or decide a window left to a person (``confirm``).
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.accounts.apis import UserBriefSerializer
from horserace.core.api import error_responses

from . import selectors
from .models import Challenge, Racecourse, Season, StageWindow
from .services import window_apply, window_confirm

# --- Serializers -------------------------------------------------------------


class SeasonOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Season
        fields = [
            "id",
            "name",
            "year",
            "starts_on",
            "ends_on",
            "status",
            "teams_per_person",
        ]


class StageWindowOutputSerializer(serializers.ModelSerializer):
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = StageWindow
        fields = [
            "stage",
            "opens_at",
            "closes_at",
            "rule",
            "top_k",
            "threshold_rate",
            "threshold_min_voters",
            "is_open",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_is_open(self, window) -> bool:
        return window.is_open(self.context.get("now"))


class RacecourseOutputSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", allow_null=True)
    windows = StageWindowOutputSerializer(many=True)
    registration_open = serializers.SerializerMethodField(
        help_text="Whether ideas can be registered here right now."
    )

    class Meta:
        model = Racecourse
        fields = [
            "id",
            "season",
            "name",
            "slug",
            "kind",
            "description",
            "parent",
            "department",
            "team_size_limit",
            "promotion_quota",
            "registration_open",
            "windows",
        ]

    def get_registration_open(self, racecourse) -> bool:
        return selectors.registration_is_open(
            racecourse=racecourse, when=self.context.get("now")
        )


class ChallengeOutputSerializer(serializers.ModelSerializer):
    season = serializers.IntegerField(source="racecourse.season_id")
    sponsor = UserBriefSerializer()

    class Meta:
        model = Challenge
        fields = [
            "id",
            "racecourse",
            "season",
            "title",
            "brief",
            "sponsor",
            "prize",
            "is_open",
        ]


# --- Filters -------------------------------------------------------------------


class RacecourseFilter(django_filters.FilterSet):
    class Meta:
        model = Racecourse
        fields = ["season", "kind", "parent"]


class ChallengeFilter(django_filters.FilterSet):
    season = django_filters.ModelChoiceFilter(
        field_name="racecourse__season", queryset=Season.objects.all()
    )

    class Meta:
        model = Challenge
        fields = ["racecourse", "season", "is_open"]


# --- Views ---------------------------------------------------------------------


class _NowMixin:
    """One clock reading per request, so every window answers for the same instant."""

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


class SeasonListApi(ListAPIView):
    serializer_class = SeasonOutputSerializer
    filterset_fields = ["status", "year"]
    ordering_fields = ["year", "starts_on"]

    def get_queryset(self):
        return selectors.season_list()

    @extend_schema(
        operation_id="seasons_list",
        responses={200: SeasonOutputSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SeasonDetailApi(RetrieveAPIView):
    serializer_class = SeasonOutputSerializer

    def get_queryset(self):
        return selectors.season_list()

    @extend_schema(
        operation_id="seasons_retrieve",
        responses={200: SeasonOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RacecourseListApi(_NowMixin, ListAPIView):
    """Racecourses with their stage windows and whether registration is open."""

    serializer_class = RacecourseOutputSerializer
    filterset_class = RacecourseFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "kind"]

    def get_queryset(self):
        return selectors.racecourse_list()

    @extend_schema(
        operation_id="racecourses_list",
        responses={
            200: RacecourseOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RacecourseDetailApi(_NowMixin, RetrieveAPIView):
    serializer_class = RacecourseOutputSerializer

    def get_queryset(self):
        return selectors.racecourse_list()

    @extend_schema(
        operation_id="racecourses_retrieve",
        responses={200: RacecourseOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ChallengeListApi(ListAPIView):
    serializer_class = ChallengeOutputSerializer
    filterset_class = ChallengeFilter
    search_fields = ["title", "brief"]
    ordering_fields = ["title", "created_at"]

    def get_queryset(self):
        return selectors.challenge_list()

    @extend_schema(
        operation_id="challenges_list",
        responses={
            200: ChallengeOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ChallengeDetailApi(RetrieveAPIView):
    serializer_class = ChallengeOutputSerializer

    def get_queryset(self):
        return selectors.challenge_list()

    @extend_schema(
        operation_id="challenges_retrieve",
        responses={200: ChallengeOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("seasons/", SeasonListApi.as_view(), name="season-list"),
    path("seasons/<int:pk>/", SeasonDetailApi.as_view(), name="season-detail"),
    path("racecourses/", RacecourseListApi.as_view(), name="racecourse-list"),
    path(
        "racecourses/<int:pk>/",
        RacecourseDetailApi.as_view(),
        name="racecourse-detail",
    ),
    path("challenges/", ChallengeListApi.as_view(), name="challenge-list"),
    path("challenges/<int:pk>/", ChallengeDetailApi.as_view(), name="challenge-detail"),
]


# --- Stage windows: read, close, confirm -------------------------------------------


class ClosingProposalOutputSerializer(serializers.Serializer):
    passing = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ideas proposed (or, once confirmed, chosen) to go on, best first.",
    )
    confirmed_by = UserBriefSerializer(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class WindowOutputSerializer(serializers.ModelSerializer):
    """A window, with its proposal for those who manage its racecourse."""

    is_open = serializers.SerializerMethodField()
    proposal = serializers.SerializerMethodField(
        help_text=(
            "A “decided by a person” window's proposal; null when there is none "
            "or you do not manage this racecourse."
        )
    )

    class Meta:
        model = StageWindow
        fields = [
            "id",
            "racecourse",
            "stage",
            "opens_at",
            "closes_at",
            "rule",
            "top_k",
            "threshold_rate",
            "threshold_min_voters",
            "support_budget",
            "hide_counts",
            "is_open",
            "applied_at",
            "proposal",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_is_open(self, window) -> bool:
        return window.is_open(self.context.get("now"))

    @extend_schema_field(ClosingProposalOutputSerializer(allow_null=True))
    def get_proposal(self, window):
        managed = self.context.get("managed")
        if managed is None or not managed.manages(window.racecourse_id):
            return None
        proposal = getattr(window, "proposal", None)
        return ClosingProposalOutputSerializer(proposal).data if proposal else None


class WindowResultOutputSerializer(serializers.Serializer):
    status = serializers.CharField(
        help_text=(
            "`applied`: the rule ran now; `already_applied`: it had run before, "
            "nothing changed; `proposed`: a person must confirm the proposal."
        )
    )
    opened = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ideas that entered screening."
    )
    passed = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ideas that went on to gestation."
    )
    eliminated = serializers.ListField(child=serializers.IntegerField())
    promoted = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ideas moved up to the parent racecourse.",
    )
    proposed = serializers.ListField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text="For a window decided by a person: the proposed list.",
    )
    held = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=(
            "Gestation: projects with no proposal left in gestation for HR to "
            "extend or eliminate."
        ),
    )
    extended = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Gestation: projects with no proposal yet but a running extension.",
    )
    window = WindowOutputSerializer()


class WindowConfirmInputSerializer(serializers.Serializer):
    passing = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=True,
        max_length=10_000,
        help_text="Ids of the ideas that go on; every other idea in screening is out.",
    )


class WindowFilter(django_filters.FilterSet):
    season = django_filters.ModelChoiceFilter(
        field_name="racecourse__season", queryset=Season.objects.all()
    )
    applied = django_filters.BooleanFilter(
        field_name="applied_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = StageWindow
        fields = ["racecourse", "season", "stage", "rule", "applied"]


def _window_context(request) -> dict:
    return {
        "request": request,
        "now": timezone.now(),
        "managed": selectors.racecourses_managed(user=request.user),
    }


def _window_result_response(request, outcome: dict) -> Response:
    window = selectors.stage_window_get(pk=outcome["window"])
    data = WindowResultOutputSerializer(
        {**outcome, "window": window}, context=_window_context(request)
    ).data
    return Response(data)


@extend_schema(tags=["windows"])
class WindowListApi(ListAPIView):
    """Stage windows of every racecourse, soonest first."""

    serializer_class = WindowOutputSerializer
    filterset_class = WindowFilter
    ordering_fields = ["opens_at", "closes_at"]

    def get_queryset(self):
        return selectors.stage_window_list()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), **_window_context(self.request)}

    @extend_schema(
        operation_id="windows_list",
        responses={200: WindowOutputSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["windows"])
class WindowDetailApi(RetrieveAPIView):
    serializer_class = WindowOutputSerializer

    def get_queryset(self):
        return selectors.stage_window_list()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), **_window_context(self.request)}

    @extend_schema(
        operation_id="windows_retrieve",
        responses={200: WindowOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["windows"])
class WindowCloseApi(APIView):
    """Apply a closed window's rule now instead of waiting for the minute task.

    HR and the racecourse's admins only. A window that is still open is a
    400. Applying again changes nothing (`already_applied`). For a window
    decided by a person the answer is the proposal (`proposed`), which
    `POST /api/v1/windows/{id}/confirm/` then confirms.
    """

    @extend_schema(
        operation_id="windows_close",
        request=None,
        responses={
            200: WindowResultOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        window = get_object_or_404(selectors.stage_window_list(), pk=pk)
        outcome = window_apply(window=window, actor=request.user)
        return _window_result_response(request, outcome)


@extend_schema(tags=["windows"])
class WindowConfirmApi(APIView):
    """Decide a closed screening window whose rule is “decided by a person”.

    HR and the racecourse's admins only, once. `passing` lists the ideas that
    go on to gestation; every other idea in screening on the racecourse is
    eliminated.
    """

    @extend_schema(
        operation_id="windows_confirm",
        request=WindowConfirmInputSerializer,
        responses={
            200: WindowResultOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        window = get_object_or_404(selectors.stage_window_list(), pk=pk)
        serializer = WindowConfirmInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = window_confirm(
            window=window,
            actor=request.user,
            passing=serializer.validated_data["passing"],
        )
        return _window_result_response(request, outcome)


urlpatterns += [
    path("windows/", WindowListApi.as_view(), name="window-list"),
    path("windows/<int:pk>/", WindowDetailApi.as_view(), name="window-detail"),
    path("windows/<int:pk>/close/", WindowCloseApi.as_view(), name="window-close"),
    path(
        "windows/<int:pk>/confirm/", WindowConfirmApi.as_view(), name="window-confirm"
    ),
]

# --- gestation: catalogue, budgets, trainer pool (gestation) ---
# Read-only for every signed-in employee: teams choose what to ask for and
# see what is left; HR edits the catalogue, budgets and pool in the admin.
from ideas.selectors.gestation import budget_list, trainer_pool  # noqa: E402

from .models import Resource, ResourceKind, ResourceUnit  # noqa: E402


def _one_of(choices) -> str:
    return "One of: " + ", ".join(f"`{value}`" for value, _label in choices) + "."


class CatalogueResourceOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    season = serializers.IntegerField(source="season_id")
    kind = serializers.CharField(help_text=_one_of(ResourceKind.choices))
    name = serializers.CharField()
    unit = serializers.CharField(help_text=_one_of(ResourceUnit.choices))
    description = serializers.CharField()
    is_active = serializers.BooleanField(help_text="Open for requests.")


class ResourceBudgetOutputSerializer(serializers.Serializer):
    resource = CatalogueResourceOutputSerializer()
    budget = serializers.DecimalField(source="amount", max_digits=14, decimal_places=2)
    granted = serializers.DecimalField(max_digits=14, decimal_places=2)
    pending = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Asked and not yet decided."
    )
    left = serializers.DecimalField(max_digits=14, decimal_places=2)


class TrainerPoolOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = UserBriefSerializer()
    expertise = serializers.CharField()
    capacity = serializers.IntegerField(help_text="Teams at most.")
    load = serializers.IntegerField(help_text="Teams coached now.")
    is_active = serializers.BooleanField(help_text="Taking teams.")


@extend_schema(tags=["gestation: catalogue"])
class SeasonResourcesApi(APIView):
    """The season's resource catalogue."""

    @extend_schema(
        operation_id="seasons_resources_list",
        responses={
            200: CatalogueResourceOutputSerializer(many=True),
            **error_responses(401, 404),
        },
    )
    def get(self, request, pk: int):
        season = get_object_or_404(selectors.season_list(), pk=pk)
        rows = Resource.objects.filter(season=season).order_by("kind", "name")
        return Response(CatalogueResourceOutputSerializer(rows, many=True).data)


@extend_schema(tags=["gestation: catalogue"])
class RacecourseBudgetsApi(APIView):
    """What the racecourse may grant of each resource, granted so far and left."""

    @extend_schema(
        operation_id="racecourses_budgets_list",
        responses={
            200: ResourceBudgetOutputSerializer(many=True),
            **error_responses(401, 404),
        },
    )
    def get(self, request, pk: int):
        racecourse = get_object_or_404(Racecourse, pk=pk)
        rows = budget_list(racecourse=racecourse)
        return Response(ResourceBudgetOutputSerializer(rows, many=True).data)


@extend_schema(tags=["gestation: catalogue"])
class SeasonTrainersApi(APIView):
    """The season's trainer pool, with each trainer's load and capacity."""

    @extend_schema(
        operation_id="seasons_trainers_list",
        responses={
            200: TrainerPoolOutputSerializer(many=True),
            **error_responses(401, 404),
        },
    )
    def get(self, request, pk: int):
        season = get_object_or_404(selectors.season_list(), pk=pk)
        rows = trainer_pool(season=season)
        return Response(TrainerPoolOutputSerializer(rows, many=True).data)


urlpatterns += [
    path(
        "seasons/<int:pk>/resources/",
        SeasonResourcesApi.as_view(),
        name="season-resources",
    ),
    path(
        "racecourses/<int:pk>/budgets/",
        RacecourseBudgetsApi.as_view(),
        name="racecourse-budgets",
    ),
    path(
        "seasons/<int:pk>/trainers/",
        SeasonTrainersApi.as_view(),
        name="season-trainers",
    ),
]
# --- end gestation: catalogue, budgets, trainer pool ---

# --- evaluation: rubrics (evaluation) ---
# A racecourse's scoring rubric: anyone logged in reads it (teams may know how
# they are judged); HR and the racecourse's admins write it through
# ``contests.services.rubrics``, which freezes what submitted cards use.
from decimal import Decimal  # noqa: E402

from django.http import Http404  # noqa: E402

from contests.models import Criterion, Rubric  # noqa: E402
from contests.services import rubrics as _rubrics  # noqa: E402


class CriterionOutputSerializer(serializers.ModelSerializer):
    frozen = serializers.SerializerMethodField(
        help_text="A submitted scorecard uses it: its scale and weight are fixed."
    )

    class Meta:
        model = Criterion
        fields = [
            "id",
            "name",
            "guidance",
            "scale_min",
            "scale_max",
            "weight",
            "position",
            "frozen",
        ]

    def get_frozen(self, criterion) -> bool:
        return criterion.pk in self.context.get("in_use", set())


class RubricOutputSerializer(serializers.ModelSerializer):
    criteria = CriterionOutputSerializer(many=True)

    class Meta:
        model = Rubric
        fields = ["id", "racecourse", "title", "instructions", "criteria"]


class RubricInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    instructions = serializers.CharField(required=False, allow_blank=True, default="")


class CriterionInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    guidance = serializers.CharField(required=False, allow_blank=True, default="")
    scale_min = serializers.IntegerField(
        min_value=0, max_value=_rubrics.SCALE_LIMIT, default=1
    )
    scale_max = serializers.IntegerField(
        min_value=1, max_value=_rubrics.SCALE_LIMIT, default=5
    )
    weight = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        default=Decimal(1),
    )


class CriterionUpdateInputSerializer(CriterionInputSerializer):
    """Every field optional; the scale and weight only while not frozen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.default = serializers.empty


class CriteriaOrderInputSerializer(serializers.Serializer):
    order = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        max_length=200,
        help_text="Every criterion id of the rubric once, in the new order.",
    )


def _rubric_response(racecourse_pk: int, status_code: int = 200) -> Response:
    rubric = (
        Rubric.objects.filter(racecourse_id=racecourse_pk)
        .prefetch_related("criteria")
        .first()
    )
    if rubric is None:
        raise Http404
    data = RubricOutputSerializer(
        rubric, context={"in_use": _rubrics.criteria_in_use(rubric=rubric)}
    ).data
    return Response(data, status=status_code)


def _racecourse_or_404(pk: int) -> Racecourse:
    return get_object_or_404(Racecourse, pk=pk)


def _rubric_or_404(racecourse_pk: int) -> Rubric:
    return get_object_or_404(
        Rubric.objects.select_related("racecourse"), racecourse_id=racecourse_pk
    )


@extend_schema(tags=["evaluation"])
class RubricApi(APIView):
    """The racecourse's rubric: its criteria with guidance, scale and weight."""

    @extend_schema(
        operation_id="rubrics_retrieve",
        responses={200: RubricOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, pk: int):
        _racecourse_or_404(pk)
        return _rubric_response(pk)

    @extend_schema(
        operation_id="rubrics_update",
        request=RubricInputSerializer,
        responses={
            200: RubricOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def put(self, request, pk: int):
        """Create the rubric or change its title and instructions (HR, admins)."""
        racecourse = _racecourse_or_404(pk)
        serializer = RubricInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _rubrics.rubric_save(
            actor=request.user, racecourse=racecourse, **serializer.validated_data
        )
        return _rubric_response(pk)


@extend_schema(tags=["evaluation"])
class CriterionCreateApi(APIView):
    """Add a criterion at the end (refused once scorecards are submitted)."""

    @extend_schema(
        operation_id="rubrics_criteria_create",
        request=CriterionInputSerializer,
        responses={
            201: RubricOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        rubric = _rubric_or_404(pk)
        serializer = CriterionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _rubrics.criterion_add(
            actor=request.user, rubric=rubric, **serializer.validated_data
        )
        return _rubric_response(pk, status_code=201)


@extend_schema(tags=["evaluation"])
class CriteriaReorderApi(APIView):
    """Put the rubric's criteria in a new order."""

    @extend_schema(
        operation_id="rubrics_criteria_reorder",
        request=CriteriaOrderInputSerializer,
        responses={
            200: RubricOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        rubric = _rubric_or_404(pk)
        serializer = CriteriaOrderInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _rubrics.criteria_reorder(
            actor=request.user, rubric=rubric, order=serializer.validated_data["order"]
        )
        return _rubric_response(pk)


@extend_schema(tags=["evaluation"])
class CriterionDetailApi(APIView):
    """Change or remove one criterion of a rubric."""

    def _criterion(self, pk: int) -> Criterion:
        return get_object_or_404(
            Criterion.objects.select_related("rubric__racecourse"), pk=pk
        )

    @extend_schema(
        operation_id="criteria_partial_update",
        request=CriterionUpdateInputSerializer,
        responses={
            200: RubricOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def patch(self, request, pk: int):
        criterion = self._criterion(pk)
        serializer = CriterionUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _rubrics.criterion_update(
            actor=request.user, criterion=criterion, **serializer.validated_data
        )
        return _rubric_response(criterion.rubric.racecourse_id)

    @extend_schema(
        operation_id="criteria_destroy",
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(self, request, pk: int):
        criterion = self._criterion(pk)
        _rubrics.criterion_remove(actor=request.user, criterion=criterion)
        return Response(status=204)


urlpatterns += [
    path("racecourses/<int:pk>/rubric/", RubricApi.as_view(), name="rubric-detail"),
    path(
        "racecourses/<int:pk>/rubric/criteria/",
        CriterionCreateApi.as_view(),
        name="rubric-criteria",
    ),
    path(
        "racecourses/<int:pk>/rubric/order/",
        CriteriaReorderApi.as_view(),
        name="rubric-order",
    ),
    path("criteria/<int:pk>/", CriterionDetailApi.as_view(), name="criterion-detail"),
]
# --- end evaluation: rubrics ---
