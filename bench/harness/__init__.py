"""What every bench shares: the app server, simulated trainees, the bare-broadcast reference,
figures and tables."""
