"""PDF rendering: pure functions from plain data to PDF bytes (badges, programme, agreements)."""
