"""Text composition: language rules as data, a generic line breaker, no knowledge of PDF.

Public entry points live in :mod:`layout.text.api`.
"""
