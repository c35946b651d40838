"""The values a user message contains, for the default assistant to put into arguments.

A real model fills a function's arguments from what the user said ("Please multiply 121 by 3"
gives ``a: 121, b: 3``). This module finds those values, each with its place in the message:
numbers, quoted text, capitalised phrases, emails, URLs and dates. Each value is used at most
once per set of arguments (see :class:`Values`); which parameter takes which value is decided
in :mod:`.arguments` by the words around it (the cues). The README lists every rule.
"""

from __future__ import annotations

import bisect
import copy
import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .matching import GENERIC_WORDS, distinctive_words, name_words, singular, text_words

#: where a value's cue words may stand: this many words before it, or after it
CUE_BEFORE = 3
CUE_AFTER = 2

_WORD = re.compile(r"[A-Za-z0-9]+")
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_DATETIME = re.compile(
    r"\b(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?(?![\w:])"
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_MONTH_DAY = re.compile(
    rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.IGNORECASE
)
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?(?:,?\s+(\d{{4}}))?\b", re.IGNORECASE
)
_RELATIVE = {"today": 0, "tomorrow": 1, "yesterday": -1}
_RELATIVE_DAY = re.compile(r"\b(today|tomorrow|yesterday)\b", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.,-])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w]|[.,]\d)")
_QUOTED = re.compile(
    r"\"([^\"\n]+)\"|“([^”\n]+)”|«([^»\n]+)»|`([^`\n]+)`|(?<![A-Za-z0-9])'([^'\n]+)'(?![A-Za-z0-9])"
)
_CAPITALISED = re.compile(
    r"\b[A-Z][A-Za-z0-9&]*(?:['’]s\b)?(?:[ -][A-Z][A-Za-z0-9&]*(?:['’]s\b)?)*"
)
#: words that start sentences, not names: a capitalised sentence-initial word from this list is
#: not a value ("Book a trip to Tokyo" is about Tokyo)
SENTENCE_STARTERS = frozenset(
    [
        "what",
        "whats",
        "how",
        "please",
        "can",
        "could",
        "would",
        "should",
        "will",
        "the",
        "i",
        "is",
        "are",
        "was",
        "were",
        "tell",
        "show",
        "give",
        "book",
        "find",
        "generate",
        "write",
        "make",
        "create",
        "list",
        "send",
        "compute",
        "calculate",
        "plot",
        "draw",
        "search",
        "check",
        "let",
        "do",
        "does",
        "did",
        "who",
        "where",
        "when",
        "why",
        "which",
        "hi",
        "hello",
        "hey",
        "thanks",
        "thank",
        "my",
        "our",
        "your",
        "we",
        "you",
        "it",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "in",
        "on",
        "for",
        "to",
        "at",
        "from",
        "and",
        "or",
        "but",
        "if",
        "a",
        "an",
        "use",
        "run",
        "help",
        "explain",
        "summarize",
        "summarise",
        "translate",
        "convert",
        "say",
        "multiply",
        "divide",
        "sum",
        "buy",
        "order",
        "schedule",
        "remind",
        "email",
        "text",
        "play",
        "open",
        "start",
        "stop",
        "cancel",
        "update",
        "delete",
        "remove",
        "look",
        "need",
        "want",
        "may",
        "also",
        "now",
        "then",
        "just",
        "ok",
        "okay",
        "yes",
        "no",
        "get",
        "set",
        "add",
        "fetch",
        "read",
        "post",
        "put",
        "call",
        "lookup",
        "retrieve",
    ]
)


@dataclass(frozen=True, slots=True)
class Value:
    """One value found in the message: what it is, where it stands, the words around it."""

    kind: str  # number | quoted | phrase | email | url | date | datetime
    value: Any
    start: int
    end: int
    #: the message's words that stand nearer to this value than to any other
    cues: tuple[str, ...] = ()
    #: a capitalised word that starts a sentence: maybe a name, maybe just grammar
    weak: bool = False


@dataclass
class Values:
    """Everything found in one message, and which of it a set of arguments has used.

    ``found`` is indexed once (by kind, numbers by value, spans by start), so that filling
    each parameter looks its values up instead of scanning every value of the message (a long
    message has tens of thousands). The found values and their indexes are shared by every
    :meth:`fresh` copy and never change; only ``used`` (and the memo of :meth:`of_kinds`)
    belongs to one set of arguments."""

    message: str
    found: tuple[Value, ...] = ()
    used: set[int] = field(default_factory=set)
    #: kind -> the indexes of its values, in message order
    by_kind: dict[str, list[int]] = field(init=False, repr=False)
    #: a number -> the indexes of the values equal to it, in message order
    numbers: dict[int | float, list[int]] = field(init=False, repr=False)
    #: the values' starts, in order (``found`` is sorted and its spans never overlap)
    starts: list[int] = field(init=False, repr=False)
    _merged: dict[tuple[str, ...], list[int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_kind, self.numbers, self._merged = {}, {}, {}
        for i, v in enumerate(self.found):
            self.by_kind.setdefault(v.kind, []).append(i)
            if v.kind == "number":
                self.numbers.setdefault(v.value, []).append(i)
        self.starts = [v.start for v in self.found]

    def fresh(self) -> Values:
        """A copy with nothing used, sharing the found values and their indexes (a shallow
        copy: the indexes are not built again)."""
        clone = copy.copy(self)
        clone.used, clone._merged = set(), {}
        return clone

    def of_kinds(self, kinds: tuple[str, ...]) -> list[int]:
        """The indexes of the values of ``kinds``, in message order, used or not."""
        merged = self._merged.get(kinds)
        if merged is None:
            merged = self._merged[kinds] = sorted(
                i for kind in dict.fromkeys(kinds) for i in self.by_kind.get(kind, ())
            )
        return merged

    def available(self, *kinds: str) -> list[tuple[int, Value]]:
        return [(i, self.found[i]) for i in self.of_kinds(kinds) if i not in self.used]

    def first_number(self, number: float) -> Value | None:
        """The first unused number of the message equal to ``number``."""
        for i in self.numbers.get(number, ()):
            if i not in self.used:
                return self.found[i]
        return None

    def take(self, index: int) -> Any:
        self.used.add(index)
        return self.found[index].value

    def mark_used(self, start: int, end: int) -> None:
        """Everything overlapping ``[start, end)`` (an enum value the message named)."""
        # the value starting at or before ``start`` may reach into it; the later ones that
        # start before ``end`` are inside it
        first = max(0, bisect.bisect_right(self.starts, start) - 1)
        for i in range(first, bisect.bisect_left(self.starts, end)):
            v = self.found[i]
            if v.start < end and start < v.end:
                self.used.add(i)

    def snapshot(self) -> set[int]:
        return set(self.used)

    def restore(self, used: set[int]) -> None:
        self.used = set(used)


def find_values(message: str, today: datetime.date) -> Values:
    """Every value of ``message``, in message order, none used yet. Spans never overlap: a date
    is not also three numbers, a quoted phrase not also a capitalised one."""
    return _found(message, today).fresh()


#: the last few messages' values. Finding them is a pure function of the text and the day, and
#: the same message is asked for again and again: once per function of a turn, per
#: ``response_format``, per Responses call that resends the conversation, per test repeating a
#: prompt. Few entries: a message may hold 256,000 characters (about 20,000 values, 7 MB).
@functools.lru_cache(maxsize=4)
def _found(message: str, today: datetime.date) -> Values:
    # the spans taken so far, sorted (they never overlap, so their ends are sorted too): a
    # new span is checked against its two neighbours, not all of them (long messages)
    starts: list[int] = []
    ends: list[int] = []
    found: list[Value] = []

    def free(start: int, end: int) -> bool:
        i = bisect.bisect_right(starts, start)
        return (i == 0 or ends[i - 1] <= start) and (i == len(starts) or end <= starts[i])

    def add(kind: str, value: Any, start: int, end: int, weak: bool = False) -> None:
        if free(start, end):
            i = bisect.bisect_right(starts, start)
            starts.insert(i, start)
            ends.insert(i, end)
            found.append(Value(kind, value, start, end, weak=weak))

    for m in _URL.finditer(message):
        url = m.group().rstrip(".,;:!?)]}")
        add("url", url if "://" in url else "https://" + url, m.start(), m.start() + len(url))
    for m in _EMAIL.finditer(message):
        add("email", m.group(), m.start(), m.end())
    for m in _DATETIME.finditer(message):
        value = _iso_datetime(m)
        if value is not None:
            add("datetime", value, m.start(), m.end())
    for start, end, date in _dates(message, today):
        add("date", date.isoformat(), start, end)
    for m in _QUOTED.finditer(message):
        text = next(g for g in m.groups() if g is not None).strip()
        if text:
            add("quoted", text, m.start(), m.end())
    for m in _NUMBER.finditer(message):
        add("number", _number(m.group()), m.start(), m.end())
    for m in _CAPITALISED.finditer(message):
        start, phrase = m.start(), re.sub(r"['’]s\b", "", m.group())
        # "In Fahrenheit" is "Fahrenheit": leading sentence words are not part of a name
        while " " in phrase and phrase.split(" ", 1)[0].lower() in SENTENCE_STARTERS:
            head, phrase = phrase.split(" ", 1)
            start += len(head) + 1
        if phrase.lower() in SENTENCE_STARTERS or phrase.lower() in GENERIC_WORDS:
            continue
        before = start - 1  # the last character before the phrase that is not a space
        while before >= 0 and message[before].isspace():
            before -= 1
        initial = (before < 0 or message[before] in ".!?:\n") and " " not in phrase
        add("phrase", phrase, start, start + len(phrase), weak=initial)
    found.sort(key=lambda v: v.start)
    cues = _cues(message, found)
    return Values(
        message,
        tuple(Value(v.kind, v.value, v.start, v.end, c, v.weak) for v, c in zip(found, cues)),
    )


def _cues(message: str, found: list[Value]) -> list[tuple[str, ...]]:
    """Each value's cue words: every word of the message (outside values) goes to the value
    nearest to it, counted in words: at most ``CUE_BEFORE`` words before the value or ``CUE_AFTER`` after it; on a tie,
    to the value the word precedes ("fade 0", "from Paris")."""
    # ``found`` is sorted and its spans never overlap: bisect instead of a scan per word
    # (a long message has thousands of words and values)
    value_starts = [v.start for v in found]
    words: list[tuple[int, str]] = []
    for w in _WORD.finditer(message):
        j = bisect.bisect_left(value_starts, w.end())  # the values starting before the word ends
        if j == 0 or found[j - 1].end <= w.start():
            words.append((w.start(), w.group().lower()))
    # a value stands between the words before it and the words after it (non-decreasing)
    word_starts = [start for start, _ in words]
    places = [bisect.bisect_left(word_starts, v.start) for v in found]
    cues: list[list[str]] = [[] for _ in found]
    for i, (_, word) in enumerate(words):
        # the nearest value after the word (the first one) and before it (the first of those
        # at the nearest place), as a scan in order keeping the first strict minimum picks
        best: tuple[int, int, int] | None = None  # (distance, follows, value index)
        after = bisect.bisect_right(places, i)
        if after < len(places) and places[after] - i <= CUE_BEFORE:
            best = (places[after] - i, 0, after)
        if after > 0:
            before = bisect.bisect_left(places, places[after - 1])
            distance = i - places[before] + 1
            if distance <= CUE_AFTER and (best is None or (distance, 1) < best[:2]):
                best = (distance, 1, before)
        if best is not None:
            cues[best[2]].append(word)
    return [tuple(attached) for attached in cues]


def _number(text: str) -> int | float:
    value = float(text.replace(",", ""))
    return int(value) if value.is_integer() and "." not in text else value


def _iso_datetime(m: re.Match[str]) -> str | None:
    year, month, day, hour, minute, second, zone = m.groups()
    try:
        moment = datetime.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0)
        )
    except ValueError:
        return None
    suffix = "Z" if zone in (None, "Z") else (zone if ":" in zone else f"{zone[:3]}:{zone[3:]}")
    return moment.isoformat() + suffix


def _dates(message: str, today: datetime.date) -> Iterable[tuple[int, int, datetime.date]]:
    for m in _ISO_DATE.finditer(message):
        date = _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if date is not None:
            yield m.start(), m.end(), date
    for m in _MONTH_DAY.finditer(message):
        date = _date(int(m.group(3) or today.year), _month(m.group(1)), int(m.group(2)))
        if date is not None:
            yield m.start(), m.end(), date
    for m in _DAY_MONTH.finditer(message):
        date = _date(int(m.group(3) or today.year), _month(m.group(2)), int(m.group(1)))
        if date is not None:
            yield m.start(), m.end(), date
    for m in _RELATIVE_DAY.finditer(message):
        yield m.start(), m.end(), today + datetime.timedelta(days=_RELATIVE[m.group(1).lower()])


def _month(name: str) -> int:
    return next(i for i, month in enumerate(_MONTHS, 1) if month.startswith(name.lower()[:3]))


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def cue_words(name: str, description: str | None) -> set[str]:
    """The words that, next to a value in the message, say it belongs to this parameter: its
    name's words and its description's distinctive words, in singular form."""
    words = {singular(w) for w in distinctive_words(name)}
    words |= {singular(w) for w in text_words(description or "")}
    parts = set(name_words(name))
    # prepositions that name a direction ("from Paris to Tokyo")
    if parts & {"origin", "source", "departure", "start", "from", "begin", "since"}:
        words |= {"from", "since"}
    if parts & {"destination", "dest", "target", "arrival", "end", "to", "until"}:
        words |= {"to", "until", "till"}
    return words
