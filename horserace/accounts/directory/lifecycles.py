"""The directory import's run, as data (``horserace.common.lifecycles``).

pending ──start──▶ running ──finish──▶ done
pending / running ──fail──▶ failed
"""

from horserace.common.lifecycles import Lifecycle, Move, status_move

from ..models import DirectoryImport, StatusChange

_S = DirectoryImport.Status

DIRECTORY_IMPORT = Lifecycle(
    model=DirectoryImport,
    events=StatusChange,
    moves=[
        Move("start", (_S.PENDING,), _S.RUNNING),
        Move("finish", (_S.RUNNING,), _S.DONE),
        Move("fail", (_S.PENDING, _S.RUNNING), _S.FAILED),
    ],
)


def move(instance: DirectoryImport, name: str, *, actor=None, update_fields=()):
    return status_move(
        DIRECTORY_IMPORT, instance, name, actor=actor, update_fields=update_fields
    )
