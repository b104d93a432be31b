"""Errors a person is told about: each carries a catalogue key, never a raw message."""


class ServiceError(Exception):
    def __init__(self, key: str, status: int = 400, **values):
        super().__init__(key)
        self.key = key
        self.status = status
        self.values = values
