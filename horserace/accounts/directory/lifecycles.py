"""The directory import's run, as data (``horserace.common.lifecycles``).

pending ──start──▶ running ──finish──▶ done
pending / running ──fail──▶ failed
"""

from horserace.common.lifecycles import Lifecycle, Lifecycles, Move

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


LIFECYCLES = Lifecycles(DIRECTORY_IMPORT)

#: The one door: perform a move on a locked import through its table.
move = LIFECYCLES.move
