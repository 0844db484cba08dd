"""Suggested category from the description: keywords of the taxonomy first, then a multinomial naive Bayes
over character bigrams learnt from the district's own past dispatch decisions (plain Python)."""

import math
import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

from civicgrid.cases.models import Case, Category

TRAIN_LIMIT = 20_000
CACHE_SECONDS = 600
_lock = threading.Lock()
_cache: dict = {"model": None, "at": 0.0}


def grams(text: str) -> list[str]:
    chars = [c for c in text if not c.isspace()]
    return [a + b for a, b in zip(chars, chars[1:], strict=False)] + chars


@dataclass
class Suggestion:
    category: Category
    source: str  # "keywords" or "learned"
    score: float


class NaiveBayes:
    def __init__(self, alpha: float = 0.5):
        self.alpha = alpha
        self.counts: dict[int, Counter] = defaultdict(Counter)
        self.totals: Counter = Counter()
        self.docs: Counter = Counter()
        self.vocab: set[str] = set()

    def fit(self, samples: list[tuple[str, int]]) -> "NaiveBayes":
        for text, label in samples:
            features = grams(text)
            self.counts[label].update(features)
            self.totals[label] += len(features)
            self.docs[label] += 1
            self.vocab.update(features)
        return self

    def predict(self, text: str) -> tuple[int | None, float]:
        if not self.docs:
            return None, 0.0
        n_docs, v = sum(self.docs.values()), len(self.vocab) + 1
        features = grams(text)
        scores = {}
        for label, docs in self.docs.items():
            denominator = math.log(self.totals[label] + self.alpha * v)
            counts = self.counts[label]
            scores[label] = math.log(docs / n_docs) + sum(math.log(counts[f] + self.alpha) - denominator
                                                          for f in features)
        best = max(scores, key=scores.__getitem__)
        top = scores[best]
        probability = 1 / sum(math.exp(s - top) for s in scores.values())
        return best, probability


def history(limit: int = TRAIN_LIMIT) -> list[tuple[str, int]]:
    """Past dispatch decisions: the description and the category the dispatcher kept."""
    rows = (Case.objects.filter(first_dispatched_at__isnull=False, category__isnull=False)
            .order_by("-first_dispatched_at").values_list("description", "category_id")[:limit])
    return [(text, label) for text, label in rows]


def model() -> NaiveBayes:
    with _lock:
        if _cache["model"] is None or time.monotonic() - _cache["at"] > CACHE_SECONDS:
            _cache.update(model=NaiveBayes().fit(history()), at=time.monotonic())
        return _cache["model"]


def forget() -> None:
    with _lock:
        _cache.update(model=None, at=0.0)


def by_keywords(text: str, cats: list[Category]) -> tuple[Category | None, int]:
    best, hits = None, 0
    for category in cats:
        count = sum(1 for word in category.keyword_list() if word in text)
        if count > hits:
            best, hits = category, count
    return best, hits


def active_subcategories() -> list[Category]:
    return list(Category.objects.filter(active=True, parent__isnull=False).select_related("parent", "default_unit"))


def suggest(text: str, cats: list[Category] | None = None) -> Suggestion | None:
    """Pass `cats` (active_subcategories()) when suggesting for many cases at once."""
    cats = cats if cats is not None else active_subcategories()
    category, hits = by_keywords(text, cats)
    if category is not None:
        return Suggestion(category, "keywords", float(hits))
    label, probability = model().predict(text)
    found = next((c for c in cats if c.pk == label), None)
    return Suggestion(found, "learned", probability) if found else None


@dataclass
class Accuracy:
    samples: int
    held_out: int
    keywords: float
    learned: float
    combined: float


def accuracy(*, holdout: float = 0.2, seed: int = 7, limit: int = TRAIN_LIMIT) -> Accuracy:
    """Train on part of the history, score the rest: keywords alone, the learned model alone, and both
    (keywords first, as `suggest` does)."""
    samples = history(limit)
    random.Random(seed).shuffle(samples)
    cut = int(len(samples) * (1 - holdout))
    train, test = samples[:cut], samples[cut:]
    if not test:
        return Accuracy(len(samples), 0, 0.0, 0.0, 0.0)
    learnt = NaiveBayes().fit(train)
    cats = list(Category.objects.filter(active=True, parent__isnull=False))
    hits: Counter[str] = Counter()
    for text, label in test:
        by_kw, _ = by_keywords(text, cats)
        by_nb, _p = learnt.predict(text)
        hits["keywords"] += by_kw is not None and by_kw.pk == label
        hits["learned"] += by_nb == label
        hits["combined"] += (by_kw.pk if by_kw else by_nb) == label
    n = len(test)
    return Accuracy(len(samples), n, hits["keywords"] / n, hits["learned"] / n, hits["combined"] / n)
