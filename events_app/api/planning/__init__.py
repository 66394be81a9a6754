"""Planning API (organiser): the exhibition, the ceremonies and the running order.

Each view validates its input, makes one Planning call and serialises the answer.
Refused commands raise domain errors, which events_app.errors turns into 4xx answers.
The views of each part live in their own module, all on the one `planning` blueprint.
"""

from __future__ import annotations

# The views register in import order, which is their order in the OpenAPI document.
# isort: off
from events_app.api.planning import exhibition
from events_app.api.planning import ceremonies
from events_app.api.planning import running_order

# isort: on
from events_app.api.planning.blueprint import bp

__all__ = ["bp", "ceremonies", "exhibition", "running_order"]
