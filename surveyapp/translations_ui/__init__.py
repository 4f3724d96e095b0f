"""Questionnaire translations: text slots with stable keys, completeness, the side-by-side view and the
translator round trip (XLSX workbook and gettext .po files)."""
