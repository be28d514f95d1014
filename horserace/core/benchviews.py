"""The bare ballot endpoint `make bench` measures as the ceiling.

Mounted only when ``HORSERACE_BENCH_ENDPOINTS`` is on (``BENCH_ENDPOINTS``),
which nothing but the benchmark's gunicorn sets. It does exactly the upsert
``voting.screening.services.ballot_cast`` does, and nothing else: no authentication,
no permission or window check, no serializer. Whatever the real
``POST /api/v1/ballots/`` costs beyond this view is the price of those.
"""

import json

from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from voting.models import Ballot


@csrf_exempt
@require_POST
def ballot_upsert(request):
    """Upsert one ballot from JSON ``{voter, idea, window, choice, reason}``."""
    try:
        data = json.loads(request.body)
        ballot = Ballot(
            voter_id=int(data["voter"]),
            idea_id=int(data["idea"]),
            window_id=int(data["window"]),
            choice=str(data["choice"]),
            reason=str(data.get("reason", "")),
        )
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest()
    Ballot.objects.bulk_create(
        [ballot],
        update_conflicts=True,
        unique_fields=["voter", "idea", "window"],
        update_fields=["choice", "reason", "updated_at"],
    )
    return JsonResponse({"choice": ballot.choice}, status=201)
