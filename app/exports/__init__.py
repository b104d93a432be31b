"""What leaves the room: the trainee's take-home report, the facilitator's documents, workbook and
ZIP, the print view of a plan, and deleting a session's personal data once it is exported."""
