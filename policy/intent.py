"""What a chat message is: a draft to check, a question about the policy, or small talk.

Commands are exact words and are parsed by the bot before this runs. Here, a softmax
regression reads both encoders' embeddings of the message's first chunk (e5 as a draft check sees
it, and USE multilingual, which tells a question from a statement better: trained on
conversational and question-answer data) and a few cheap cues: a question mark, a leading question
word, "can I"-type phrasing, the length, quotes around the text, hashtags and links. It is trained
on policy/data/intent_train.jsonl and the retrieval tuning questions (`policybot intent train`),
and its weights ship in policy/data/intent.npz.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from policy.normalize import Shadow
from policy.scoring import first_chunk
from policy.use_encoder import shared_use_encoder

INTENTS = ("draft", "question", "smalltalk")
DATA = Path(__file__).resolve().parent / "data"
TRAINING_FILE = DATA / "intent_train.jsonl"
QUESTION_FILES = (DATA / "retrieval_tune.jsonl", DATA / "retrieval_tune_more.jsonl")  # all questions
MODEL_FILE = DATA / "intent.npz"

_QUESTION_WORDS = set(
    """can could may might am is are do does did should shall what whats what's how when where who whom whose why
    which would will tell explain any anything quel quelle quels quelles que qu quoi est-ce puis-je peut-on
    peux-tu dois-je faut-il comment pourquoi quand où qui ai-je suis-je y-a-t-il puedo podemos puede qué que
    cómo como cuándo cuando dónde donde quién quien cuál cual cuánto por debo tengo hay se está es existe""".split()
)
_ASKING_ME = re.compile(
    r"\b(can i|could i|may i|am i|should i|do i|must i|is it (ok|okay|fine|allowed|legal)|are we allowed|"
    r"allowed to|can we|what happens if|what if i|how do i|how long|what does the policy|the rules? (on|for|about)|"
    r"puis-je|est-ce que je|ai-je le droit|a-t-on le droit|est-ce que (je|on) peut|dois-je|"
    r"puedo|se puede|debo|tengo que|podemos|está permitido|esta permitido)\b",
    re.IGNORECASE,
)
_POLICY_WORDS = re.compile(
    r"\b(policy|policies|rules?|allowed|permitted|disclaimer|hatch act|guidelines?|règles?|politique|"
    r"autorisé|permis|política|politica|normas?|reglas?|permitido)\b",
    re.IGNORECASE,
)
_PUBLIC_MARKS = re.compile(r"#\w|@\w|https?://|www\.|\b(folks|everyone|y'all|you all|friends)\b", re.IGNORECASE)
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_QUOTED = re.compile(r"^\s*[\"“«'].{3,}[\"”»']\s*$", re.DOTALL)
CUE_NAMES = (
    "ends_with_question_mark",
    "opens_with_inverted_question_mark",
    "opens_with_question_word",
    "asks_about_me",
    "mentions_policy",
    "log_words",
    "sentences",
    "public_marks",
    "emoji",
    "exclamation",
    "quoted",
)


def cues(text: str) -> np.ndarray:
    stripped = text.strip()
    words = stripped.split()
    first = words[0].lower().strip("¿¡\"'“«,.") if words else ""
    return np.array(
        [
            stripped.rstrip(" )\"'”»").endswith("?"),
            stripped.startswith("¿"),
            first in _QUESTION_WORDS or first.split("'")[0] in _QUESTION_WORDS,
            bool(_ASKING_ME.search(stripped[:300])),
            bool(_POLICY_WORDS.search(stripped[:300])),
            math.log1p(len(words)) / 4,
            min(len(re.findall(r"[.!?]+(\s|$)", stripped)), 6) / 3,
            bool(_PUBLIC_MARKS.search(stripped)),
            bool(_EMOJI.search(stripped)),
            "!" in stripped,
            bool(_QUOTED.match(stripped)),
        ],
        dtype=np.float32,
    )


@dataclass(frozen=True)
class Intent:
    kind: str
    confidence: float
    probabilities: dict[str, float]


@dataclass
class IntentModel:
    weights: np.ndarray  # (384 + 512 + cues, intents), on standardised features
    bias: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    digest: str

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return _softmax(((x - self.mean) / self.scale) @ self.weights + self.bias)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> IntentModel:
        with np.load(path) as stored:
            return cls(*(stored[k] for k in ("weights", "bias", "mean", "scale")), str(stored["digest"]))

    def save(self, path: Path = MODEL_FILE) -> None:
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                weights=self.weights,
                bias=self.bias,
                mean=self.mean,
                scale=self.scale,
                digest=np.array(self.digest),
            )


def features(texts: list[str], embed: Callable[[list[str], bool], np.ndarray]) -> np.ndarray:
    """The encoders' views of the message's first chunk, e5's exactly as a draft check would embed
    it (so a draft is embedded once by it), and the cues."""
    chunks = [first_chunk(Shadow.of(t[:2000]).text) for t in texts]
    vectors, second = embed(chunks, False), shared_use_encoder().embed(chunks)
    return np.hstack([vectors, second, np.stack([cues(t) for t in texts])]).astype(np.float32)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def fit(x: np.ndarray, labels: list[str], epochs: int = 300, rate: float = 0.3, l2: float = 3e-3) -> IntentModel:
    """Multinomial logistic regression by full-batch gradient descent, classes weighted evenly."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-3
    x = (x - mean) / scale
    y = np.array([INTENTS.index(label) for label in labels])
    onehot = np.eye(len(INTENTS), dtype=np.float32)[y]
    weight_of = len(y) / (len(INTENTS) * np.bincount(y, minlength=len(INTENTS)).clip(min=1))
    sample = weight_of[y][:, None].astype(np.float32)
    w = np.zeros((x.shape[1], len(INTENTS)), dtype=np.float32)
    b = np.zeros(len(INTENTS), dtype=np.float32)
    for _ in range(epochs):
        error = (_softmax(x @ w + b) - onehot) * sample / len(y)
        w -= rate * (x.T @ error + l2 * w)
        b -= rate * error.sum(axis=0)
    return IntentModel(w, b, mean, scale, training_digest())


def training_digest() -> str:
    digest = hashlib.sha256()
    for path in (TRAINING_FILE, *QUESTION_FILES):
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


def read_training() -> list[tuple[str, str]]:
    """(text, intent) of the training messages, and the retrieval tuning questions as questions."""
    rows = [(row["text"], row["intent"]) for row in _lines(TRAINING_FILE) if row["intent"] in INTENTS]
    return rows + [(row["question"], "question") for path in QUESTION_FILES for row in _lines(path)]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class IntentClassifier:
    def __init__(self, embed: Callable[[list[str], bool], np.ndarray], model: IntentModel | None = None) -> None:
        self._embed = embed
        self.model = model or IntentModel.load()

    def classify(self, text: str) -> Intent:
        probabilities = self.model.probabilities(features([text], self._embed))[0]
        best = int(np.argmax(probabilities))
        return Intent(
            INTENTS[best],
            float(probabilities[best]),
            {k: float(p) for k, p in zip(INTENTS, probabilities, strict=True)},
        )
