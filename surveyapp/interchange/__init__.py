"""Questionnaires in and out of other tools' formats: XLSForm (KoboToolbox, ODK) and LimeSurvey (.lss).

A reader turns a file into a `Draft` (model.py): the questionnaire in the starter format
(surveyapp.starters, the format the template library is written in) plus every row or question it could not
map, with where and why. Nothing touches the database until `service.create` builds the draft through the
builder's own service functions, in the caller's transaction, all or nothing.
"""
