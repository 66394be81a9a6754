"""Marshmallow schemas shared by the API and the pages: what a request may hold, and why not."""
