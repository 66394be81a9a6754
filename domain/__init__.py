"""Pure domain model: aggregates, domain events and invariants of a launch event."""
