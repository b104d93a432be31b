"""Activity kinds: one package each, registered with the core through `registry`."""
