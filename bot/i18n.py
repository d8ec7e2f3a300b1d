"""The words people read, in their language: English, and Welsh from a gettext catalogue.

Every user-facing sentence is written in English as `_("…{name}…", name=value)` (or `n_` when
it depends on a count). The English is the message id; `bot/locales/cy/LC_MESSAGES/
coproduce.po` holds the Welsh, read with Babel when first needed. The language is the person's
own (`/coproduce language`), set for the turn by the engine; a message for someone else (news
of an idea, a prompt, a thank-you) is built inside `speaking(their language)`.

NHS Wales works under the Welsh Language Standards. The Welsh here was written for this
project and needs review by a Welsh speaker before a Welsh trust relies on it (docs/language.md).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES: dict[str, str] = {"en": "English", "cy": "Cymraeg"}
DEFAULT = "en"
LOCALES = Path(__file__).parent / "locales"
DOMAIN = "coproduce"

_language: ContextVar[str] = ContextVar("language", default=DEFAULT)


def current() -> str:
    return _language.get()


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Build the messages inside in `language` (a person's choice; English when unset)."""
    token = _language.set(language if language in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _language.reset(token)


class _Catalogue:
    def __init__(self, language: str) -> None:
        self.singular: dict[str, str] = {}
        self.plural: dict[tuple[str, str], tuple[str, ...]] = {}
        self.plural_index: Callable[[int], int] = lambda n: int(n != 1)
        path = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not path.exists():
            return
        with path.open("rb") as source:
            catalog = read_po(source, locale=language)
        self.plural_index = gettext.c2py(catalog.plural_expr)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, tuple):
                forms = tuple(message.string or ())
                if all(forms):
                    self.plural[(message.id[0], message.id[1])] = forms
            elif isinstance(message.string, str) and message.string:
                self.singular[str(message.id)] = message.string


@cache
def _catalogue(language: str) -> _Catalogue:
    return _Catalogue(language)


def N_(message: str) -> str:
    """Marks a module-level message for the catalogue; translate it with `_()` where used."""
    return message


def _(message: str, /, **values: object) -> str:
    """`message` in the current language, with `{name}` filled from `values`."""
    language = current()
    text = message if language == DEFAULT else _catalogue(language).singular.get(message, message)
    return text.format(**values) if values else text


def n_(singular: str, plural: str, count: int, /, **values: object) -> str:
    """The form for `count` (which is also available as `{count}`)."""
    language = current()
    forms = None if language == DEFAULT else _catalogue(language).plural.get((singular, plural))
    if forms:
        text = forms[min(_catalogue(language).plural_index(count), len(forms) - 1)]
    else:
        text = singular if count == 1 else plural
    return text.format(count=count, **values)
