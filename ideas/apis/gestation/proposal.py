"""The final proposal and its files, extensions, elimination."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses
from ideas.selectors.gestation.proposal import final_proposal_get, proposal_attachments
from ideas.services.attachments import attachment_add
from ideas.services.gestation.proposal import (
    final_proposal_submit,
    gestation_eliminate,
    proposal_extension_grant,
)

from ...models import Attachment, Idea, ProposalExtension
from ..serializers import viewer_context
from .helpers import gestation_idea, parse
from .serializers import (
    FinalProposalInputSerializer,
    FinalProposalOutputSerializer,
    GestationReasonInputSerializer,
    ProposalExtensionInputSerializer,
    ProposalExtensionOutputSerializer,
    ProposalFileInputSerializer,
    ProposalFileOutputSerializer,
)


def _proposal_data(request, idea: Idea):
    proposal = final_proposal_get(idea=idea)
    if proposal is None:
        return None
    proposal.attachments = list(proposal_attachments(idea=idea))
    return FinalProposalOutputSerializer(proposal, context=viewer_context(request)).data


@extend_schema(tags=["gestation: proposal"])
class IdeaProposalApi(APIView):
    """The submitted final proposal (GET, 404 before); the captain submits it
    (POST), which moves the idea to offline evaluation. Attach files first."""

    @extend_schema(
        operation_id="ideas_proposal_retrieve",
        responses={
            200: FinalProposalOutputSerializer,
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.see_progress")
        data = _proposal_data(request, idea)
        if data is None:
            raise Http404
        return Response(data)

    @extend_schema(
        operation_id="ideas_proposal_submit",
        request=FinalProposalInputSerializer,
        responses={
            201: FinalProposalOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = parse(FinalProposalInputSerializer, request)
        final_proposal_submit(idea=idea, actor=request.user, **data)
        return Response(_proposal_data(request, idea), status=status.HTTP_201_CREATED)


@extend_schema(tags=["gestation: proposal"])
class IdeaProposalFilesApi(APIView):
    """Files of the final proposal (GET); the captain attaches one (POST,
    multipart) while the proposal can still be submitted."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="ideas_proposal_files_list",
        responses={
            200: ProposalFileOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.see_proposal_files")
        rows = proposal_attachments(idea=idea)
        return Response(ProposalFileOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="ideas_proposal_files_create",
        request={"multipart/form-data": ProposalFileInputSerializer},
        responses={
            201: ProposalFileOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = parse(ProposalFileInputSerializer, request)
        attachment = attachment_add(
            idea=idea,
            actor=request.user,
            upload=data["file"],
            kind=Attachment.Kind.PROPOSAL,
        )
        return Response(
            ProposalFileOutputSerializer(attachment).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["gestation: proposal"])
class IdeaExtensionsApi(APIView):
    """Extensions of the proposal deadline (GET); HR grants one (POST)."""

    @extend_schema(
        operation_id="ideas_extensions_list",
        responses={
            200: ProposalExtensionOutputSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        idea = gestation_idea(request, pk, "ideas.view_gestation")
        rows = ProposalExtension.objects.filter(idea=idea).select_related("granted_by")
        return Response(ProposalExtensionOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="ideas_extensions_create",
        request=ProposalExtensionInputSerializer,
        responses={
            201: ProposalExtensionOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = parse(ProposalExtensionInputSerializer, request)
        extension = proposal_extension_grant(idea=idea, actor=request.user, **data)
        return Response(
            ProposalExtensionOutputSerializer(extension).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["gestation: proposal"])
class IdeaGestationEliminateApi(APIView):
    @extend_schema(
        operation_id="ideas_gestation_eliminate",
        description=(
            "HR ends a project in gestation that has no final proposal, once the "
            "racecourse's gestation window has closed."
        ),
        request=GestationReasonInputSerializer,
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        idea = gestation_idea(request, pk)
        data = parse(GestationReasonInputSerializer, request)
        gestation_eliminate(idea=idea, actor=request.user, **data)
        return Response(status=status.HTTP_204_NO_CONTENT)
