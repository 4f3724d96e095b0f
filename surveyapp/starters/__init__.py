"""Questionnaire templates a manager starts from ("starters": Jinja has "templates" already).

Each template is one data file, `library/<key>.json`, turned into a DRAFT questionnaire by
`service.create_from` through the builder's own service functions, so every check of the builder applies
(codes, settings, conditions, matrix rows, the publishing gate). The format:

```
{
  "order": 1,                          place in the list
  "languages": ["de", "en"],           every text below is given in each of them; the first is the default
  "title": {"de": "…", "en": "…"},     the questionnaire's title, and the template's name in the list
  "description": {"de": …, "en": …},   what the template asks and for whom (shown in the list only)
  "texts": {"intro": {…}, "thanks": {…}},          further questionnaire texts per language
  "pages": [                           page 1, 2, … in order
    {
      "title": {"de": …, "en": …},
      "condition": "driven_since = 'yes'",         optional: the page is shown only when this holds
      "skips": [{"when": "…", "to": 4}],           optional: after the page, go to page 4 (or "end")
      "items": [
        {
          "code": "careful_driving", "type": "likert", "required": true,
          "settings": {"points": 5},               as the item type's check_settings takes them
          "condition": "…",                        optional display condition (the logic language)
          "stage": {"logic_model": "short_term", "phineo": "phineo_4"},   its outcome-pathway stage per model
          "texts": {"label": {…}, "help": {…}, "low": {…}, "high": {…}, "dk": {…}},  key -> language -> text
          "options": [{"code": "m", "label": {…}}],         choice items
          "rows": [{"code": "library", "label": {…}, "condition": "…"}]   matrix rows (parts coded <code>_<row>),
                                                   each optionally shown only when its condition holds
        }
      ]
    }
  ]
}
```

Texts may pipe invitation facts (`{place}`, `{date}`) and earlier answers (`{code}`), as the builder's texts do.
Conditions and skips use the logic language (`surveyapp.logic`). An item's stage is set for the pathway
model of the programme it is created in (programmes.pathways), and left out for a model the template does
not name. A manager may take a subset of the
template's languages; texts in the others are left out.
"""
