"""The payload types of events, and the checks derived from them (``ledger.events`` declares
one per event type).

A payload type is a frozen dataclass of ``Payload`` whose fields say what an event's ``data``
holds: a field's type gives its JSON kind (``str``, ``int``, ``bool``, ``Decimal`` as an
amount string, ``date`` as an ISO date, ``dict`` and ``list`` kept as they are, ``tuple[str, ...]``, a nested
payload type or a tuple of them), its default makes it optional, ``as_key`` names its JSON key
where that is not the field's name, ``nullable`` and ``one_of`` say whether it may be null and
which texts it may hold. ``derive`` turns those fields into the checks (``Field``, used by
``Schema`` and ``problem`` in ``events``) and the conversions both ways, so the check and the
types cannot disagree.

``to_payload`` gives the ``data`` a command writes: every field but those that are None and
may not be null. A payload read from the journal (``from_payload``, ``load``) keeps the data it
was read from (``read_from``): it writes back the same keys in the same order, the keys no
field names (``extra``: a later wik may add them) included.
"""


import re
from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from datetime import date
from decimal import Decimal
from types import UnionType
from typing import Any, ClassVar, Literal, Self, TypeVar, Union, dataclass_transform, get_args, get_origin
from collections.abc import Callable, Mapping

from wikcli.i18n import _

# Whether an event of the type names an invoice.
INVOICE = "invoice"  # always
NO_INVOICE = "none"  # never
EITHER = "either"  # terms-agreed: an invoice's own terms, or (no invoice) a client's

@dataclass(frozen=True)
class Field:
    name: str
    check: Callable[[Any], str | None]
    required: bool = True
    nullable: bool = False


@dataclass(frozen=True)
class Schema:
    type: str
    invoice: str  # INVOICE, NO_INVOICE or EITHER
    fields: tuple[Field, ...]


def _fields_problem(fields: tuple[Field, ...], data: Mapping[str, Any]) -> str | None:
    fits = _FITS.get(id(fields))
    if fits is None:
        fits = _FITS[id(fields)] = (_compile_fits(fields), fields)  # the tuple kept: its id stays its own
    if fits[0](data):
        return None
    return _first_problem(fields, data)


def _first_problem(fields: tuple[Field, ...], data: Mapping[str, Any]) -> str | None:
    for fl in fields:
        if fl.name not in data:
            if fl.required:
                return _("field {name!r} is missing").format(name=fl.name)
            continue
        v = data[fl.name]
        if v is None:
            if fl.nullable:
                continue
            return _("field {name!r} is null").format(name=fl.name)
        want = fl.check(v)
        if want is not None:
            return _("field {name!r} is not {want}").format(name=fl.name, want=want)
    return None


_MONEY = re.compile(r"-?\d{1,15}(\.\d{1,10})?")


def _date(v: Any) -> str | None:
    if type(v) is not str:
        return "a date (YYYY-MM-DD)"
    try:
        date.fromisoformat(v)
    except ValueError:
        return "a date (YYYY-MM-DD)"
    return None if len(v) == 10 else "a date (YYYY-MM-DD)"


def _money(v: Any) -> str | None:
    return None if type(v) is str and _MONEY.fullmatch(v) else "an amount such as \"250.00\""


def _text(v: Any) -> str | None:
    return None if type(v) is str else "a text"


def _int(v: Any) -> str | None:
    return None if type(v) is int else "a whole number"


def _bool(v: Any) -> str | None:
    return None if type(v) is bool else "true or false"


def _object(v: Any) -> str | None:
    return None if type(v) is dict else "an object"


def _array(v: Any) -> str | None:
    return None if type(v) is list else "a list"


def _texts(v: Any) -> str | None:
    return None if type(v) is list and all(type(x) is str for x in v) else "a list of texts"


# Whether data fits the fields, as one function written for them (``_compile_fits``): the
# journal checks every line it reads, and a loop over the fields calling a check each cost
# a large journal's read a tenth of its time. What does not fit is looked at again, field by
# field, for the words that say why (``_first_problem``).
_FITS: dict[int, tuple[Callable[[Mapping[str, Any]], bool], tuple[Field, ...]]] = {}
_ABSENT_KEY = object()


def _compile_fits(fields: tuple[Field, ...]) -> Callable[[Mapping[str, Any]], bool]:
    inline: dict[Callable[[Any], str | None], str] = {
        _text: "type(v) is not str", _int: "type(v) is not int", _bool: "type(v) is not bool",
        _object: "type(v) is not dict", _money: "type(v) is not str or _money_re(v) is None"}
    env: dict[str, Any] = {"_absent": _ABSENT_KEY, "_money_re": _MONEY.fullmatch}
    lines = ["def fits(data):", "    get = data.get"]
    for i, fl in enumerate(fields):
        env[f"_c{i}"] = fl.check
        test = inline.get(fl.check, f"_c{i}(v) is not None")
        lines.append(f"    v = get({fl.name!r}, _absent)")
        lines.append("    if v is _absent:")
        lines.append("        " + ("return False" if fl.required else "pass"))
        lines.append("    elif v is None:")
        lines.append("        " + ("pass" if fl.nullable else "return False"))
        lines.append(f"    elif {test}:")
        lines.append("        return False")
    lines.append("    return True")
    exec(compile("\n".join(lines) + "\n", "<fits>", "exec"), env)
    fits: Callable[[Mapping[str, Any]], bool] = env["fits"]
    return fits


def _one_of(*allowed: str) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        return None if v in allowed else "one of " + ", ".join(allowed)
    return check


def _list_of(fields: tuple[Field, ...]) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        if type(v) is not list or not v:
            return "a non-empty list"
        for item in v:
            if type(item) is not dict or _fields_problem(fields, item) is not None:
                return "a list of objects with " + ", ".join(f.name for f in fields)
        return None
    return check


def _nested(fields: tuple[Field, ...]) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        if type(v) is not dict:
            return "an object"
        bad = _fields_problem(fields, v)
        return None if bad is None else f"an object whose {bad}"
    return check


# --- the payload types ----------------------------------------------------------------------

def as_key(name: str, default: Any = MISSING, *, null: bool = False, check: Callable[[Any], str | None] | None = None) -> Any:
    """A payload field whose JSON key is ``name`` (``date``, ``from``: words that would shadow a
    type or a keyword as a field name); ``null``: the value may be null in the journal;
    ``check``: the check of a JSON object the field keeps as it is."""
    return field(default=default, metadata={"key": name, "null": null, "check": check})


def one_of(*allowed: str, default: Any = MISSING, null: bool = False) -> Any:
    """A text field that holds one of ``allowed``."""
    return field(default=default, metadata={"null": null, "check": _one_of(*allowed)})


def nullable(default: Any = MISSING) -> Any:
    """A field that may be null in the journal (written as null when None)."""
    return field(default=default, metadata={"null": True})


_ABSENT = object()
_new = object.__new__
_setattr = object.__setattr__


_C = TypeVar("_C")


@dataclass_transform(kw_only_default=True, frozen_default=True)
def payload_type(cls: type[_C]) -> type[_C]:
    """A payload type: a dataclass of its fields, keyword-only and frozen (``Payload``'s
    ``__setattr__``). Its ``__init__`` is written when the type is first built, not here: a
    frozen dataclass's generated ``__init__``, ``__setattr__`` and ``__delattr__``, three
    compiled functions for each of the many types, cost every command that loads the event
    vocabulary its largest part, and a command builds one or two types."""
    return dataclass(kw_only=True, eq=False, repr=False, init=False)(cls)


@payload_type
class Payload:
    """What every event's ``data`` type shares: ``read_from``, the data it was read from (None:
    built by a command), whose keys and their order it writes back, with the keys no field
    names (``extra``: kept, not read)."""

    TYPE: ClassVar[str] = ""
    INVOICE: ClassVar[str] = INVOICE
    FIELDS: ClassVar[tuple[Field, ...]] = ()
    # (attribute, key, from JSON, to JSON, default when absent, nullable) per field
    _SPEC: ClassVar[tuple[tuple[str, str, Any, Any, Any, bool], ...]] = ()
    _BY_KEY: ClassVar[dict[str, tuple[str, str, Any, Any, Any, bool]]] = {}
    _KEYS: ClassVar[frozenset[str]] = frozenset()
    _loader: ClassVar[Callable[[Mapping[str, Any]], Any]]

    read_from: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    def __init__(self, **values: Any) -> None:
        # The first build of a type writes its own __init__ (``_compile_init``) and puts it
        # on the type, where every later build finds it.
        cls = type(self)
        init = _compile_init(cls)
        cls.__init__ = init  # type: ignore[method-assign]
        init(self, **values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        # One comparison for every payload type (``eq=False`` on each: a generated __eq__ per
        # type costs every command that reads the journal its compile time).
        if type(other) is not type(self):
            return NotImplemented
        mine, theirs = self.__dict__, other.__dict__
        return all(mine[s[0]] == theirs[s[0]] for s in self._SPEC)

    __hash__ = None  # type: ignore[assignment]  # equal by value, and some hold dicts

    def __repr__(self) -> str:
        d = self.__dict__
        return f"{type(self).__name__}({', '.join(f'{s[0]}={d[s[0]]!r}' for s in self._SPEC)})"

    @property
    def extra(self) -> dict[str, Any]:
        """The keys of the data it was read from that no field names, with their values."""
        if self.read_from is None or self.read_from.keys() <= self._KEYS:
            return {}
        return {k: v for k, v in self.read_from.items() if k not in self._KEYS}

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> Self:
        """The payload of ``data``, checked: ``PayloadError`` says what does not fit."""
        if type(data) is not dict:
            raise PayloadError(f"a {cls.TYPE} event's data is not an object")
        bad = _fields_problem(cls.FIELDS, data)
        if bad is not None:
            raise PayloadError(f"is a {cls.TYPE} event whose {bad}")
        return cls.load(dict(data))  # a copy: the caller's dict may change, the payload may not

    @classmethod
    def load(cls, data: Mapping[str, Any]) -> Self:
        """The payload of ``data`` the journal has checked already (the fold's way in: no
        check twice)."""
        obj: Self = cls._loader(data)  # set by derive
        return obj

    def to_payload(self) -> dict[str, Any]:
        """The event's ``data`` as the journal holds it: what it was read from (its keys in
        their order, the keys no field names, absent fields absent), with each field's value
        as it is now; a built one holds every field but those None that may not be null."""
        d = self.__dict__
        out: dict[str, Any] = {}
        source = self.read_from
        if source is not None:
            by_key = self._BY_KEY
            for k, v in source.items():
                spec = by_key.get(k)
                if spec is not None:
                    v = d[spec[0]]
                    if v is not None and spec[3] is not None:
                        v = spec[3](v)
                out[k] = v
        for attr, k, _read, write, default, null in self._SPEC:
            if k in out:
                continue
            v = d[attr]
            if source is not None and v == default:
                continue  # absent from what it was read from, and not changed since
            if v is None:
                if null and source is None:
                    out[k] = None
                continue
            out[k] = v if write is None else write(v)
        return out

    def event(self, invoice: str | None = None) -> tuple[str, str | None, dict]:
        """The event a command appends: (type, invoice, data)."""
        return (self.TYPE, invoice, self.to_payload())


def _compile_init(cls: type[Payload]) -> Callable[..., None]:
    """``cls.__init__`` as a frozen keyword-only dataclass writes it: every field a keyword,
    those without a default required, the instance's dict filled at once."""
    env: dict[str, Any] = {"_set": _setattr}
    params, items = [], []
    for i, fl in enumerate(fields(cls)):
        if fl.default is MISSING:
            params.append(fl.name)
        else:
            env[f"_d{i}"] = fl.default
            params.append(f"{fl.name}=_d{i}")
        items.append(f"{fl.name!r}: {fl.name}")
    src = (f"def __init__(self, *, {', '.join(params)}):\n"
           f"    _set(self, '__dict__', {{{', '.join(items)}}})\n")
    exec(compile(src, f"<init {cls.__name__}>", "exec"), env)
    init: Callable[..., None] = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _compile_loader(cls: type[Payload]) -> Callable[[Mapping[str, Any]], Any]:
    """``cls.load`` as one function written for its fields: a large journal folds hundreds of
    thousands of payloads, and a loop over the fields costs the fold a quarter of its time.
    The instance's dict is filled at once rather than one object.__setattr__ per field of the
    frozen dataclass (the same object, field for field)."""
    env: dict[str, Any] = {"_cls": cls, "_new": _new, "_set": _setattr, "_absent": _ABSENT}
    lines = []
    for i, (attr, k, read, _write, default, _null) in enumerate(cls._SPEC):
        env[f"_r{i}"], env[f"_d{i}"] = read, default
        if read is None:
            lines.append(f"{attr!r}: get({k!r}, _d{i})")
        elif default is None:
            lines.append(f"{attr!r}: None if (v := get({k!r})) is None else _r{i}(v)")
        else:
            lines.append(f"{attr!r}: _d{i} if (v := get({k!r}, _absent)) is _absent else "
                         f"(None if v is None else _r{i}(v))")
    src = ("def load(data):\n    get = data.get\n    obj = _new(_cls)\n    _set(obj, '__dict__', {"
           + ", ".join(lines)
           + ", 'read_from': data})\n"
             "    return obj\n")
    exec(compile(src, f"<load {cls.__name__}>", "exec"), env)
    loader: Callable[[Mapping[str, Any]], Any] = env["load"]
    return loader


class PayloadError(ValueError):
    """An event's data that does not fit its type (the message is the end of a sentence)."""


def _iso(d: date) -> str:
    return d.isoformat()


def _list(v: tuple) -> list:
    return list(v)


def _kind(tp: Any) -> tuple[Callable[[Any], str | None], Any, Any]:
    """The check, the reading from JSON and the writing to JSON of a field of type ``tp``."""
    if tp is str:
        return _text, None, None
    if tp is bool:
        return _bool, None, None
    if tp is int:
        return _int, None, None
    if tp is Decimal:
        return _money, Decimal, str
    if tp is date:
        return _date, date.fromisoformat, _iso
    if tp is dict:
        return _object, None, dict
    if tp is list:
        return _array, None, list
    if get_origin(tp) is Literal:
        return _one_of(*get_args(tp)), None, None
    if isinstance(tp, type) and issubclass(tp, Payload):
        sub = tp
        return _nested(sub.FIELDS), sub.load, sub.to_payload
    if get_origin(tp) is tuple:
        item = get_args(tp)[0]
        if item is str:
            return _texts, tuple, _list
        if isinstance(item, type) and issubclass(item, Payload):
            sub = item
            return (_list_of(sub.FIELDS), lambda v: tuple(sub.load(x) for x in v),
                    lambda v: [x.to_payload() for x in v])
    raise TypeError(f"no JSON kind for a payload field of type {tp!r}")


def _without_none(tp: Any) -> Any:
    if get_origin(tp) in (Union, UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else Union[tuple(args)]  # noqa: UP007 (a union built at run time)
    return tp


P = TypeVar("P", bound=type[Payload])


def derive(cls: type[Payload]) -> None:
    """Fill in ``cls``'s checks and conversions from its fields."""
    spec, checks = [], []
    for fl in fields(cls):
        if fl.name == "read_from":
            continue
        k = fl.metadata.get("key") or fl.name
        check, read, write = _kind(_without_none(fl.type))
        own = fl.metadata.get("check")
        if own is not None:
            check = own
        null = bool(fl.metadata.get("null"))
        optional = fl.default is not MISSING
        spec.append((fl.name, k, read, write, None if not optional else fl.default, null))
        checks.append(Field(k, check, required=not optional, nullable=null))
    def first_load(data: Mapping[str, Any]) -> Any:
        # written for the type's fields when first used: most commands load a few types only
        cls._loader = _compile_loader(cls)
        return cls._loader(data)

    cls._loader = first_load
    cls._SPEC = tuple(spec)
    cls._BY_KEY = {s[1]: s for s in spec}
    cls._KEYS = frozenset(cls._BY_KEY)
    cls.FIELDS = tuple(checks)


def nested(cls: P) -> P:
    """A JSON object inside a payload (an installment, announced costs)."""
    derive(cls)
    return cls
