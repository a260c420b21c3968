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
