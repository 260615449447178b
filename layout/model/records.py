"""The page as composition reads it: one plain record class per model of the content.

``layout.model.content`` says what content.yaml may contain (pydantic: the JSON Schema, the
reference, every error message). Composition does not read pydantic objects: it reads these
records, which the fast reader (``layout.model.fast``) makes straight from the YAML data, or
which ``layout.model.messages`` copies from a pydantic document when the fast reader declined.
Either way the records are the same, so composition never waits for pydantic's import.

A record's fields are those of the model of the same name (from ``layout.model.spec``); the
classes add only the behaviour composition asks of them (a photo's pictures, the palette).
Records are not validated when made by hand (as ``Frame(column=1, line=1, lines=3)`` in
composition), like pydantic's ``model_construct``.
"""

from __future__ import annotations

from layout.model.spec import MODELS
from layout.model.values import DEFAULT_COLORS


class Record:
    """Fields in ``__dict__``; ``model_fields_set`` names those the editor wrote."""

    _fields: tuple[str, ...] = ()
    _defaults: dict[str, tuple] = {}

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        spec = MODELS[cls.__name__]
        base = cls.__bases__[0].__name__
        if base != (spec["base"] or "Record"):  # (a model's record inherits as the model does)
            raise TypeError(f"record {cls.__name__} derives from {base}, its model from {spec['base'] or 'Strict'}")
        cls._fields = tuple(name for name, _, _ in spec["fields"])
        cls._defaults = {name: default for name, _, default in spec["fields"]}

    def __init__(self, **fields):
        unknown = set(fields) - set(self._fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        for name in self._fields:
            if name in fields:
                setattr(self, name, fields[name])
            else:
                setattr(self, name, default_value(name, self._defaults[name], type(self).__name__))
        self.model_fields_set = set(fields)

    def model_copy(self, update: dict | None = None):
        """A shallow copy with some fields replaced (not validated), as pydantic's."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        if update:
            new.__dict__.update(update)
            new.model_fields_set = self.model_fields_set | set(update)
        else:
            new.model_fields_set = set(self.model_fields_set)
        return new

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._fields)

    __hash__ = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{f}={getattr(self, f)!r}' for f in self._fields)})"


def default_value(name: str, default: tuple, model: str):
    """A field's value when the editor left it out (defaults are not validated, as in pydantic)."""
    kind = default[0]
    if kind == "is":
        return default[1]
    if kind == "new":
        return [] if default[1] == "list" else {}
    if kind == "model":
        return CLASSES[default[1]]()
    raise TypeError(f"{model}: field {name!r} is required")


class Margins(Record):
    """Margins around the type area."""


class PageSpec(Record):
    """Paper size and grid."""


class Folio(Record):
    """The page header."""


class Typography(Record):
    """Composition rules of the text."""


class Frame(Record):
    """A rectangle on the page grid (columns from 1 at the left, lines from 1 at the top)."""


class Notch(Record):
    """The corner cut out of a stepped module."""


class ModuleFrame(Frame):
    """An article's module: a frame, optionally stepped by a notch."""


class Headline(Record):
    """The main head of an article."""


class SectionHead(Record):
    """A section head in an article's body."""


class Picture(Record):
    """One picture of a photo group, with its focus."""


class Photo(Record):
    """A photo or photo group in an article."""

    #: where the engine placed a photo given without a frame, in the last composition (for guides)
    _placed: Frame | None = None

    @property
    def reserved_lines(self) -> int:
        """Lines under the picture: caption, credit (if any) and a blank line, or more when the
        editor reserves more; composition and validation use this one figure."""
        return max(self.caption_lines, (1 if self.caption else 0) + (1 if self.credit else 0) + 1)

    @property
    def pictures(self) -> list[Picture]:
        """The photo's pictures: the one file, or the group's."""
        if self.group is not None:
            return [p if isinstance(p, Picture) else Picture(file=p) for p in self.group]
        return [Picture(file=self.file, focus=self.focus)]

    @property
    def label(self) -> str:
        """How messages name the photo: its id, else its (first) file."""
        return self.id or self.pictures[0].file


class Continuation(Record):
    """Where a continued story comes from."""


class Article(Record):
    """A story in its module."""


class PublicServiceAd(Record):
    """A public-service ad drawn by the engine."""


class ImageAd(Record):
    """An ad delivered as an image file."""


class Press(Record):
    """What the printing plant takes."""


class Document(Record):
    """A page."""

    def palette(self) -> dict[str, tuple[float, float, float, float]]:
        p = dict(DEFAULT_COLORS)
        for k, v in self.colors.items():
            if isinstance(v, tuple):
                p[k] = v
        return p


class EditionPage(Record):
    """One page of an edition: its content file and section."""


class Edition(Record):
    """An edition file: paper, date, first page number and the pages in order."""

    def entries(self) -> list[EditionPage]:
        return [p if isinstance(p, EditionPage) else EditionPage(file=p) for p in self.pages]


#: the record class of each model, by the model's name
CLASSES: dict[str, type[Record]] = {name: cls for name, cls in list(globals().items())
                                    if isinstance(cls, type) and issubclass(cls, Record) and cls is not Record}
if set(CLASSES) != set(MODELS):  # (a model without its record, or the reverse: fail on import, not mid-build)
    raise ImportError(f"records and models differ: {sorted(set(CLASSES) ^ set(MODELS))}")
