"""The app's route table as a test walks it: every HTTP and websocket route, with the names of its
path, query and form parameters, so a test over "every route" covers a route added later."""

from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute
from pydantic import BaseModel


@dataclass(frozen=True)
class Route:
    path: str
    methods: tuple[str, ...]  # () for a websocket
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    form_fields: tuple[str, ...]  # declared ones; routes that read their body themselves have none
    websocket: bool = False

    @property
    def id(self) -> str:
        return f"{'WS' if self.websocket else '/'.join(self.methods)} {self.path}"


def routes(app: FastAPI) -> list[Route]:
    """Every route of the app (mounted static files aside), in the table's order."""
    found = []
    for path, route in _flat(app):
        if not isinstance(route, APIRoute | APIWebSocketRoute):
            continue
        methods = tuple(sorted(set(getattr(route, "methods", None) or ()) - {"HEAD"}))
        found.append(
            Route(
                path=path,
                methods=methods,
                path_params=_names(route.dependant, "path_params"),
                query_params=_names(route.dependant, "query_params"),
                form_fields=_names(route.dependant, "body_params"),
                websocket=isinstance(route, APIWebSocketRoute),
            )
        )
    return found


def _flat(app: FastAPI) -> list[tuple[str, object]]:
    """(full path, route) for each route: FastAPI releases that include routers lazily list the
    router in app.routes and give the routes it holds through iter_route_contexts."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # an older FastAPI: app.routes holds every route
        return [(getattr(route, "path", ""), route) for route in app.routes]
    return [(context.path or "", context.original_route) for context in iter_route_contexts(app.routes)]


def _names(dependant, kind: str) -> tuple[str, ...]:
    """The names of one kind of parameter of a route and of the dependencies it declares; a
    parameter that is a model (FastAPI's form and query models) stands for its fields."""
    names: list[str] = []
    for field in _params(dependant, kind):
        model = getattr(field, "type_", None) or getattr(field.field_info, "annotation", None)
        if isinstance(model, type) and issubclass(model, BaseModel):
            names += [info.alias or name for name, info in model.model_fields.items()]
        else:
            names.append(field.alias)
    return tuple(dict.fromkeys(names))


def _params(dependant, kind: str) -> Iterator:
    yield from getattr(dependant, kind)
    for sub in dependant.dependencies:
        yield from _params(sub, kind)
