"""Who is acting, from where: set once per request so services can audit without being handed the request."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str = ""
    ip: str | None = None
    user_agent: str = ""


_current: ContextVar[RequestInfo | None] = ContextVar("request_info", default=None)
_OUTSIDE_REQUEST = RequestInfo()


def current_request_info() -> RequestInfo:
    return _current.get() or _OUTSIDE_REQUEST


def set_request_info(info: RequestInfo) -> object:
    return _current.set(info)


def reset_request_info(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
