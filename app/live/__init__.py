"""The live-session core: sessions, participants, teams, the hub and the three views."""
