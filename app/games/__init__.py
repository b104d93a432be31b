"""The team-game engine: rounds with a facilitator-driven timer, one checked path for inputs,
team points to the ledger at each reveal, and a live scoreboard. A game is a module under
app/modules/ that subclasses `engine.Game` with its rules and views; `room` reads what a team
activity's views need about the whole room once per broadcast."""
