"""Plain-data views of aggregates and read-model rows, shared by the API, the pages and the CLI."""
