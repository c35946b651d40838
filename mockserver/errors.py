"""One error type, its message templates, and the one place it is rendered.

Every failure the mock reports is an :class:`APIError`. The constructors below carry the
real API's wording (see the README's "Errors" section); :func:`error_body` is the only
function that builds the ``{"error": {...}}`` envelope, for HTTP responses and stream
``error`` events alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .credentials import OPERATOR_HEADER, OPERATOR_TOKEN_ENV, mask_key

INVALID_REQUEST = "invalid_request_error"


@dataclass
class APIError(Exception):
    status: int
    message: str
    type: str = INVALID_REQUEST
    param: str | None = None
    code: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.type, self.param, self.code)


@dataclass
class InvalidArgument(APIError, ValueError):
    """A control argument or setting refused (a clock advance, a run's transitions, a
    progression policy): one error for every face of the one check.

    Over HTTP it is the 400 its fields describe (``message`` in the API's words, naming the
    body's field). To a Python caller (the fixture's handle, ``create_app``, the CLI, the pytest
    plugin) it is the ``ValueError`` it also is, and ``str(error)`` is ``python_message``: the
    same refusal in the words of someone who passed an argument, not a body field.
    """

    python_message: str = ""

    def __post_init__(self) -> None:
        Exception.__init__(self, self.python_message or self.message)


def error_body(
    message: str, type: str = INVALID_REQUEST, param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    """The OpenAI error envelope; all four keys are always present."""
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


# -- Authentication and headers -------------------------------------------------------------


def missing_api_key() -> APIError:
    return APIError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization "
        "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password "
        "field (with blank username) if you're accessing the API from your browser and are "
        "prompted for a username and password. You can obtain an API key from "
        "https://platform.openai.com/account/api-keys.",
    )


def incorrect_api_key(key: str) -> APIError:
    return APIError(
        401,
        f"Incorrect API key provided: {mask_key(key)}. You can find your API key at "
        "https://platform.openai.com/account/api-keys.",
        code="invalid_api_key",
    )


def missing_beta_header() -> APIError:
    return APIError(
        400,
        "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try "
        "again by setting the header 'OpenAI-Beta: assistants=v2'.",
        code="invalid_beta",
    )


def v1_beta_header() -> APIError:
    return APIError(
        400,
        "The v1 Assistants API has been deprecated. Please try again by setting the header "
        "'OpenAI-Beta: assistants=v2'.",
        code="invalid_beta",
    )


def invalid_url(method: str, path: str) -> APIError:
    return APIError(404, f"Invalid URL ({method} {path})")


def method_not_allowed(method: str, path: str) -> APIError:
    return APIError(405, f"Invalid method for URL ({method} {path})")


# -- Azure OpenAI's gateway ------------------------------------------------------------------
# Azure answers these before its Assistants service sees the request, in its own envelopes
# (no ``type`` or ``param``). Observed in users' reports of the real service; see the README's
# "Azure OpenAI clients" section for how certain each one is.


@dataclass
class AzureGatewayError(APIError):
    """An error of Azure's front door: ``{"error": {"code": "401", "message": ...}}``, or, for
    a refused Entra ID token, the flat ``{"statusCode": 401, "message": ...}``."""

    flat: bool = False

    def body(self) -> dict[str, Any]:
        if self.flat:
            return {"statusCode": self.status, "message": self.message}
        return {"error": {"code": self.code, "message": self.message}}


def azure_invalid_key() -> APIError:
    return AzureGatewayError(
        401,
        "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
        "provide a valid key for an active subscription and use a correct regional API "
        "endpoint for your resource.",
        code="401",
    )


def azure_invalid_token() -> APIError:
    return AzureGatewayError(
        401,
        "Unauthorized. Access token is missing, invalid, audience is incorrect "
        "(https://cognitiveservices.azure.com), or have expired.",
        flat=True,
    )


def azure_resource_not_found() -> APIError:
    """A missing ``api-version``, or a path Azure does not serve."""
    return AzureGatewayError(404, "Resource not found", code="404")


# -- The control API (/__mock__) ------------------------------------------------------------


def control_credentials_missing() -> APIError:
    return APIError(
        401,
        "The control API needs a credential: your API key in an Authorization header "
        "(Authorization: Bearer YOUR_KEY) to act on your own sandbox, or the operator token in "
        f"an '{OPERATOR_HEADER}' header to act on any sandbox or on all of them.",
    )


def incorrect_operator_token() -> APIError:
    return APIError(
        401,
        "Incorrect operator token provided. Use the token the server was started with "
        f"(--operator-token, {OPERATOR_TOKEN_ENV}, or the file it named at start-up).",
        code="invalid_operator_token",
    )


def not_your_sandbox(named: str, own: str) -> APIError:
    """Said the same whether or not that sandbox exists: it tells nothing about it."""
    return APIError(
        403,
        f"Sandbox {mask_key(named)} is not yours: your API key names sandbox {mask_key(own)}. "
        f"Acting on another sandbox needs the operator token in an '{OPERATOR_HEADER}' header.",
        param="sandbox",
        code="sandbox_not_yours",
    )


def inspected_sandbox_not_yours(named: str, own: str) -> APIError:
    """The inspector's 403: sandboxes are named by handle (``sbx_…``), never by key; said the
    same whether or not the named one exists."""
    return APIError(
        403,
        f"Sandbox {_shortened(named)} is not yours: your API key names sandbox {own}. Inspecting "
        f"another sandbox needs the operator token in an '{OPERATOR_HEADER}' header.",
        param="sandbox",
        code="sandbox_not_yours",
    )


def invalid_status_filter(value: str) -> APIError:
    return APIError(
        400,
        f"Invalid 'status': {_shortened(value)!r}. Expected a status code such as 404, or a class "
        "such as 4xx.",
        param="status",
    )


def sandbox_not_named() -> APIError:
    return APIError(
        400,
        "Name a sandbox with ?sandbox=API_KEY or an 'Authorization: Bearer API_KEY' header.",
        param="sandbox",
    )


def control_body_not_object() -> APIError:
    return APIError(400, "The control API expects a JSON object.")


def invalid_clock_advance() -> InvalidArgument:
    return InvalidArgument(
        400,
        "'advance' must be a non-negative integer number of seconds.",
        param="advance",
        python_message="seconds must be a non-negative integer",
    )


def clock_advance_too_far(latest: int) -> InvalidArgument:
    """Timestamps past the year 9999 are no date any client can show (Python's datetime ends
    there) and, far enough on, no integer a JSON client reads exactly."""
    return InvalidArgument(
        400,
        f"'advance' would move the clock past {latest} (9999-12-31T23:59:59Z), the latest time "
        "the mock keeps.",
        param="advance",
        python_message=f"seconds would move the clock past {latest} (9999-12-31T23:59:59Z)",
    )


def invalid_transitions() -> InvalidArgument:
    return InvalidArgument(
        400,
        "'transitions' must be a positive integer.",
        param="transitions",
        python_message="transitions must be a positive integer",
    )


def unknown_progression(name: object, allowed: Sequence[str]) -> InvalidArgument:
    """Over HTTP the API's own ``Invalid value`` template; in Python the wording of the other
    option checks (the plugin's, the scenario format's)."""
    api = invalid_value("progression", name, allowed)
    return InvalidArgument(
        api.status,
        api.message,
        param=api.param,
        code=api.code,
        python_message=f"unknown progression {name!r}; valid values: {', '.join(allowed)}",
    )


def scenario_source_count() -> APIError:
    return APIError(
        400,
        "Give exactly one of 'name' (a built-in scenario), 'path' or 'scenario' (a document).",
        param="name",
    )


def scenario_not_a_document() -> APIError:
    return APIError(
        400, "'scenario' must be a JSON object (a scenario document).", param="scenario"
    )


def scenario_source_not_string(param: str) -> APIError:
    return APIError(400, f"'{param}' must be a string.", param=param)


def scenario_name_is_a_path() -> APIError:
    return APIError(
        400, "'name' is a built-in scenario's name; give a file as 'path'.", param="name"
    )


def invalid_scenario(message: str, param: str) -> APIError:
    """The loader's own message (for a file loaded over HTTP, one that quotes none of it)."""
    return APIError(400, message, param=param, code="invalid_scenario")


def scenario_path_not_allowed(folders_allowed: bool) -> APIError:
    """The same answer whether or not the file exists, so it tells nothing about the disk."""
    if folders_allowed:
        reason = (
            "Over HTTP, scenario files load only from the folders the server was started with "
            "(--scenario-dir); this path is outside them."
        )
    else:
        reason = (
            "Over HTTP, scenario files load only from folders the server was started with "
            "(--scenario-dir DIR), and it was started with none."
        )
    return APIError(
        403,
        f"{reason} Give the document inline as 'scenario', or a built-in scenario's 'name'.",
        param="path",
        code="scenario_path_not_allowed",
    )


# -- Bodies -----------------------------------------------------------------------------------


def malformed_json(detail: str) -> APIError:
    return APIError(
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you "
        "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but "
        f"what was sent was not valid JSON. {detail})",
    )


def json_too_deep(limit: int) -> APIError:
    """The real API's answer to over-deep JSON was never recorded: its parse-failure text, with
    the reason added."""
    return malformed_json(f"Arrays and objects may nest at most {limit} levels deep.")


def content_too_large(limit_bytes: int, size: int) -> APIError:
    """The real API's answer to a body over its limit, as observed on its audio endpoint (413,
    type ``server_error``); for the Assistants routes neither the text nor the limit was
    recorded. ``size`` is the declared length, or what was read before the limit was passed."""
    return APIError(
        413,
        f"Maximum content size limit ({limit_bytes}) exceeded ({size} bytes read)",
        type="server_error",
    )


def wrong_content_type(content_type: str, expected: str = "application/json") -> APIError:
    return APIError(
        400,
        f"Invalid Content-Type header ({content_type or 'none'}), expected "
        f"'{expected}' for this endpoint.",
    )


def body_not_an_object(got: str) -> APIError:
    """A JSON body that is valid JSON but not an object; ``got`` names what it is."""
    return APIError(400, f"Invalid body: expected a JSON object, but got {got} instead.")


def malformed_multipart(detail: str) -> APIError:
    return APIError(400, f"Could not parse the multipart form data: {detail}")


# -- Objects ----------------------------------------------------------------------------------


def not_found(kind: str, object_id: str) -> APIError:
    """``No assistant found with id 'asst_x'.``; ``kind`` is the API's word for the object."""
    return APIError(404, f"No {kind} found with id '{object_id}'.")


def invalid_id(param: str, value: str, prefix: str) -> APIError:
    return APIError(
        400,
        f"Invalid '{param}': '{value}'. Expected an ID that begins with '{prefix}'.",
        param=param,
        code="invalid_value",
    )


def invalid_cursor(param: str, value: str) -> APIError:
    return APIError(
        400,
        f"Invalid '{param}': '{value}'. Expected the id of an object in this list.",
        param=param,
        code="invalid_value",
    )


# -- Validation templates (the real API's generic generator) ---------------------------------


def unknown_parameter(path: str) -> APIError:
    return APIError(400, f"Unknown parameter: '{path}'.", param=path, code="unknown_parameter")


def missing_parameter(path: str) -> APIError:
    return APIError(
        400,
        f"Missing required parameter: '{path}'.",
        param=path,
        code="missing_required_parameter",
    )


def invalid_type(path: str, expected: str, got: str) -> APIError:
    return APIError(
        400,
        f"Invalid type for '{path}': expected {expected}, but got {got} instead.",
        param=path,
        code="invalid_type",
    )


def invalid_value(path: str, value: Any, allowed: Sequence[str]) -> APIError:
    return APIError(
        400,
        f"Invalid value: '{value}'. Supported values are: {_quoted_list(allowed)}.",
        param=path,
        code="invalid_value",
    )


def string_too_long(path: str, maximum: int, length: int) -> APIError:
    return APIError(
        400,
        f"Invalid '{path}': string too long. Expected a string with maximum length {maximum}, "
        f"but got a string with length {length} instead.",
        param=path,
        code="string_above_max_length",
    )


def string_too_short(path: str, minimum: int, length: int) -> APIError:
    if length == 0:
        return APIError(
            400,
            f"Invalid '{path}': empty string. Expected a string with minimum length "
            f"{minimum}, but got an empty string instead.",
            param=path,
            code="empty_string",
        )
    return APIError(
        400,
        f"Invalid '{path}': string too short. Expected a string with minimum length "
        f"{minimum}, but got a string with length {length} instead.",
        param=path,
        code="string_below_min_length",
    )


def pattern_mismatch(path: str, pattern: str) -> APIError:
    return APIError(
        400,
        f"Invalid '{path}': string does not match pattern. Expected a string that matches the "
        f"pattern '{pattern}'.",
        param=path,
        code="invalid_value",
    )


def array_too_long(path: str, maximum: int, length: int) -> APIError:
    return APIError(
        400,
        f"Invalid '{path}': array too long. Expected an array with maximum length {maximum}, "
        f"but got an array with length {length} instead.",
        param=path,
        code="array_above_max_length",
    )


def array_too_short(path: str, minimum: int, length: int) -> APIError:
    if length == 0:
        return APIError(
            400,
            f"Invalid '{path}': empty array. Expected an array with minimum length {minimum}, "
            "but got an empty array instead.",
            param=path,
            code="empty_array",
        )
    return APIError(
        400,
        f"Invalid '{path}': array too short. Expected an array with minimum length {minimum}, "
        f"but got an array with length {length} instead.",
        param=path,
        code="array_below_min_length",
    )


def number_out_of_range(path: str, kind: str, above: bool, bound: float, value: Any) -> APIError:
    """``kind`` is ``integer`` or ``decimal``, as in the real codes."""
    side, op = ("above maximum", "<=") if above else ("below minimum", ">=")
    return APIError(
        400,
        f"Invalid '{path}': {kind} {side} value. Expected a value {op} {_num(bound)}, but got "
        f"{value} instead.",
        param=path,
        code=f"{kind}_{'above_max' if above else 'below_min'}_value",
    )


def too_many_properties(path: str, maximum: int, count: int) -> APIError:
    return APIError(
        400,
        f"Invalid '{path}': too many properties. Expected an object with at most {maximum} "
        f"properties, but got an object with {count} properties instead.",
        param=path,
        code="object_above_max_properties",
    )


def property_name_too_long(path: str, name: str, maximum: int) -> APIError:
    return APIError(
        400,
        f"Invalid property name in '{path}': '{name}' is too long. Expected a string with "
        f"maximum length {maximum}, but got a string with length {len(name)} instead.",
        param=f"{path}.{name}",
        code="property_name_above_max_length",
    )


def only_one_of(names: Sequence[str], path: str, param: str) -> APIError:
    """Two of a set of mutually exclusive fields were given (``vector_store_ids`` and
    ``vector_stores``, a batch's ``file_ids`` and ``files``)."""
    return APIError(
        400,
        f"Only one of {', '.join(repr(n) for n in names)} may be provided"
        + (f" in '{path}'." if path else "."),
        param=param,
    )


def unsupported_parameter(name: str, param: str | None = None) -> APIError:
    return APIError(
        400,
        f"Unsupported parameter: '{name}' is not supported with this model.",
        param=param or name,
        code="unsupported_parameter",
    )


def internal_error() -> APIError:
    return APIError(
        500,
        "The server had an error while processing your request. Sorry about that!",
        type="server_error",
    )


def http_error(status: int, detail: str) -> APIError:
    """Any other HTTP error the framework raises (not 404 or 405), with its own detail."""
    return APIError(status, detail)


def _quoted_list(values: Sequence[str]) -> str:
    quoted = [f"'{v}'" for v in values]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]


def _shortened(value: str, limit: int = 40) -> str:
    """A value from the outside as a message quotes it: a huge one is not echoed whole."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


# -- JSON Schemas in requests (function parameters, response_format) --------------------------
# The real wording is only partly known (see the README's list of unconfirmed texts): the
# "Invalid schema for function '…': …" form and its code were seen in real answers, the
# "In context=(…)" part and the response_format variant are the mock's best reconstruction.


def invalid_function_schema(function: str, param: str, context: tuple[Any, ...], detail: str) -> APIError:
    return APIError(
        400,
        f"Invalid schema for function '{function}': In context={context!r}, {detail}.",
        param=param,
        code="invalid_function_parameters",
    )


def invalid_response_format_schema(name: str, context: tuple[Any, ...], detail: str) -> APIError:
    return APIError(
        400,
        f"Invalid schema for response_format '{name}': In context={context!r}, {detail}.",
        param="response_format",
    )


# -- Runs and the thread lock ------------------------------------------------------------------


def thread_has_active_run(thread_id: str, run_id: str) -> APIError:
    return APIError(400, f"Thread {thread_id} already has an active run {run_id}.")


def thread_locked_for_messages(thread_id: str, run_id: str) -> APIError:
    return APIError(400, f"Can't add messages to {thread_id} while a run {run_id} is active.")


def tool_choice_not_a_run_tool(kind: str, name: str) -> APIError:
    """``kind`` is ``function`` (``name`` its name) or ``tool`` (``name`` its type)."""
    return APIError(
        400,
        f"Invalid value for 'tool_choice': {kind} '{name}' is not one of the run's tools.",
        param="tool_choice",
        code="invalid_value",
    )


def run_not_cancellable(status: str) -> APIError:
    return APIError(400, f"Cannot cancel run with status '{status}'.")


def run_takes_no_tool_outputs(status: str) -> APIError:
    return APIError(400, f'Runs in status "{status}" do not accept tool outputs.')


def tool_outputs_mismatch(expected: list[str], got: list[Any]) -> APIError:
    return APIError(400, f"Expected tool outputs for call_ids {expected!r}, got {got!r}")


# A failed run's (and its open steps') ``last_error``: not HTTP errors.


def run_failed() -> dict[str, str]:
    """What the real API said of a run that failed on its side."""
    return {"code": "server_error", "message": "Sorry, something went wrong."}


def run_store_expired(store_id: str) -> dict[str, str]:
    """A run whose file_search would search an expired vector store."""
    return {"code": "server_error", "message": vector_store_expired(store_id).message}


def response_container_unavailable(problem: APIError) -> dict[str, str]:
    """A response whose code interpreter container was deleted or expired before its work
    began: it fails as a run on an expired store does, the container's refusal as its
    message."""
    return {"code": "server_error", "message": problem.message}


# -- Files, uploads and vector stores ---------------------------------------------------------


def file_too_large(limit_bytes: int) -> APIError:
    """The observed text is ``File is too large.``; the limit is added so the fix is obvious."""
    return APIError(
        400,
        f"File is too large. The maximum size of a file is {_size(limit_bytes)}.",
        param="file",
    )


def form_fields_too_large(limit_bytes: int) -> APIError:
    """Not observed: the real API's limit on a form's non-file parts is unknown."""
    return APIError(
        400,
        f"The form fields and part headers of this request exceed {_size(limit_bytes)}.",
    )


def unsupported_retrieval_files(extensions: Sequence[str]) -> APIError:
    return APIError(
        400,
        f"Files with extensions [{', '.join(extensions)}] are not supported for retrieval. See "
        "https://platform.openai.com/docs/assistants/tools/file-search/supported-files",
        param="file_ids",
        code="unsupported_file",
    )


def upload_not_pending(upload_id: str, status: str) -> APIError:
    return APIError(400, f"Upload {upload_id} is already {status}.", param="upload_id")


def upload_size_mismatch(declared: int, actual: int) -> APIError:
    return APIError(
        400,
        f"The number of bytes uploaded ({actual}) does not match the number of bytes declared "
        f"at creation ({declared}).",
        param="part_ids",
    )


def unknown_upload_part(index: int, part_id: str, upload_id: str) -> APIError:
    return APIError(
        400,
        f"Invalid 'part_ids[{index}]': no part '{part_id}' was added to upload {upload_id}.",
        param=f"part_ids[{index}]",
        code="invalid_value",
    )


def chunk_overlap_too_large(overlap: int, maximum: int) -> APIError:
    return APIError(
        400,
        f"Invalid 'chunking_strategy.static.chunk_overlap_tokens': {overlap}. The overlap must "
        f"not exceed half of max_chunk_size_tokens ({maximum // 2}).",
        param="chunking_strategy.static.chunk_overlap_tokens",
        code="invalid_value",
    )


def batch_not_cancellable(batch_id: str, status: str) -> APIError:
    return APIError(400, f"Cannot cancel file batch {batch_id} with status '{status}'.")


def vector_store_expired(store_id: str) -> APIError:
    return APIError(400, f"Vector store '{store_id}' has expired.", param="vector_store_id")


def _size(n: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= factor and n % factor == 0:
            return f"{n // factor} {unit}"
    return f"{n} bytes"


# -- A vector store file's last_error (ingestion) -----------------------------------------------
# Not HTTP errors: the ``{"code", "message"}`` a file that failed ingestion carries. The first
# two are the real API's (observed, wire-format §3.9); the others name what went wrong.


def file_not_supported() -> dict[str, str]:
    """A retrievable extension whose content cannot be read (binary, corrupt, encrypted)."""
    return {"code": "unsupported_file", "message": "The file type is not supported."}


def file_too_large_to_parse() -> dict[str, str]:
    return {
        "code": "invalid_file",
        "message": "The file could not be parsed because it is too large.",
    }


def file_deleted_during_ingestion() -> dict[str, str]:
    return {"code": "server_error", "message": "The file was deleted during ingestion."}


def ingestion_failed() -> dict[str, str]:
    """An injected failure (scenario ``ingestion.fail``) that names no message."""
    return {
        "code": "server_error",
        "message": "An internal error occurred while processing the file.",
    }


# -- Conversations and containers (the Responses API's generation) ---------------------------
# These APIs word a missing object as "<Kind> with id '<id>' not found." (observed for
# conversations: ``conversation_not_found``); the conversation item, container and
# container-file texts follow that pattern unobserved (marked uncertain in the README's
# "Conversations" and "Containers" sections).


def _not_found_text(kind: str, object_id: str) -> str:
    """The Responses generation's wording of a missing object (the Assistants API's is
    :func:`not_found`'s): ``Container with id 'cntr_x' not found.``"""
    return f"{kind} with id '{object_id}' not found."


def conversation_item_not_found(item_id: str) -> APIError:
    return APIError(404, _not_found_text("Item", item_id))


def container_not_found(container_id: str) -> APIError:
    return APIError(404, _not_found_text("Container", container_id))


def container_file_not_found(file_id: str) -> APIError:
    return APIError(404, _not_found_text("Container file", file_id))


def container_expired(container_id: str) -> APIError:
    return APIError(400, f"Container with id '{container_id}' is expired.", param="container_id")


# -- Injected failures (scenarios) --------------------------------------------------------------


def rate_limit_exceeded() -> APIError:
    """The 429 body the real API sent on a request-rate limit."""
    return APIError(
        429,
        "Rate limit reached for requests. Limit 60, Used 60, Requested 1. Please try again in 1s.",
        type="requests",
        code="rate_limit_exceeded",
    )


def server_overloaded() -> APIError:
    return APIError(503, "The server is overloaded or not ready yet.", type="server_error")


def injected(status: int) -> APIError:
    """The default body of a scenario's injected error with no real template of its own."""
    if status == 429:
        return rate_limit_exceeded()
    if status == 500:
        return internal_error()
    if status == 503:
        return server_overloaded()
    kind = "server_error" if status >= 500 else INVALID_REQUEST
    return APIError(status, f"Injected error (HTTP {status}) from a mock scenario.", type=kind)


# -- Responses API (reference: the Responses dossier §3; the README marks the uncertain ones) --


def response_not_found(response_id: str) -> APIError:
    """GET/DELETE/cancel/input_items of an unknown, deleted or ``store: false`` response."""
    return APIError(404, _not_found_text("Response", response_id))


def previous_response_not_found(response_id: str) -> APIError:
    return APIError(
        400,
        _not_found_text("Previous response", response_id),
        param="previous_response_id",
        code="previous_response_not_found",
    )


def conversation_not_found(conversation_id: str) -> APIError:
    return APIError(404, _not_found_text("Conversation", conversation_id))


def prompt_not_found(prompt_id: str) -> APIError:
    return APIError(404, _not_found_text("Prompt", prompt_id))


def item_not_found(item_id: str) -> APIError:
    """An ``item_reference`` (or a replayed item) naming nothing stored; uncertain ``param``."""
    return APIError(
        404,
        _not_found_text("Item", item_id) + " Items are not persisted when `store` is set to false.",
    )


def previous_and_conversation() -> APIError:
    """Observed twice, with the server's own abbreviation of the first name."""
    return APIError(
        400,
        "Mutually exclusive parameters: ''. Ensure you are only providing one of: "
        "'pre..._id' or 'conversation'.",
        code="mutually_exclusive_parameters",
    )


def no_input() -> APIError:
    return APIError(
        400,
        "One of \"input\" or \"previous_response_id\" or 'prompt' or 'conversation' must be "
        "provided.",
        code="missing_required_parameter",
    )


def unknown_parameter_suggesting(path: str, suggestion: str) -> APIError:
    return APIError(
        400,
        f"Unknown parameter: '{path}'. Did you mean '{suggestion}'?",
        param=path,
        code="unknown_parameter",
    )


def messages_moved_to_input() -> APIError:
    return APIError(
        400,
        "Unsupported parameter: 'messages'. In the Responses API, this parameter has moved to "
        "'input'. Try again with the new parameter. See the API documentation for more "
        "information: https://platform.openai.com/docs/api-reference/responses/create.",
        code="unsupported_parameter",
    )


def sampling_unsupported(name: str) -> APIError:
    """``temperature``, ``top_p`` or a penalty on a reasoning model: on Responses the code
    is null."""
    return APIError(
        400, f"Unsupported parameter: '{name}' is not supported with this model.", param=name
    )


def logprobs_on_reasoning_model(param: str) -> APIError:
    return APIError(
        400,
        "logprobs are not supported with reasoning models.",
        param=param,
        code="unsupported_parameter",
    )


def tool_choice_not_in_tools(name: str) -> APIError:
    """Observed for a built-in tool; the function form uses the same pattern (uncertain)."""
    return APIError(
        400, f"Tool choice '{name}' not found in 'tools' parameter.", param="tool_choice"
    )


def no_tool_call(call_id: str) -> APIError:
    """A ``function_call_output`` that answers no function call of the context (observed in
    users' reports of the real API, not in the reference)."""
    return APIError(
        400, f"No tool call found for function call output with call_id {call_id}.", param="input"
    )


def duplicate_item(item_id: str, param: str) -> APIError:
    """Two items of a context under one id (an input's, or one the context already holds);
    observed in users' reports of the real API (param ``input``), not in the reference."""
    return APIError(
        400,
        f"Duplicate item found with id {item_id}. Remove duplicate items from your input and "
        "try again.",
        param=param,
    )


def id_with_other_characters(param: str, value: str) -> APIError:
    """An id with characters no id has (observed for ``previous_response_id``; the code is
    not recorded)."""
    return APIError(
        400,
        f"Invalid '{param}': '{value}'. Expected an ID that contains letters, numbers, "
        "underscores, or dashes, but this value contained additional characters.",
        param=param,
        code="invalid_value",
    )


def no_tool_output(call_id: str) -> APIError:
    """A turn after function calls that does not answer one of them (uncertain param/code)."""
    return APIError(400, f"No tool output found for function call {call_id}.", param="input")


def response_not_cancellable() -> APIError:
    """Cancelling a response that was not created with ``background: true`` (uncertain text:
    the one clones use)."""
    return APIError(400, "Only responses created with background=true can be cancelled.")


def background_needs_store() -> APIError:
    """``background: true`` with ``store: false`` (uncertain: not observed at OpenAI)."""
    return APIError(
        400,
        "Background mode requires the response to be stored: 'store' cannot be false when "
        "'background' is true.",
        param="store",
    )


def stream_of_foreground_response() -> APIError:
    """``GET /responses/{id}?stream=true`` of a response not created in the background
    (uncertain text)."""
    return APIError(
        400, "Only responses created with background=true can be streamed.", param="stream"
    )


def model_not_found(model: str) -> APIError:
    return APIError(
        400, f"The requested model '{model}' does not exist.", param="model", code="model_not_found"
    )
