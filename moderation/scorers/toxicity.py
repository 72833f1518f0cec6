"""An offline abuse model: naive Bayes over words and character n-grams, trained in-process.

No reader text leaves the server. The model is trained from ``moderation/data/labelled.csv`` (lines
the project wrote and labelled, shipped with the install) the first time it is needed; training is
deterministic and takes a few milliseconds. The data labels *abuse of a person* (the commenter,
another reader, someone named) as 1, and everything else as 0, including angry language about a
state at war ("Mordor", "ruscists", "the Kremlin's murderers"): that is political speech, and the
model is meant to learn the difference from the second person and personal insults.

``evaluate()`` trains on four fifths and measures precision and recall on the held-out fifth;
``manage.py moderation_evaluate`` prints them (docs/moderation.md quotes the numbers).
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from moderation.normalise import skeleton
from moderation.scorers import ScoringContext, register

DATA = Path(__file__).resolve().parent.parent / "data" / "labelled.csv"
HOLD_AT = 0.6
_WORD = re.compile(r"[a-z']+")


def features(text: str) -> set[str]:
    """Words, word pairs, and 3-5 letter pieces of each word (robust to spelling games): the set
    of them, as the model counts presence, not frequency. A word's pieces are taken once however
    often it appears (a 5,000-character comment's took 2.2 ms when each use was cut up anew)."""
    words = _WORD.findall(skeleton(text))
    found = {f"w:{word}" for word in words}
    found.update(f"b:{first} {second}" for first, second in zip(words, words[1:], strict=False))
    for word in set(words):
        found.update(_pieces(word))
    return found


@lru_cache(maxsize=4096)
def _pieces(word: str) -> tuple[str, ...]:
    """The 3-5 letter pieces of ``word``, padded with a space each side. Kept for the words met
    most recently: comments share most of their words, and cutting each up again was a third of
    scoring a comment."""
    padded = f" {word} "
    return tuple(
        f"c:{padded[i : i + size]}" for size in (3, 4, 5) for i in range(len(padded) - size + 1)
    )


# A feature's evidence is trusted in proportion to how many training lines it was seen in:
# lines / (lines + EVIDENCE_SHRINK). One line ("Another moronic post...") is an anecdote, not a
# pattern, and a rare word is cut into a dozen pieces that would each count it again in full.
EVIDENCE_SHRINK = 1.0


@dataclass
class NaiveBayes:
    log_prior: dict[int, float]
    log_likelihood: dict[int, dict[str, float]]
    log_unseen: dict[int, float]
    # How many training lines each feature was seen in (either label).
    lines_seen: dict[str, int]
    # For each feature seen in training, log P(feature | not abuse) - log P(feature | abuse),
    # shrunk towards 0 for features seen in few lines: a score sums both likelihoods over the
    # same features and uses only their difference, so scoring a comment takes one lookup a
    # feature instead of two sums.
    log_ratio: dict[str, float] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        fine, abusive = self.log_likelihood[0], self.log_likelihood[1]
        self.log_ratio = {
            feature: (fine[feature] - abusive[feature]) * self._trust(feature) for feature in fine
        }

    def _trust(self, feature: str) -> float:
        lines = self.lines_seen[feature]
        return lines / (lines + EVIDENCE_SHRINK)

    @classmethod
    def train(cls, examples: list[tuple[str, int]]) -> NaiveBayes:
        counts = {0: Counter(), 1: Counter()}
        docs = Counter()
        for text, label in examples:
            docs[label] += 1
            counts[label].update(features(text))  # presence, not frequency
        vocabulary = set(counts[0]) | set(counts[1])
        log_prior = {label: math.log(docs[label] / sum(docs.values())) for label in (0, 1)}
        log_likelihood: dict[int, dict[str, float]] = {}
        log_unseen: dict[int, float] = {}
        for label in (0, 1):
            total = sum(counts[label].values()) + len(vocabulary)
            log_likelihood[label] = {
                feature: math.log((counts[label][feature] + 1) / total) for feature in vocabulary
            }
            log_unseen[label] = math.log(1 / total)
        lines_seen = dict(counts[0] + counts[1])
        return cls(log_prior, log_likelihood, log_unseen, lines_seen)

    def probability(self, text: str) -> float:
        """P(abuse | text)."""
        ratio = self.log_ratio
        present = [feature for feature in features(text) if feature in ratio]
        if not present:
            return 0.0
        # Overlapping n-grams are far from independent, so a raw naive Bayes sum is wildly
        # over-confident on long texts; dividing by the square root of the evidence count tempers
        # it into a usable score without changing which way it leans.
        prior = self.log_prior[0] - self.log_prior[1]
        evidence = sum(map(ratio.__getitem__, present))
        margin = max(-50.0, min(50.0, prior + evidence / math.sqrt(len(present))))
        return 1 / (1 + math.exp(margin))


def load_examples(path: Path = DATA) -> list[tuple[str, int]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [(row["text"], int(row["abuse"])) for row in csv.DictReader(handle)]


def split(examples: list[tuple[str, int]]) -> tuple[list, list]:
    """Every fifth line is held out: deterministic, and the file is shuffled once when written."""
    held_out = [example for i, example in enumerate(examples) if i % 5 == 0]
    training = [example for i, example in enumerate(examples) if i % 5 != 0]
    return training, held_out


@cache
def model() -> NaiveBayes:
    return NaiveBayes.train(load_examples())


@dataclass(frozen=True)
class Evaluation:
    threshold: float
    precision: float
    recall: float
    true_positives: int
    false_positives: int
    false_negatives: int
    held_out: int


def evaluate(threshold: float = HOLD_AT) -> Evaluation:
    training, held_out = split(load_examples())
    trained = NaiveBayes.train(training)
    tp = fp = fn = 0
    for text, label in held_out:
        flagged = trained.probability(text) >= threshold
        tp += flagged and label == 1
        fp += flagged and label == 0
        fn += (not flagged) and label == 1
    return Evaluation(
        threshold=threshold,
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0,
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        held_out=len(held_out),
    )


_REAL_WORD = re.compile(r"[^\W\d_]{2,}")


def abuse(ctx: ScoringContext) -> float | None:
    # Too little text to judge ("c213", "Well said."): abstain; the word rules still apply.
    if len(_REAL_WORD.findall(ctx.text.folded)) < 3:
        return None
    return model().probability(ctx.submission.body)


def register_scorer() -> None:
    register(
        "abuse_model",
        abuse,
        hold_at=HOLD_AT,
        ask_first=True,
        reason="reads like a personal attack on someone",
    )
