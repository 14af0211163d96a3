"""Which weights serve: the hand-set baseline, or the latest adopted trained weights.

Trained weights are a small JSON file under ``settings.MATCHING_MODEL_DIR`` (default
``var/models``). A file is loaded only if its sha256 equals the checksum on an adopted
``ModelVersion`` row this project wrote; JSON needs no unpickling, so nothing runs on load.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from pathlib import Path

from django.conf import settings

from . import features as F

logger = logging.getLogger(__name__)
CACHE_SECONDS = 60
_cache: dict = {}


def model_dir() -> Path:
    return Path(getattr(settings, "MATCHING_MODEL_DIR", settings.BASE_DIR / "var" / "models"))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_weights(version: int, weights: dict[str, float]) -> tuple[str, str]:
    """Write weights as JSON; returns (file name, sha256)."""
    directory = model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"matching-weights-v{version}.json"
    path = directory / name
    path.write_text(json.dumps({"version": version, "weights": weights}, indent=2, sort_keys=True))
    return name, sha256_of(path)


def valid_weights(data) -> dict[str, float] | None:
    weights = data.get("weights") if isinstance(data, dict) else None
    if not isinstance(weights, dict) or set(weights) != set(F.FACTORS):
        return None
    if not all(isinstance(v, (int, float)) and 0 <= v < 1000 for v in weights.values()):
        return None
    return {f: float(weights[f]) for f in F.FACTORS}


def load_adopted() -> tuple[dict[str, float], int | None]:
    from ..models import ModelVersion

    row = ModelVersion.objects.filter(adopted=True).order_by("-version").first()
    if row is None:
        return dict(F.DEFAULT_WEIGHTS), None
    path = model_dir() / Path(row.filename).name  # a bare name: never a path from the database
    if not path.is_file() or sha256_of(path) != row.checksum:
        logger.warning(
            "matching: weights file for v%s is missing or its checksum differs; using hand-set weights", row.version
        )
        return dict(F.DEFAULT_WEIGHTS), None
    weights = valid_weights(json.loads(path.read_text()))
    if weights is None:
        logger.warning("matching: weights file for v%s is malformed; using hand-set weights", row.version)
        return dict(F.DEFAULT_WEIGHTS), None
    return weights, row.version


def serving_weights() -> tuple[dict[str, float], int | None]:
    """The weights ranking uses now, re-checked at most once a minute per process."""
    if not _cache or time.monotonic() - _cache["at"] > CACHE_SECONDS:
        weights, version = load_adopted()
        _cache.update(at=time.monotonic(), weights=weights, version=version)
    return dict(_cache["weights"]), _cache["version"]


def reset_cache() -> None:
    _cache.clear()
