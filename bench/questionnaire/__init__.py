"""The questionnaire: N phones through the thinking-preference questionnaire, beside the
self-assessment (run.py)."""
