"""PDF rendering on reportlab: pure functions from plain data to PDF bytes.

Badges, programme, agreements, certificates and the stage sheet.
"""
