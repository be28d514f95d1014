"""The exports API under ``/api/v1/exports/``: every export, with a token.

``GET /exports/`` lists the kinds the caller may use; ``GET
/exports/{kind}.csv`` or ``.xlsx`` answers a small export with the file and a
large one with ``202`` and a job; ``POST /exports/`` always queues a job.
Poll ``GET /exports/jobs/{id}/`` until ``finished``, then fetch ``file_url``.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import IdField, error_responses
from horserace.core.models import ExportJob

from .registry import PARAMS, kind_get, kinds_all, kinds_for
from .services import (
    export_is_large,
    export_job_create,
    export_response,
    job_file_response,
    job_of_requester,
)
from .writers import CONTENT_TYPES


class ExportKindSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    params = serializers.ListField(child=serializers.CharField())
    required_params = serializers.ListField(
        child=serializers.CharField(), help_text="The parameters it cannot do without."
    )


class ExportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    format = serializers.ChoiceField(choices=ExportJob.Format.choices)
    params = serializers.DictField(child=serializers.IntegerField())
    status = serializers.ChoiceField(choices=ExportJob.Status.choices)
    finished = serializers.BooleanField(help_text="Done or failed: stop polling.")
    progress = serializers.IntegerField(help_text="Percent, 0 to 100.")
    rows = serializers.IntegerField()
    error = serializers.CharField()
    file_url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_file_url(self, job):
        if job.status != ExportJob.Status.DONE:
            return None
        return reverse("api:export-job-file", args=[job.pk])


class ExportParamsSerializer(serializers.Serializer):
    season = IdField(required=False)
    racecourse = IdField(required=False)
    department = IdField(required=False)
    person = IdField(required=False)
    idea = IdField(required=False)


class ExportJobInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])
    format = serializers.ChoiceField(choices=ExportJob.Format.choices)
    params = ExportParamsSerializer(required=False, default=dict)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [k.slug for k in kinds_all()]


def _kind_or_404(slug: str):
    kind = kind_get(slug)
    if kind is None:
        raise Http404
    return kind


def _clean(kind, user, raw):
    try:
        return kind.clean(user, raw)
    except ValidationError as error:
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else error.messages
        ) from None


def _job_response(request, job, code=status.HTTP_202_ACCEPTED):
    response = Response(ExportJobSerializer(job).data, status=code)
    response["Location"] = reverse("api:export-job-detail", args=[job.pk])
    return response


_QUERY = [
    OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.QUERY, required=False)
    for name in PARAMS
]


@extend_schema(tags=["exports"])
class ExportListApi(APIView):
    """The exports the caller may use (GET); queue a job for one (POST)."""

    @extend_schema(
        operation_id="exports_list",
        responses={200: ExportKindSerializer(many=True), **error_responses(401)},
    )
    def get(self, request):
        kinds = kinds_for(request.user)
        return Response(
            ExportKindSerializer(
                [
                    {
                        "slug": k.slug,
                        "title": str(k.title),
                        "description": str(k.description),
                        "params": list(k.params),
                        "required_params": list(k.required),
                    }
                    for k in kinds
                ],
                many=True,
            ).data
        )

    @extend_schema(
        operation_id="exports_create",
        request=ExportJobInputSerializer,
        responses={202: ExportJobSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request):
        """Queue a job whatever the size; poll it at the ``Location`` it answers."""
        serializer = ExportJobInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kind = kind_get(serializer.validated_data["kind"])
        params = _clean(kind, request.user, serializer.validated_data["params"])
        job = export_job_create(
            kind=kind,
            user=request.user,
            params=params,
            fmt=serializer.validated_data["format"],
        )
        return _job_response(request, job)


class _ExportFileApi(APIView):
    fmt = ""

    def get(self, request, kind: str):
        export = _kind_or_404(kind)
        params = _clean(export, request.user, request.query_params)
        if export_is_large(kind=export, user=request.user, params=params):
            job = export_job_create(
                kind=export, user=request.user, params=params, fmt=self.fmt
            )
            return _job_response(request, job)
        return export_response(
            kind=export, user=request.user, params=params, fmt=self.fmt
        )


def _file_schema(fmt: str):
    return extend_schema(
        operation_id=f"exports_{fmt}",
        parameters=[
            OpenApiParameter(
                "kind",
                str,
                OpenApiParameter.PATH,
                enum=[k.slug for k in kinds_all()],
                description="Which export (see `GET /api/v1/exports/`).",
            ),
            *_QUERY,
        ],
        responses={
            (200, CONTENT_TYPES[fmt].split(";")[0]): OpenApiTypes.BINARY,
            (202, "application/json"): ExportJobSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )


@extend_schema(tags=["exports"])
class ExportCsvApi(_ExportFileApi):
    """One export as CSV (UTF-8 with a BOM); a large one answers 202 and a job.

    Parameters are ids; each kind takes those `GET /api/v1/exports/` lists.
    """

    fmt = "csv"

    @_file_schema("csv")
    def get(self, request, kind: str):
        return super().get(request, kind)


@extend_schema(tags=["exports"])
class ExportXlsxApi(_ExportFileApi):
    """One export as an Excel workbook; a large one answers 202 and a job."""

    fmt = "xlsx"

    @_file_schema("xlsx")
    def get(self, request, kind: str):
        return super().get(request, kind)


def _job_or_404(request, pk: int) -> ExportJob:
    return job_of_requester(user=request.user, pk=pk)


@extend_schema(tags=["exports"])
class ExportJobDetailApi(APIView):
    """One of the caller's export jobs: its progress, then its file's address."""

    @extend_schema(
        operation_id="exports_jobs_retrieve",
        responses={200: ExportJobSerializer, **error_responses(401, 404)},
    )
    def get(self, request, pk: int):
        job = _job_or_404(request, pk)
        return Response(ExportJobSerializer(job).data)


@extend_schema(tags=["exports"])
class ExportJobFileApi(APIView):
    """A finished job's file; only the caller who asked for it may fetch it."""

    @extend_schema(
        operation_id="exports_jobs_file",
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
            **error_responses(401, 404),
        },
    )
    def get(self, request, pk: int):
        job = _job_or_404(request, pk)
        return job_file_response(job=job)
