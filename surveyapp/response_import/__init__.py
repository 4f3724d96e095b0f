"""Import of earlier answers (CSV, XLSX, SPSS) into a questionnaire and a wave of its programme (issue 15)."""
