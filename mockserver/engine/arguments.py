"""Function-call arguments and structured outputs: a value of the user's JSON schema.

Values the last user message contains fill the parameters they fit (see
:mod:`.message_values` and the README's "The default assistant"); only what the message lacks
is generated, by a Faker seeded per run and function (the same seed gives the same values).
Schemas are taken as frameworks send them: ``$ref`` into ``$defs``/``definitions`` (cycles
included), ``allOf``, ``anyOf``/``oneOf`` (with ``null``), ``required``, ``additionalProperties``,
string lengths, ``pattern`` and ``format``, numeric bounds (exclusive ones too), ``multipleOf``,
``minItems``/``maxItems``, ``uniqueItems``, ``prefixItems``, ``contains``. Every result is
checked with the ``jsonschema`` library before it is used.

Work is bounded by the caps below: a schema that cannot be satisfied within them (or at all)
raises :class:`CannotGenerate`, and the runner fails the run as the real API failed one
(``server_error``), releasing the thread.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import functools
import json
import math
import re
import threading
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import jsonschema
import referencing.exceptions
import rstr
from faker import Faker

from .matching import name_words, singular
from .message_values import Values, cue_words, find_values

#: the caps (documented in the README): the longest array the mock makes...
MAX_ITEMS = 100
#: ...the longest string...
MAX_STRING = 4096
#: ...all strings of one value together...
MAX_CHARS = 65_536
#: ...the number of values (nodes) in one set of arguments...
MAX_NODES = 5_000
#: ...the properties added to reach ``minProperties``...
MAX_EXTRA_PROPERTIES = 100
#: ...how deep values nest...
MAX_DEPTH = 48
#: ...how many ``$ref`` a path follows before taking the shortest way out of a cycle...
MAX_REF_DEPTH = 6
#: ...how many ``$ref`` one schema may chain (each pointing at the next) before it is read...
MAX_REF_CHAIN = 1_000
#: ...and how many options merging ``anyOf``/``oneOf`` lists (``allOf`` parts, ``$ref``
#: siblings) may pair: each part multiplies them, so ten parts of three options were 59,049
#: merges, seconds of work for every run.
MAX_OPTIONS = 256

_NOTHING = object()

#: one Faker per thread, reseeded at every use: building one costs about 5 ms (26 providers
#: added by reflection), four fifths of making a set of arguments. Nothing carries over
#: between uses (``seed_instance`` resets its random state), so two apps never see each other.
_FAKERS = threading.local()

#: property-name words -> how Faker makes a plausible value (first match wins)
_BY_NAME: tuple[tuple[frozenset[str], str], ...] = tuple(
    (frozenset(words.split()), method)
    for words, method in (
        ("email mail", "email"),
        ("url uri link website homepage href", "url"),
        ("city town", "city"),
        ("country", "country"),
        ("state region province", "state"),
        ("address street", "street_address"),
        ("zip zipcode postcode postal", "postcode"),
        ("location place destination origin venue where", "city"),
        ("phone mobile telephone tel", "phone_number"),
        ("company organization organisation employer business", "company"),
        ("firstname first given", "first_name"),
        ("lastname last surname family", "last_name"),
        ("username login handle nickname", "user_name"),
        ("name author person customer contact recipient assignee owner sender user", "name"),
        ("title subject headline", "title"),
        (
            "description summary body content text message comment note notes details reason bio instructions",
            "sentence",
        ),
        ("color colour", "color_name"),
        ("currency", "currency_code"),
        ("language lang locale", "language_code"),
        ("uuid guid", "uuid4"),
        ("password secret", "password"),
        ("ticker symbol", "ticker"),
        ("unit units", "unit"),
        ("filename file path", "file_name"),
        ("ip", "ipv4"),
        ("hostname host domain", "domain_name"),
        ("date day birthday dob", "date"),
        ("time datetime timestamp", "datetime"),
        ("id identifier", "identifier"),
    )
)
#: parameters that take the user's request itself (or the quoted part of it)
_QUERY_WORDS = frozenset(
    ["query", "q", "search", "question", "prompt", "keywords", "keyword", "term", "terms"]
)


class CannotGenerate(Exception):
    """No value of the schema within the caps (or none at all)."""


@dataclass(frozen=True)
class _Mode:
    message: bool  # take values from the user's message
    defaults: bool  # an optional property with a ``default`` takes it


_MODES = (_Mode(True, True), _Mode(True, False), _Mode(False, False))


def make_value(
    schema: Any, *, message: str, now: int, seed: str, subject: str = "the schema"
) -> Any:
    """A value of ``schema``: from the message where it fits, else generated. ``subject`` names
    the schema in errors ("function 'get_weather'")."""
    try:
        return _make(schema, message, now, seed)
    except CannotGenerate as error:
        raise CannotGenerate(f"Cannot generate a value for {subject}: {error}") from None
    except Exception as error:  # noqa: BLE001 - no accepted schema may break a run
        # the schema passed its metaschema check at creation, so this is a combination the
        # generator cannot handle (RecursionError, an odd regex...): the run fails
        # (server_error, logged by the runner) rather than staying in progress
        raise CannotGenerate(
            f"Cannot generate a value for {subject}: {type(error).__name__}: {error}"
        ) from None


def _faker(seed: str) -> Faker:
    fake = getattr(_FAKERS, "fake", None)
    if fake is None:
        fake = _FAKERS.fake = Faker("en_US")
    fake.seed_instance(seed)
    return fake


def _make(schema: Any, message: str, now: int, seed: str) -> Any:
    fake = _faker(seed)
    today = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
    values = find_values(message, today.date())
    plan = _plan_of(schema)
    owner = _owners(values, plan.cues)
    problem = "no value satisfies it"
    for mode in _MODES:
        values.restore(set())
        maker = _Maker(schema, plan, owner, fake, values, today, mode)
        try:
            value = maker.value(schema)
        except CannotGenerate as error:
            problem = str(error)
            continue
        if _valid(plan.validator, value):
            return value
    raise CannotGenerate(problem)


@dataclass(frozen=True)
class _Plan:
    """What making a value of a schema needs from the schema alone, whatever the message and
    the seed: built once per schema (:func:`_plan_of`), shared by every call, never changed."""

    #: checks every result (building one costs as much as making a small value)
    validator: jsonschema.protocols.Validator
    #: parameter name -> the words that, next to a message value, give it to that parameter
    cues: Mapping[str, frozenset[str]]
    #: the schema's enum words (a capitalised "Fahrenheit" is the unit, not a city)
    enum_words: frozenset[str]


def _plan_of(schema: Any) -> _Plan:
    """The schema's plan, remembered by its JSON text (key order included): the Responses API
    sends its tools with every request, and an assistant's run makes a value of the same schema
    for every call. Not JSON (a caller's own Python value): built for this call only."""
    try:
        text = json.dumps(schema)
    except (TypeError, ValueError, RecursionError):
        return _build_plan(schema)
    return _plan(text)


@functools.lru_cache(maxsize=256)
def _plan(text: str) -> _Plan:
    return _build_plan(json.loads(text))


def _build_plan(schema: Any) -> _Plan:
    validator = _validator(schema)
    cues: dict[str, set[str]] = {}
    enum_words: set[str] = set()
    _Schema(schema).survey(schema, cues, enum_words)
    return _Plan(
        validator,
        MappingProxyType({name: frozenset(words) for name, words in cues.items()}),
        frozenset(enum_words),
    )


def _validator(schema: Any) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _valid(validator: jsonschema.protocols.Validator, value: Any) -> bool:
    try:
        return validator.is_valid(value)
    except (re.error, referencing.exceptions.Unresolvable):
        # a pattern Python cannot compile, or a remote $ref (nothing is fetched offline): both
        # were taken as "any value" when generating, and there is nothing to check them with
        return True


class _Xeger(rstr.Xeger):
    """rstr's regex generator, bounded: repeats go at most three beyond their minimum (short,
    plausible strings) and no string grows past ``MAX_STRING``."""

    def _handle_repeat(self, start_range: int, end_range: int, value: Any) -> str:
        if start_range > MAX_STRING:
            raise CannotGenerate(f"the pattern repeats something {start_range} times")
        times = self._random.randint(start_range, min(end_range, start_range + 3))
        out: list[str] = []
        size = 0
        for _ in range(times):
            piece = "".join(self._handle_state(state) for state in value)
            size += len(piece)
            if size > MAX_STRING:
                raise CannotGenerate(
                    f"the pattern needs strings longer than {MAX_STRING} characters"
                )
            out.append(piece)
        return "".join(out)


def _owners(values: Values, cues: Mapping[str, frozenset[str]]) -> dict[int, str]:
    """Which parameter each message value belongs to: the one whose cue words (singular) are
    most of the value's cues, if one alone has the most. Looked up from each cue word to the
    parameters that have it, not scored for every pair of value and parameter."""
    having: dict[str, list[str]] = {}
    for name, words in cues.items():
        for word in words:
            having.setdefault(word, []).append(name)
    owner: dict[int, str] = {}
    for index, found in enumerate(values.found):
        scores: dict[str, int] = {}
        for word in found.cues:
            for name in having.get(singular(word), ()):
                scores[name] = scores.get(name, 0) + 1
        if scores:
            best = max(scores.values())
            winners = [name for name, score in scores.items() if score == best]
            if len(winners) == 1:
                owner[index] = winners[0]
    return owner


class _Schema:
    """A root schema's references and ``allOf``, resolved where they are met."""

    def __init__(self, root: Any) -> None:
        self.root = root

    def survey(
        self,
        schema: Any,
        cues: dict[str, set[str]],
        enum_words: set[str],
        depth: int = 0,
        seen: int = 0,
    ) -> int:
        """Collect parameter names, descriptions and enum words (bounded walk)."""
        if not isinstance(schema, dict) or depth > 8 or seen > 500:
            return seen
        schema, _ = self._resolve(schema, 0)
        for value in schema.get("enum") or []:
            if isinstance(value, str):
                enum_words.add(value.lower())
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for key, sub in properties.items():
                seen += 1
                description = sub.get("description") if isinstance(sub, dict) else None
                cues.setdefault(key, set()).update(cue_words(key, description))
                seen = self.survey(sub, cues, enum_words, depth + 1, seen)
        for key in ("items", "additionalProperties"):
            seen = self.survey(schema.get(key), cues, enum_words, depth + 1, seen)
        for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
            for sub in schema.get(key) or []:
                seen = self.survey(sub, cues, enum_words, depth + 1, seen)
        return seen

    def _pointer(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return {}  # a remote reference: nothing to follow offline, any value will do
        target: Any = self.root
        for part in urllib.parse.unquote(ref[1:]).split("/")[1:]:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(target, list):
                target = target[int(part)]
            elif isinstance(target, dict) and part in target:
                target = target[part]
            else:
                raise CannotGenerate(f"'$ref' {ref!r} points nowhere")
        return target

    def _resolve(
        self, schema: Any, refs: int, chain: frozenset[str] = frozenset()
    ) -> tuple[dict[str, Any], int]:
        """Follow ``$ref`` (keywords beside it apply too) and merge ``allOf``. ``chain`` holds
        the references this resolution is inside of: meeting one again, it would never end
        (a cycle with no schema in between), however few or many references lead there."""
        if schema is True or schema is None:
            return {}, refs
        if schema is False:
            raise CannotGenerate("the schema is 'false'")
        while "$ref" in schema:
            ref = schema["$ref"]
            if ref in chain:
                raise CannotGenerate(f"its '$ref' cycle through {ref!r} has no way out")
            if len(chain) >= MAX_REF_CHAIN:
                raise CannotGenerate(
                    f"its '$ref' chain is longer than the mock's cap of {MAX_REF_CHAIN}"
                )
            chain |= {ref}
            refs += 1
            target = self._pointer(ref)
            if target is False:
                raise CannotGenerate("the schema is 'false'")
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            schema = (
                _merge(target if isinstance(target, dict) else {}, rest)
                if rest
                else (target if isinstance(target, dict) else {})
            )
        if isinstance(schema.get("allOf"), list):
            parts = []
            for sub in schema["allOf"]:
                resolved, refs = self._resolve(sub, refs, chain)
                parts.append(resolved)
            merged = {k: v for k, v in schema.items() if k != "allOf"}
            for part in parts:
                merged = _merge(merged, part)
            return self._resolve(merged, refs, chain)
        return schema, refs


class _Maker(_Schema):
    """One attempt at a value: walks the schema, taking from the message and the Faker."""

    def __init__(
        self,
        root: Any,
        plan: _Plan,
        owner: dict[int, str],
        fake: Faker,
        values: Values,
        now: datetime.datetime,
        mode: _Mode,
    ) -> None:
        super().__init__(root)
        self.plan = plan
        #: which parameter each message value belongs to (by the words next to it)
        self.owner = owner
        self.fake = fake
        self.rng = fake.random
        self.values = values
        self.now = now
        self.mode = mode
        self.nodes = 0
        self.chars = 0
        #: (name, kinds, cued_only) -> the values _from_message tries, in its order
        self._candidates: dict[tuple[str, tuple[str, ...], bool], list[int]] = {}

    # -- values -----------------------------------------------------------------------------

    def value(
        self,
        schema: Any,
        name: str = "",
        description: str | None = None,
        depth: int = 0,
        refs: int = 0,
    ) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise CannotGenerate(f"it needs more than {MAX_NODES} values")
        if depth > MAX_DEPTH:
            raise CannotGenerate(f"its values nest deeper than {MAX_DEPTH} levels")
        schema, refs = self._resolve(schema, refs)
        description = schema.get("description") or description
        if "const" in schema:
            return copy.deepcopy(schema["const"])
        if isinstance(schema.get("enum"), list):
            return self._enum(schema, name, description)
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list):
                return self._choice(schema, key, name, description, depth, refs)
        kind = self._kind(schema, refs)
        return getattr(self, f"_{kind}")(schema, name, description, depth, refs)

    def _kind(self, schema: dict[str, Any], refs: int) -> str:
        kinds = schema.get("type")
        if isinstance(kinds, str):
            kinds = [kinds]
        if not kinds:
            if any(
                k in schema
                for k in (
                    "properties",
                    "required",
                    "additionalProperties",
                    "minProperties",
                    "patternProperties",
                )
            ):
                return "object"
            if any(
                k in schema for k in ("items", "prefixItems", "minItems", "maxItems", "contains")
            ):
                return "array"
            if any(
                k in schema
                for k in (
                    "minimum",
                    "maximum",
                    "exclusiveMinimum",
                    "exclusiveMaximum",
                    "multipleOf",
                )
            ):
                return "number"
            return "string"
        if "null" in kinds and (refs >= MAX_REF_DEPTH or len(kinds) == 1):
            return "null"
        return next(k for k in kinds if k != "null")

    def _shallow(self, refs: int) -> bool:
        """Deep in a ``$ref`` cycle: take the shortest way out (no optional parts)."""
        return refs >= MAX_REF_DEPTH

    def _choice(
        self,
        schema: dict[str, Any],
        key: str,
        name: str,
        description: str | None,
        depth: int,
        refs: int,
    ) -> Any:
        base = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
        options = list(schema[key])
        if self._shallow(refs):  # out of the cycle: null, or an option without a reference
            options.sort(key=lambda o: (not _is_null(o), "$ref" in json.dumps(o)))
        else:
            options.sort(key=_is_null)
        problem = f"no option of '{key}' can be made"
        for option in options:
            saved = self.values.snapshot()
            try:
                value = self.value(
                    _merge(base, option) if base else option, name, description, depth, refs
                )
            except CannotGenerate as error:
                problem = str(error)
                self.values.restore(saved)
                continue
            if key == "oneOf" and sum(self._matches(o, value) for o in schema[key]) != 1:
                self.values.restore(saved)
                continue
            return value
        raise CannotGenerate(problem)

    def _matches(self, schema: Any, value: Any) -> bool:
        """Whether ``value`` is valid under a part of the root schema (its references work)."""
        validator = self.plan.validator.evolve(schema=schema)
        return _valid(validator, value)

    def _enum(self, schema: dict[str, Any], name: str, description: str | None) -> Any:
        options = schema["enum"]
        if not options:
            raise CannotGenerate("'enum' is empty")
        kinds = schema.get("type")
        if kinds is not None:
            allowed = [o for o in options if _has_type(o, kinds)]
            options = allowed or options
        if self.mode.message:
            named = self._named_in_message(options)
            if named is not _NOTHING:
                return named
        return copy.deepcopy(self.rng.choice(options))

    def _named_in_message(self, options: list[Any]) -> Any:
        """The first enum value the message names (a word, case-insensitive, or a number)."""
        best: tuple[int, Any] | None = None
        for option in options:
            if isinstance(option, str) and option.strip():
                m = _named(option, self.values.message)
                if m and (best is None or m.start() < best[0]):
                    best = (m.start(), option, m.end())
            elif isinstance(option, (int, float)) and not isinstance(option, bool):
                found = self.values.first_number(option)
                if found is not None and (best is None or found.start < best[0]):
                    best = (found.start, option, found.end)
        if best is None:
            return _NOTHING
        self.values.mark_used(best[0], best[2])
        return best[1]

    # -- message values ---------------------------------------------------------------------

    def _from_message(
        self, name: str, kinds: tuple[str, ...], fits, *, cued_only: bool = False
    ) -> Any:
        """The first value of ``kinds`` that ``fits``: one the words around it give to this
        parameter first, then one they give to no parameter (a sentence's capitalised first
        word last)."""
        if not self.mode.message:
            return _NOTHING
        used = self.values.used
        for index in self._candidates_for(name, kinds, cued_only):
            if index in used:
                continue
            found = self.values.found[index]
            candidate = found.value
            if found.kind in ("number",) and "string" in kinds:
                candidate = self.values.message[found.start : found.end]
            if fits(candidate):
                self.values.take(index)
                return candidate
        return _NOTHING

    def _candidates_for(self, name: str, kinds: tuple[str, ...], cued_only: bool) -> list[int]:
        """The values of ``kinds`` ``_from_message`` tries for ``name``, in its order, used
        or not (ordered once per parameter, not at every call)."""
        key = (name, kinds, cued_only)
        order = self._candidates.get(key)
        if order is None:
            mine, free, weak = [], [], []
            for index in self.values.of_kinds(kinds):
                owner = self.owner.get(index)
                if owner == name:
                    mine.append(index)
                elif owner is None and not cued_only:
                    found = self.values.found[index]
                    if found.kind == "phrase" and found.value.lower() in self.plan.enum_words:
                        continue
                    (weak if found.weak else free).append(index)
            order = self._candidates[key] = mine + free + weak
        return order

    # -- by type ----------------------------------------------------------------------------

    def _null(self, schema, name, description, depth, refs) -> None:
        return None

    def _boolean(self, schema, name, description, depth, refs) -> bool:
        return self.fake.pybool()

    def _integer(self, schema, name, description, depth, refs) -> int:
        return self._numeric(schema, name, integer=True)

    def _number(self, schema, name, description, depth, refs) -> float | int:
        return self._numeric(schema, name, integer=False)

    def _numeric(self, schema: dict[str, Any], name: str, *, integer: bool) -> Any:
        def fits(v: Any) -> bool:
            return _fits_number(v, schema, integer)

        found = self._from_message(name, ("number",), fits)
        if found is not _NOTHING:
            return found
        low, high = _bounds(schema, integer)
        step = schema.get("multipleOf")
        if isinstance(step, (int, float)) and step > 0:
            return self._multiple(schema, step, low, high, integer)
        if integer:
            lo = math.ceil(low) if low is not None else None
            hi = math.floor(high) if high is not None else None
            lo, hi = _window(lo, hi, 1, 10, 9)
            if lo > hi:
                raise CannotGenerate("no integer lies within its bounds")
            return self.rng.randint(int(lo), int(hi))
        lo, hi = _window(low, high, 0.0, 100.0, 100.0)
        if lo > hi:
            raise CannotGenerate("no number lies within its bounds")
        value = round(self.rng.uniform(lo, hi), 2)
        if not fits(value):
            value = lo + (hi - lo) / 2
        if not fits(value):
            raise CannotGenerate("no number lies within its bounds")
        return value

    def _multiple(
        self,
        schema: dict[str, Any],
        step: float,
        low: float | None,
        high: float | None,
        integer: bool,
    ) -> Any:
        # unbounded below: from the first positive multiple, or, when the bound above is
        # lower, the ten multiples up to it (0, -5, -10... under 'maximum': 2)
        last = math.floor(high / step) if high is not None else None
        if low is not None:
            first = math.ceil(low / step)
        else:
            first = 1 if last is None or last >= 1 else last - 9
        last = first + 9 if last is None else last
        if first > last:
            raise CannotGenerate("no multiple of 'multipleOf' lies within its bounds")
        for k in (
            self.rng.randint(first, min(last, first + 9)),
            first,
            last,
            *range(first, min(last, first + 20) + 1),
        ):
            value = float(decimal.Decimal(str(step)) * k)
            if value.is_integer() and (integer or isinstance(step, int)):
                value = int(value)
            if _fits_number(value, schema, integer):
                return value
        raise CannotGenerate("no multiple of 'multipleOf' lies within its bounds")

    def _string(self, schema, name, description, depth, refs) -> str:
        low, high = _lengths(schema)
        pattern = _compiled(schema.get("pattern"))
        fmt = schema.get("format")
        words = set(name_words(name))

        def fits(v: Any) -> bool:
            return (
                isinstance(v, str)
                and low <= len(v) <= high
                and (pattern is None or pattern.search(v) is not None)
            )

        kinds = _message_kinds(fmt, words, pattern is not None)
        found = self._from_message(name, kinds, fits)
        if found is not _NOTHING:
            return self._spend(found)
        if (
            kinds == ("quoted", "phrase")
            and words & _QUERY_WORDS
            and self.mode.message
            and fits(self.values.message)
        ):
            return self._spend(self.values.message)
        if pattern is not None:
            return self._spend(self._from_pattern(pattern, low, high))
        return self._spend(_fit_length(self._plausible(fmt, words), low, high, self.fake))

    def _spend(self, text: str) -> str:
        self.chars += len(text)
        if self.chars > MAX_CHARS:
            raise CannotGenerate(f"its strings need more than {MAX_CHARS} characters")
        return text

    def _from_pattern(self, pattern: re.Pattern[str], low: int, high: int) -> str:
        xeger = _Xeger(self.rng)
        for _ in range(8):
            text = xeger.xeger(pattern.pattern)
            if len(text) < low:  # a pattern matches anywhere in a string: pad around the match
                padded = text + "x" * (low - len(text))
                text = padded if pattern.search(padded) else ("x" * (low - len(text))) + text
            if low <= len(text) <= high and pattern.search(text):
                return text
        raise CannotGenerate(f"no string of length {low} to {high} matches {pattern.pattern!r}")

    def _plausible(self, fmt: Any, words: set[str]) -> str:
        """A generated string: by ``format``, else by the parameter's name, else a word."""
        by_format = {
            "email": "email",
            "idn-email": "email",
            "uri": "url",
            "url": "url",
            "iri": "url",
            "uri-reference": "url",
            "iri-reference": "url",
            "hostname": "domain_name",
            "idn-hostname": "domain_name",
            "ipv4": "ipv4",
            "ipv6": "ipv6",
            "uuid": "uuid4",
            "date": "date",
            "date-time": "datetime",
            "time": "time",
            "duration": "duration",
            "regex": "regex",
            "json-pointer": "json_pointer",
        }
        method = by_format.get(fmt) if isinstance(fmt, str) else None
        if method is None:
            method = next((m for keys, m in _BY_NAME if keys & words), "word")
        return self._faked(method)

    def _faked(self, method: str) -> str:
        fake = self.fake
        if method == "date":
            return self.now.date().isoformat()
        if method == "datetime":
            return self.now.isoformat().replace("+00:00", "Z")
        if method == "time":
            return self.now.strftime("%H:%M:%SZ")
        if method == "duration":
            return f"PT{fake.random_int(1, 59)}M"
        if method == "regex":
            return "^[a-z]+$"
        if method == "json_pointer":
            return "/" + fake.word()
        if method == "title":
            return fake.sentence(nb_words=4).rstrip(".")
        if method == "ticker":
            return fake.lexify("????", letters="ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        if method == "unit":
            return "celsius"
        if method == "identifier":
            return fake.bothify("id_########")
        return str(getattr(fake, method)())

    def _array(self, schema, name, description, depth, refs) -> list[Any]:
        prefix = schema.get("prefixItems")
        items = schema.get("items", {})
        if isinstance(items, list):  # draft 4 to 2019-09 tuples
            prefix, items = items, schema.get("additionalItems", {})
        prefix = prefix if isinstance(prefix, list) else []
        low = _count(schema.get("minItems", 0))
        high = _count(schema.get("maxItems", math.inf))
        if items is False:
            high = min(high, len(prefix))
        if low > MAX_ITEMS:
            raise CannotGenerate(f"'minItems' is {low}, above the mock's cap of {MAX_ITEMS}")
        if low > high:
            raise CannotGenerate("'minItems' is above 'maxItems'")
        singular = name[:-1] if name.endswith("s") and len(name) > 3 else name
        out = self._items_from_message(items, name, min(high, MAX_ITEMS)) if not prefix else []
        if self._shallow(refs):
            wanted = low
        else:
            wanted = self.rng.randint(max(low, 1 if high else 0), max(low, min(high, 2)))
        wanted = max(wanted, len(out))
        unique = schema.get("uniqueItems") is True
        contains = schema.get("contains")
        seen = {_key(v) for v in out}
        while len(out) < wanted:
            index = len(out)
            part = prefix[index] if index < len(prefix) else items
            if contains is not None and index == 0:
                part = _merge(
                    part if isinstance(part, dict) else {},
                    contains if isinstance(contains, dict) else {},
                )
            for _ in range(6 if unique else 1):
                item = self.value(part, singular, description, depth + 1, refs)
                if not unique or _key(item) not in seen:
                    break
            else:
                raise CannotGenerate("not enough different items for 'uniqueItems'")
            seen.add(_key(item))
            out.append(item)
        return out

    def _items_from_message(self, items: Any, name: str, limit: int) -> list[Any]:
        """An array of numbers, enum values or strings takes all the message has of them."""
        if not self.mode.message or not isinstance(items, dict) or limit <= 0:
            return []
        items, _ = self._resolve(items, 0)
        out: list[Any] = []
        if isinstance(items.get("enum"), list):
            for option in items["enum"]:
                if isinstance(option, str) and _named(option, self.values.message):
                    out.append(option)
            return out[:limit]
        kind = items.get("type")
        if kind in ("integer", "number"):
            integer = kind == "integer"
            while len(out) < limit:
                found = self._from_message(
                    name, ("number",), lambda v: _fits_number(v, items, integer)
                )
                if found is _NOTHING:
                    break
                out.append(found)
        elif (
            kind == "string"
            and "format" not in items
            and "pattern" not in items
            and "enum" not in items
        ):
            low, high = _lengths(items)
            while len(out) < limit:
                found = self._from_message(
                    name,
                    ("quoted", "phrase"),
                    lambda v: isinstance(v, str) and low <= len(v) <= high,
                )
                if found is _NOTHING:
                    break
                out.append(self._spend(found))
        return out

    def _object(self, schema, name, description, depth, refs) -> dict[str, Any]:
        properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        required = [r for r in schema.get("required", []) if isinstance(r, str)]
        required = list(dict.fromkeys(required))
        shallow = self._shallow(refs)
        keys = [k for k in properties if k in required or not shallow]
        keys += [k for k in required if k not in properties]
        maximum = _count(schema.get("maxProperties", math.inf))
        if len(required) > maximum:
            raise CannotGenerate("it requires more properties than 'maxProperties'")
        if len(keys) > maximum:
            keys = [k for k in keys if k in required] + [k for k in keys if k not in required][
                : int(maximum) - len(required)
            ]
        extra = schema.get("additionalProperties", {})
        out: dict[str, Any] = {}
        for key in keys:
            sub = properties.get(key, extra if isinstance(extra, dict) else {})
            sub = self._with_pattern_properties(schema, key, sub)
            out[key] = self._property(sub, key, key in required, depth, refs)
        dependent = schema.get("dependentRequired")
        if isinstance(dependent, dict):
            for key in list(out):
                for other in dependent.get(key, []) if isinstance(dependent.get(key), list) else []:
                    if isinstance(other, str) and other not in out:
                        out[other] = self.value(
                            properties.get(other, {}), other, None, depth + 1, refs
                        )
        self._pad_properties(schema, out, depth, refs)
        return out

    def _property(self, sub: Any, key: str, required: bool, depth: int, refs: int) -> Any:
        resolved, _ = self._resolve(sub, refs) if isinstance(sub, dict) else ({}, refs)
        if not required and self.mode.defaults and "default" in resolved:
            found = self._cued_leaf(resolved, key)
            return copy.deepcopy(resolved["default"]) if found is _NOTHING else found
        return self.value(sub, key, None, depth + 1, refs)

    def _cued_leaf(self, schema: dict[str, Any], key: str) -> Any:
        """What the message gives an optional parameter outright: an enum value it names, or a
        value the words next to it give to this parameter."""
        if not self.mode.message:
            return _NOTHING
        if isinstance(schema.get("enum"), list):
            return self._named_in_message(schema["enum"])
        kind = schema.get("type")
        if kind in ("integer", "number"):
            return self._from_message(
                key,
                ("number",),
                lambda v: _fits_number(v, schema, kind == "integer"),
                cued_only=True,
            )
        if kind == "string" and "pattern" not in schema and "format" not in schema:
            low, high = _lengths(schema)
            return self._from_message(
                key,
                ("quoted", "phrase"),
                lambda v: isinstance(v, str) and low <= len(v) <= high,
                cued_only=True,
            )
        return _NOTHING

    def _with_pattern_properties(self, schema: dict[str, Any], key: str, sub: Any) -> Any:
        patterns = schema.get("patternProperties")
        if not isinstance(patterns, dict):
            return sub
        for pattern, extra in patterns.items():
            compiled = _compiled(pattern)
            if compiled is not None and compiled.search(key):
                sub = _merge(
                    sub if isinstance(sub, dict) else {}, extra if isinstance(extra, dict) else {}
                )
        return sub

    def _pad_properties(
        self, schema: dict[str, Any], out: dict[str, Any], depth: int, refs: int
    ) -> None:
        """Extra properties up to ``minProperties`` (named by ``propertyNames`` or Faker)."""
        wanted = _count(schema.get("minProperties", 0))
        if wanted <= len(out):
            return
        if wanted - len(out) > MAX_EXTRA_PROPERTIES:
            raise CannotGenerate(
                f"'minProperties' is above the mock's cap of {MAX_EXTRA_PROPERTIES} extra properties"
            )
        extra = schema.get("additionalProperties", {})
        patterns = (
            schema.get("patternProperties")
            if isinstance(schema.get("patternProperties"), dict)
            else {}
        )
        names = schema.get("propertyNames") if isinstance(schema.get("propertyNames"), dict) else {}
        for _ in range(4 * wanted):
            if len(out) >= wanted:
                return
            if extra is False:
                if not patterns:
                    break
                key = self._from_pattern(_compiled(next(iter(patterns))) or re.compile("x"), 1, 64)
            elif names.get("pattern") is not None and _compiled(names["pattern"]) is not None:
                key = self._from_pattern(_compiled(names["pattern"]), *_lengths(names))
            else:
                key = _fit_length(self.fake.word(), *_lengths(names), self.fake)
            if key in out:
                continue
            sub = self._with_pattern_properties(
                schema, key, extra if isinstance(extra, dict) else {}
            )
            out[key] = self.value(sub, key, None, depth + 1, refs)
        if len(out) < wanted:
            raise CannotGenerate("not enough property names for 'minProperties'")


# -- helpers ------------------------------------------------------------------------------------


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Two schemas that must both hold, as one (what ``allOf`` and ``$ref`` siblings mean)."""
    out = dict(a)
    for key, value in b.items():
        if key not in out:
            out[key] = value
            continue
        mine = out[key]
        if key == "properties" and isinstance(mine, dict) and isinstance(value, dict):
            out[key] = {
                **mine,
                **{k: ({"allOf": [mine[k], v]} if k in mine else v) for k, v in value.items()},
            }
        elif key == "required" and isinstance(mine, list) and isinstance(value, list):
            out[key] = list(dict.fromkeys([*mine, *value]))
        elif key == "type":
            ours = set([mine] if isinstance(mine, str) else mine)
            theirs = set([value] if isinstance(value, str) else value)
            if "number" in ours and "integer" in theirs or "number" in theirs and "integer" in ours:
                ours |= {"integer"}
                theirs |= {"integer"}
            both = [t for t in (mine if isinstance(mine, list) else [mine]) if t in theirs] or (
                ["integer"] if "integer" in ours & theirs else []
            )
            if not both:
                raise CannotGenerate("the types of 'allOf' exclude each other")
            out[key] = both
        elif key == "enum" and isinstance(mine, list) and isinstance(value, list):
            out[key] = [v for v in mine if v in value]
        elif (
            key in ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
            and _is_num(mine)
            and _is_num(value)
        ):
            out[key] = max(mine, value)
        elif (
            key in ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
            and _is_num(mine)
            and _is_num(value)
        ):
            out[key] = min(mine, value)
        elif (
            key in ("items", "additionalProperties", "contains", "propertyNames")
            and isinstance(mine, dict)
            and isinstance(value, dict)
        ):
            out[key] = {"allOf": [mine, value]}
        elif key in ("additionalProperties", "items") and (mine is False or value is False):
            out[key] = False
        elif key in ("anyOf", "oneOf") and isinstance(mine, list) and isinstance(value, list):
            # both choices must hold: pair every option of one with every option of the other
            if len(mine) * len(value) > MAX_OPTIONS:
                raise CannotGenerate(
                    f"its '{key}' lists combine into more than {MAX_OPTIONS} options"
                )
            out[key] = [
                _merge(_as_dict(x), _as_dict(y))
                for x in mine
                for y in value
                if _compatible(_as_dict(x), _as_dict(y))
            ] or mine
        elif key == "uniqueItems":
            out[key] = bool(mine) or bool(value)
    return out


def _compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    try:
        _merge(a, b)
    except CannotGenerate:
        return False
    return True


def _as_dict(schema: Any) -> dict[str, Any]:
    return schema if isinstance(schema, dict) else {}


def _named(option: str, message: str) -> re.Match[str] | None:
    """Where the message names an enum value: the first place it stands as a whole word (or
    words), in any case."""
    return re.search(rf"(?<![\w]){re.escape(option)}(?![\w])", message, re.IGNORECASE)


def _is_num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "null" or schema.get("const", 0) is None
    )


def _has_type(value: Any, kinds: Any) -> bool:
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: _is_num(v) and float(v).is_integer(),
        "number": _is_num,
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
    }
    return any(checks.get(k, lambda v: False)(value) for k in kinds)


def _count(value: Any) -> float:
    """A count keyword (``minItems``...) as a number; floats such as 2.0 are counts too."""
    if value is math.inf:
        return value
    return float(value) if float(value) != int(value) else int(value)


def _limits(schema: dict[str, Any]) -> tuple[Any, bool, Any, bool]:
    """The one reading of a number's bounds: ``(low, low excluded, high, high excluded)``, the
    tighter of ``minimum`` and ``exclusiveMinimum`` (a number, or draft 4's boolean beside
    ``minimum``) and likewise above; ``None`` where there is no bound."""
    low, high = schema.get("minimum"), schema.get("maximum")
    low, high = (low if _is_num(low) else None), (high if _is_num(high) else None)
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    low_open = low is not None and ex_low is True
    high_open = high is not None and ex_high is True
    if _is_num(ex_low) and (low is None or ex_low >= low):
        low, low_open = ex_low, True
    if _is_num(ex_high) and (high is None or ex_high <= high):
        high, high_open = ex_high, True
    return low, low_open, high, high_open


def _bounds(schema: dict[str, Any], integer: bool) -> tuple[float | None, float | None]:
    """The inclusive range of a number: an excluded bound moved in by a step (1, or 0.01)."""
    low, low_open, high, high_open = _limits(schema)
    nudge = 1 if integer else 0.01
    inner_low = low + nudge if low_open else low
    inner_high = high - nudge if high_open else high
    narrow = low is not None and high is not None and low < high and inner_low > inner_high
    if narrow and not integer:  # a gap narrower than the nudge: the middle of the interval
        return low + (high - low) / 2, low + (high - low) / 2
    return inner_low, inner_high


def _window(
    low: Any, high: Any, default_low: float, default_high: float, width: float
) -> tuple[Any, Any]:
    """Where unbounded numbers are drawn: the default window moved next to the one bound."""
    if low is None and high is None:
        return default_low, default_high
    if low is None:
        return (default_low if high >= default_low else high - width), high
    if high is None:
        return low, (default_high if low <= default_high - width else low + width)
    return low, high


def _fits_number(value: Any, schema: dict[str, Any], integer: bool) -> bool:
    if not _is_num(value) or (integer and not float(value).is_integer()):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    low, low_open, high, high_open = _limits(schema)
    if low is not None and (value < low or (low_open and value == low)):
        return False
    if high is not None and (value > high or (high_open and value == high)):
        return False
    step = schema.get("multipleOf")
    if _is_num(step) and step > 0:
        # the jsonschema library's own test, so what passes here validates there
        if isinstance(step, float):
            try:
                quotient = value / step
                return int(quotient) == quotient
            except OverflowError:
                return False
        return not (value % step)
    return True


def _lengths(schema: dict[str, Any]) -> tuple[int, int]:
    low = int(_count(schema.get("minLength", 0)))
    high = _count(schema.get("maxLength", MAX_STRING))
    if low > MAX_STRING:
        raise CannotGenerate(f"'minLength' is {low}, above the mock's cap of {MAX_STRING}")
    high = int(min(high, MAX_STRING))
    if low > high:
        raise CannotGenerate("'minLength' is above 'maxLength'")
    return low, high


def _compiled(pattern: Any) -> re.Pattern[str] | None:
    """A ``pattern`` Python can compile (most ECMA-262 patterns); others are ignored."""
    if not isinstance(pattern, str):
        return None
    try:
        return re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return None


def _message_kinds(fmt: Any, words: set[str], patterned: bool) -> tuple[str, ...]:
    """Which values of the message a string parameter may take."""
    if fmt in ("email", "idn-email") or (fmt is None and words & {"email", "mail"}):
        return ("email",)
    if fmt in ("uri", "url", "iri", "uri-reference", "iri-reference") or (
        fmt is None and words & {"url", "uri", "link", "website", "homepage", "href"}
    ):
        return ("url",)
    if fmt == "date" or (fmt is None and words & {"date", "day", "birthday", "dob"}):
        return ("date",)
    if fmt == "date-time" or (fmt is None and words & {"datetime", "timestamp"}):
        return ("datetime",)
    if fmt is not None:
        return ()
    if patterned:
        return ("quoted", "phrase", "number", "email", "url", "date", "datetime")
    return ("quoted", "phrase")


def _fit_length(text: str, low: int, high: int, fake: Faker) -> str:
    """``text`` grown with words to ``low`` characters, cut to ``high``."""
    while len(text) < low:
        text = f"{text} {fake.word()}" if text else fake.word()
    if len(text) > high:
        text = text[:high].rstrip() if len(text[:high].rstrip()) >= low else text[:high]
    return text


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
