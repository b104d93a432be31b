"""What trainees record about their own customers during the day (hypotheses about a doctor's
thinking preference now; their key-account list builds on it). Customers are known by a code or
initials only, never a real name."""
