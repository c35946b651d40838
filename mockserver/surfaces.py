"""The two doors into the API: OpenAI's ``/v1`` and Azure OpenAI's ``/openai``.

Both lead to the same routes and handlers (``routes.routes`` mounts one table under each
prefix); what differs is checked at the door, by the middleware, before any handler runs:

* where the path starts, and so which door a request came through;
* how the request names its sandbox: OpenAI's ``Authorization: Bearer KEY``; Azure's
  ``api-key: KEY`` header (``AzureOpenAI(api_key=...)``), or ``Authorization: Bearer TOKEN``
  for an Entra ID token (``azure_ad_token``, ``azureADTokenProvider``), the token naming the
  sandbox as a key would;
* what else it must carry: OpenAI's Assistants endpoints need ``OpenAI-Beta: assistants=v2``
  (unless ``--no-beta-check``); every Azure request needs ``?api-version=``. Azure chose the
  Assistants version by ``api-version`` and never required the beta header (its REST examples
  send none; both SDKs send it anyway), so the Azure door does not check it;
* how a refusal reads: Azure's gateway answers in its own envelopes (``errors.AzureGatewayError``).

Fault rules of scenarios are written against ``/v1`` paths; :func:`canonical_path` maps an Azure
path onto its ``/v1`` twin so that the same rules fire whichever door a request used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.datastructures import QueryParams

from . import errors
from .access import bearer_key
from .config import MockConfig
from .credentials import same_secret
from .errors import APIError

#: the paths (relative to a door's prefix) that need ``OpenAI-Beta: assistants=v2`` at OpenAI's
BETA_PATHS = ("/assistants", "/threads")

#: the request headers the doors read (raw lower-case names). The doors get the request's
#: headers by raw lower-case name; where they cannot be mapped at once (a repeated or
#: upper-case name), only these are looked for.
READ_HEADERS: frozenset[bytes] = frozenset((b"authorization", b"api-key", b"openai-beta"))

#: the request's headers as the doors get them: raw lower-case name -> raw value
Headers = Mapping[bytes, bytes]


def _text(headers: Headers, name: bytes) -> str:
    """A header's value as text (``""`` when absent); HTTP header bytes are latin-1."""
    value = headers.get(name)
    return "" if value is None else value.decode("latin-1")


@dataclass(frozen=True)
class Surface:
    """One door: its path prefix and its rules. Subclasses say how each rule reads."""

    prefix: str

    def owns(self, path: str) -> bool:
        return path == self.prefix or path.startswith(self.prefix + "/")

    def relative(self, path: str) -> str:
        """``/openai/threads/x`` -> ``/threads/x``."""
        return path[len(self.prefix) :] or "/"

    def sandbox_key(self, headers: Headers, config: MockConfig) -> str:
        """The key naming the request's sandbox; raises the door's 401 if there is none, or if
        it is not ``config.api_key`` when one is set."""
        raise NotImplementedError

    def check(
        self, path: str, headers: Headers, query: bytes, config: MockConfig
    ) -> None:
        """Raise what the door refuses about an authenticated request (headers, query)."""
        raise NotImplementedError

    def unknown_url(self, method: str, path: str) -> APIError:
        """The answer to a path no route serves."""
        raise NotImplementedError


class OpenAISurface(Surface):
    def sandbox_key(self, headers: Headers, config: MockConfig) -> str:
        key = bearer_key(_text(headers, b"authorization"))
        if not key:
            raise errors.missing_api_key()
        if config.api_key is not None and not same_secret(key, config.api_key):
            raise errors.incorrect_api_key(key)
        return key

    def check(
        self, path: str, headers: Headers, query: bytes, config: MockConfig
    ) -> None:
        if config.require_beta and self.relative(path).startswith(BETA_PATHS):
            _check_beta(_text(headers, b"openai-beta"))

    def unknown_url(self, method: str, path: str) -> APIError:
        return errors.invalid_url(method, path)


class AzureSurface(Surface):
    def sandbox_key(self, headers: Headers, config: MockConfig) -> str:
        # the api-key header wins: the SDKs send one credential, and Azure reads the key first
        key = _text(headers, b"api-key").strip()
        if key:
            if config.api_key is not None and not same_secret(key, config.api_key):
                raise errors.azure_invalid_key()
            return key
        token = bearer_key(_text(headers, b"authorization"))
        if token:
            if config.api_key is not None and not same_secret(token, config.api_key):
                raise errors.azure_invalid_token()
            return token
        raise errors.azure_invalid_key()

    def check(
        self, path: str, headers: Headers, query: bytes, config: MockConfig
    ) -> None:
        if not QueryParams(query.decode("latin-1")).get("api-version"):
            raise errors.azure_resource_not_found()

    def unknown_url(self, method: str, path: str) -> APIError:
        return errors.azure_resource_not_found()


OPENAI = OpenAISurface("/v1")
AZURE = AzureSurface("/openai")
SURFACES: tuple[Surface, ...] = (OPENAI, AZURE)


def surface_of(path: str) -> Surface | None:
    """The door ``path`` goes through, or ``None`` for what is not the API (``/__mock__``)."""
    for surface in SURFACES:
        if surface.owns(path):
            return surface
    return None


def canonical_path(path: str) -> str:
    """An API path as OpenAI spells it: ``/openai/threads/x`` -> ``/v1/threads/x``."""
    surface = surface_of(path)
    if surface is None or surface is OPENAI:
        return path
    return OPENAI.prefix + surface.relative(path)


def _check_beta(value: str | None) -> None:
    if value == "assistants=v2":  # what the SDKs send: no list to split
        return
    if not value:
        raise errors.missing_beta_header()
    features = {part.strip() for part in value.split(",")}
    if "assistants=v2" not in features:
        if "assistants=v1" in features:
            raise errors.v1_beta_header()
        raise errors.missing_beta_header()
