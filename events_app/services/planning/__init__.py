"""Planning services: the exhibition, ceremonies and the running order of a gathering.

Each command loads the aggregate it changes, runs one domain command and saves it through
`BoxOffice.execute`, which serialises writers of one gathering within a process and
retries on a concurrent write from another process (optimistic concurrency), so two
organisers allocating one slot at once cannot both succeed.

`Planning` is made of one part per thing planned: `exhibition` (with its bulk `imports`),
`ceremonies` and `running_order`, all loading through `loading`.
"""

from __future__ import annotations

from events_app.services.planning.ceremonies import CeremonyPlanning
from events_app.services.planning.exhibition import ExhibitionPlanning
from events_app.services.planning.imports import (
    ExhibitionImports,
    FirmRow,
    Row,
    RowProblem,
    RowsRefused,
)
from events_app.services.planning.loading import day_of, window_of
from events_app.services.planning.running_order import RunningOrderPlanning

__all__ = ["FirmRow", "Planning", "Row", "RowProblem", "RowsRefused", "day_of", "window_of"]


class Planning(ExhibitionPlanning, ExhibitionImports, CeremonyPlanning, RunningOrderPlanning):
    """What organisers do to plan the showcase, the ceremonies and the running order."""
