"""Generated arguments and structured outputs validate under the ``jsonschema`` library, for
a corpus of tool schemas shaped as frameworks send them (pydantic v2 ``model_json_schema()``,
LangChain ``convert_to_openai_tool``, Semantic Kernel, llama-index ``FunctionTool``) and for
Hypothesis-generated schemas; through the strict Python SDK."""

from __future__ import annotations

import datetime
import enum
import json
from typing import Annotated, Literal

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field

# -- pydantic v2 models (as llama-index, marvin, instructor and LangChain derive tools) -------


class Unit(str, enum.Enum):
    celsius = "celsius"
    fahrenheit = "fahrenheit"


class Weather(BaseModel):
    """Get the current weather in a given location."""

    location: str = Field(description="The city and state, e.g. San Francisco, CA")
    unit: Unit = Unit.celsius


class Address(BaseModel):
    street: str
    city: str
    zip_code: str = Field(pattern=r"^\d{5}(-\d{4})?$")
    country: str = Field(default="US", min_length=2, max_length=2)


class Customer(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    email: str = Field(json_schema_extra={"format": "email"})
    age: int = Field(ge=18, le=120)
    addresses: list[Address] = Field(min_length=1, max_length=3)
    vip: bool = False
    nickname: str | None = None


class TreeNode(BaseModel):
    label: str
    children: list[TreeNode] = []


class LinkedItem(BaseModel):
    value: int
    next: LinkedItem | None = None


class Cat(BaseModel):
    pet_type: Literal["cat"]
    meows: int = Field(gt=0)


class Dog(BaseModel):
    pet_type: Literal["dog"]
    barks: float = Field(ge=0, lt=10)


class Owner(BaseModel):
    pet: Annotated[Cat | Dog, Field(discriminator="pet_type")]
    second: Cat | Dog | None = None


class Order(BaseModel):
    order_id: str = Field(pattern=r"^ORD-[0-9]{6}$")
    quantity: int = Field(multiple_of=5, ge=5, le=100)
    discount: float = Field(ge=0, le=0.5, multiple_of=0.05)
    tags: set[str] = Field(default_factory=set, max_length=4)
    placed_at: datetime.datetime
    ship_on: datetime.date


class Matrix(BaseModel):
    rows: list[list[float]] = Field(min_length=2, max_length=2)
    labels: tuple[str, int, bool]


class Strict(BaseModel):
    model_config = {"extra": "forbid"}
    query: str
    limit: int = Field(default=10, gt=0, le=50)
    filters: dict[str, str] = {}


class Event(BaseModel):
    title: str = Field(max_length=20)
    attendees: list[str] = Field(
        min_length=2, max_length=5, json_schema_extra={"uniqueItems": True}
    )
    priority: Literal[1, 2, 3] = 2
    location: str | None = Field(default=None, description="where it happens")


class Search(BaseModel):
    """Search the knowledge base."""

    query: str = Field(description="what to look for")
    top_k: int | None = Field(default=None, ge=1, le=20)
    include_archived: bool | None = None


class Multiply(BaseModel):  # llama-index FunctionTool.from_defaults(fn=multiply)
    a: int
    b: int


class Reminder(BaseModel):
    text: str = Field(min_length=3)
    at: datetime.datetime
    repeat: Literal["never", "daily", "weekly"] = "never"
    contacts: list[Customer] = []


class Inventory(BaseModel):
    items: dict[str, int] = Field(min_length=1)
    owner: Customer | None = None
    code: str = Field(pattern=r"^[A-Z]{3}-\d{2,4}$")


class Payment(BaseModel):
    amount: float = Field(gt=0)
    currency: Literal["USD", "EUR", "GBP"]
    card_last4: str = Field(pattern=r"^\d{4}$")
    metadata: dict[str, str | int] | None = None


PYDANTIC = [
    Weather,
    Address,
    Customer,
    TreeNode,
    LinkedItem,
    Owner,
    Order,
    Matrix,
    Strict,
    Event,
    Search,
    Multiply,
    Reminder,
    Inventory,
    Payment,
]


def from_model(model: type[BaseModel]) -> dict:
    return {
        "name": model.__name__.lower(),
        "description": (model.__doc__ or "").strip() or None,
        "parameters": model.model_json_schema(),
    }


# -- dict shapes as other frameworks send them -------------------------------------------------

# LangChain convert_to_openai_tool(@tool def ...): no titles, "description" at the top
LANGCHAIN = [
    {
        "name": "get_stock_price",
        "description": "Get the stock price of a ticker.",
        "parameters": {
            "type": "object",
            "properties": {"ticker": {"type": "string"}, "days": {"default": 1, "type": "integer"}},
            "required": ["ticker"],
        },
    },
    {
        "name": "tavily_search",
        "description": "A search engine.",
        "parameters": {
            "type": "object",
            "properties": {"query": {"description": "search query to look up", "type": "string"}},
            "required": ["query"],
        },
    },
    {
        "name": "add",
        "description": "Adds a and b.",
        "parameters": {
            "type": "object",
            "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
            "required": ["a", "b"],
        },
    },
    {
        "name": "sql_db_query",
        "description": "Execute a SQL query.",
        "parameters": {
            "type": "object",
            "properties": {"query": {"type": "string", "description": "A detailed SQL query."}},
            "required": ["query"],
            "additionalProperties": False,
        },
    },
    {
        "name": "python_repl",
        "description": "A Python shell.",
        "parameters": {
            "type": "object",
            "properties": {"__arg1": {"title": "__arg1", "type": "string"}},
            "required": ["__arg1"],
        },
    },
    {
        "name": "plot",
        "description": "Plot values.",
        "parameters": {
            "type": "object",
            "properties": {
                "values": {"type": "array", "items": {"type": "number"}, "minItems": 3},
                "kind": {"enum": ["bar", "line"], "type": "string"},
            },
            "required": ["values", "kind"],
        },
    },
]

# Semantic Kernel: "<Plugin>-<function>" names, every parameter described, required listed
SEMANTIC_KERNEL = [
    {
        "name": "MenuPlugin-get_specials",
        "description": "Provides a list of specials from the menu.",
        "parameters": {"type": "object", "properties": {}, "required": []},
    },
    {
        "name": "MenuPlugin-get_item_price",
        "description": "Provides the price of the requested menu item.",
        "parameters": {
            "type": "object",
            "properties": {
                "menu_item": {"type": "string", "description": "The name of the menu item."}
            },
            "required": ["menu_item"],
        },
    },
    {
        "name": "LightsPlugin-change_state",
        "description": "Changes the state of the light.",
        "parameters": {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "description": "The ID of the light to change."},
                "is_on": {"type": "boolean", "description": "Whether to turn the light on or off."},
            },
            "required": ["id", "is_on"],
        },
    },
    {
        "name": "TimePlugin-date_matching_last_day_name",
        "description": "Date of the last day matching the name.",
        "parameters": {
            "type": "object",
            "properties": {"input": {"type": "string", "description": "The day name to match"}},
            "required": ["input"],
        },
    },
]

# strict function calling (structured outputs): every property required, nullable via type lists
STRICT = [
    {
        "name": "get_delivery_date",
        "strict": True,
        "parameters": {
            "type": "object",
            "additionalProperties": False,
            "required": ["order_id", "express"],
            "properties": {
                "order_id": {"type": "string"},
                "express": {"type": ["boolean", "null"]},
            },
        },
    },
    {
        "name": "query_table",
        "strict": True,
        "parameters": {
            "type": "object",
            "additionalProperties": False,
            "required": ["table", "columns", "conditions"],
            "properties": {
                "table": {"type": "string", "enum": ["users", "orders"]},
                "columns": {"type": "array", "items": {"type": "string"}},
                "conditions": {"type": "array", "items": {"$ref": "#/$defs/condition"}},
            },
            "$defs": {
                "condition": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["column", "operator", "value"],
                    "properties": {
                        "column": {"type": "string"},
                        "operator": {"type": "string", "enum": ["=", ">", "<"]},
                        "value": {"anyOf": [{"type": "string"}, {"type": "number"}]},
                    },
                }
            },
        },
    },
]

# older generators: draft-07 "definitions" and allOf-wrapped references (pydantic v1 style)
LEGACY = [
    {
        "name": "create_user",
        "parameters": {
            "title": "User",
            "type": "object",
            "required": ["name", "role"],
            "properties": {
                "name": {"title": "Name", "type": "string"},
                "role": {"$ref": "#/definitions/Role"},
                "manager": {"title": "Manager", "allOf": [{"$ref": "#/definitions/Ref"}]},
            },
            "definitions": {
                "Role": {"title": "Role", "enum": ["admin", "user"], "type": "string"},
                "Ref": {
                    "title": "Ref",
                    "type": "object",
                    "properties": {"id": {"type": "integer", "exclusiveMinimum": 0}},
                    "required": ["id"],
                },
            },
        },
    },
    {
        "name": "set_range",
        "parameters": {
            "type": "object",
            "required": ["low", "high", "step"],
            "properties": {
                "low": {"type": "number", "exclusiveMinimum": -1, "exclusiveMaximum": 1},
                "high": {"type": "integer", "minimum": 10, "maximum": 10},
                "step": {"type": "number", "multipleOf": 0.25, "minimum": 0.5, "maximum": 2},
            },
        },
    },
    {
        "name": "tag_things",
        "parameters": {
            "type": "object",
            "required": ["tags", "ids"],
            "minProperties": 3,
            "properties": {
                "tags": {
                    "type": "array",
                    "uniqueItems": True,
                    "minItems": 3,
                    "items": {"type": "string", "minLength": 2},
                },
                "ids": {
                    "type": "array",
                    "uniqueItems": True,
                    "minItems": 4,
                    "maxItems": 4,
                    "items": {"type": "integer", "minimum": 1, "maximum": 6},
                },
            },
            "additionalProperties": {"type": "string", "format": "uuid"},
        },
    },
    {
        "name": "contact",
        "parameters": {
            "type": "object",
            "required": ["email", "site", "phone", "ip", "when"],
            "properties": {
                "email": {"type": "string", "format": "email"},
                "site": {"type": "string", "format": "uri"},
                "phone": {"type": "string", "pattern": "^\\+?[0-9 ()-]{7,20}$"},
                "ip": {"type": "string", "format": "ipv4"},
                "when": {"type": "string", "format": "date-time"},
            },
        },
    },
]

CORPUS = [from_model(m) for m in PYDANTIC] + LANGCHAIN + SEMANTIC_KERNEL + STRICT + LEGACY


def check(value, schema) -> None:
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    cls(schema, format_checker=cls.FORMAT_CHECKER).validate(value)


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 30


def _tool(spec: dict) -> dict:
    return {"type": "function", "function": {k: v for k, v in spec.items() if v is not None}}


def test_arguments_for_the_corpus_validate(client):
    by_name = {spec["name"]: spec for spec in CORPUS}
    for start in range(0, len(CORPUS), 20):  # a run takes at most 20 tools
        group = CORPUS[start : start + 20]
        assistant = client.beta.assistants.create(model="gpt-4o", tools=[_tool(s) for s in group])
        # the message names every function (and holds values some of them take)
        text = " ".join(s["name"] for s in group) + ' for "Ada Lovelace" ada@example.com 42 Paris'
        run = client.beta.threads.create_and_run_poll(
            assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": text}]}
        )
        assert run.status == "requires_action", run.last_error
        made = run.required_action.submit_tool_outputs.tool_calls
        assert sorted(c.function.name for c in made) == sorted(s["name"] for s in group)
        for call in made:
            check(json.loads(call.function.arguments), by_name[call.function.name]["parameters"])


def test_structured_outputs_for_the_corpus_validate(client):
    thread_text = "Answer for Ada Lovelace in Paris, 3 items"
    for spec in CORPUS[:12] + STRICT:
        assistant = client.beta.assistants.create(
            model="gpt-4o",
            response_format={
                "type": "json_schema",
                "json_schema": {
                    "name": spec["name"].replace("-", "_"),
                    "schema": spec["parameters"],
                },
            },
        )
        run = client.beta.threads.create_and_run_poll(
            assistant_id=assistant.id,
            thread={"messages": [{"role": "user", "content": thread_text}]},
        )
        assert run.status == "completed", run.last_error
        reply = client.beta.threads.messages.list(run.thread_id).data[0].content[0].text.value
        check(json.loads(reply), spec["parameters"])


# -- Hypothesis-generated schemas -------------------------------------------------------------

_FORMATS = st.sampled_from([None, "email", "date", "date-time", "uuid", "ipv4", "uri"])
_PATTERNS = st.sampled_from(
    ["^[a-z]{3,8}$", "^[A-Z]{2}-\\d{3}$", "\\d+", "^(yes|no)$", "^[a-f0-9]{8}$"]
)


@st.composite
def _string(draw):
    schema: dict = {"type": "string"}
    choice = draw(st.sampled_from(["plain", "format", "pattern", "lengths", "enum"]))
    if choice == "format":
        schema["format"] = draw(_FORMATS.filter(bool))
    elif choice == "pattern":
        schema["pattern"] = draw(_PATTERNS)
    elif choice == "lengths":
        low = draw(st.integers(0, 30))
        schema.update(minLength=low, maxLength=low + draw(st.integers(0, 40)))
    elif choice == "enum":
        schema["enum"] = draw(
            st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=4, unique=True)
        )
    return schema


@st.composite
def _numeric(draw):
    kind = draw(st.sampled_from(["integer", "number"]))
    schema: dict = {"type": kind}
    low = draw(st.one_of(st.none(), st.integers(-1000, 1000)))
    width = draw(st.integers(2, 500))
    if low is not None:
        schema[draw(st.sampled_from(["minimum", "exclusiveMinimum"]))] = low
    if draw(st.booleans()):
        high = (low if low is not None else 0) + width
        schema[draw(st.sampled_from(["maximum", "exclusiveMaximum"]))] = high
    if draw(st.booleans()):
        schema["multipleOf"] = draw(
            st.sampled_from([1, 2, 5, 0.5, 0.25] if kind == "number" else [1, 2, 5])
        )
    return schema


_LEAVES = st.one_of(
    _string(),
    _numeric(),
    st.just({"type": "boolean"}),
    st.just({"type": "null"}),
    st.builds(lambda v: {"const": v}, st.one_of(st.integers(), st.text(max_size=5), st.booleans())),
)


def _containers(children):
    names = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)

    @st.composite
    def obj(draw):
        properties = draw(st.dictionaries(names, children, max_size=5))
        required = [k for k in properties if draw(st.booleans())]
        schema = {"type": "object", "properties": properties, "required": required}
        if draw(st.booleans()):
            schema["additionalProperties"] = False
        return schema

    @st.composite
    def arr(draw):
        items = draw(children)
        low = draw(st.integers(0, 4))
        schema = {
            "type": "array",
            "items": items,
            "minItems": low,
            "maxItems": low + draw(st.integers(0, 4)),
        }
        return schema

    nullable = st.builds(lambda s: {"anyOf": [s, {"type": "null"}]}, children)
    return st.one_of(obj(), arr(), nullable)


SCHEMAS = st.recursive(_LEAVES, _containers, max_leaves=12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    schema=SCHEMAS,
    text=st.sampled_from(
        [
            "call f",
            "call f with 12 and 'blue' for Ada at ada@example.com",
            "call f on 2026-02-03, numbers 1 2 3",
        ]
    ),
)
def test_arguments_and_structured_outputs_for_generated_schemas_validate(client, schema, text):
    parameters = {"type": "object", "properties": {"x": schema}, "required": ["x"]}
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "function", "function": {"name": "f", "parameters": parameters}}],
        response_format={"type": "json_schema", "json_schema": {"name": "out", "schema": schema}},
    )
    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": text}]}
    )
    assert run.status == "requires_action", run.last_error
    [call] = run.required_action.submit_tool_outputs.tool_calls
    check(json.loads(call.function.arguments), parameters)
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=run.thread_id,
        run_id=run.id,
        tool_outputs=[{"tool_call_id": call.id, "output": "ok"}],
    )
    assert run.status == "completed", run.last_error
    check(
        json.loads(client.beta.threads.messages.list(run.thread_id).data[0].content[0].text.value),
        schema,
    )
