"""Rendering: the display list drawn with ReportLab. No layout decisions are made here."""
