"""`policybot teams package`: the Teams app package (manifest with your app id, and the icons) as a zip."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path

from bot.cli.common import fail

MANIFEST_DIR = Path(__file__).resolve().parents[2] / "deploy" / "teams"
ICON_SIZES = {"color.png": 192, "outline.png": 32}  # what Teams requires


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    return struct.unpack(">II", data[16:24])


def build_package(app_id: str, out: Path, source: Path = MANIFEST_DIR) -> Path:
    if not app_id:
        raise ValueError("MICROSOFT_APP_ID (or --app-id) is required: it is the bot id in the manifest")
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    text = json.dumps(manifest, indent=2).replace("{{MICROSOFT_APP_ID}}", app_id)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", text)
        for name, size in ICON_SIZES.items():
            data = (source / name).read_bytes()
            if png_size(data) != (size, size):
                raise ValueError(f"{name} must be {size}x{size} pixels")
            archive.writestr(name, data)
    return out


def draw_icons(target: Path = MANIFEST_DIR) -> None:
    """Draw the two icons (a speech bubble with a check mark), in plain Python."""
    target.joinpath("color.png").write_bytes(_png(192, _color_pixel))
    target.joinpath("outline.png").write_bytes(_png(32, _outline_pixel))


def _near_segment(x: float, y: float, a: tuple[float, float], b: tuple[float, float], width: float) -> bool:
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = max(0.0, min(1.0, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy)))
    return (x - a[0] - t * dx) ** 2 + (y - a[1] - t * dy) ** 2 < width * width


def _inside_mark(x: float, y: float) -> tuple[bool, bool]:
    bubble = (0.12 <= x <= 0.88 and 0.15 <= y <= 0.70) or (0.25 <= x <= 0.40 and 0.70 <= y <= 0.85 - (x - 0.25))
    check = _near_segment(x, y, (0.30, 0.42), (0.45, 0.56), 0.045) or _near_segment(
        x, y, (0.45, 0.56), (0.70, 0.28), 0.045
    )
    return bubble, check


def _color_pixel(x: float, y: float) -> tuple[int, int, int, int]:
    bubble, check = _inside_mark(x, y)
    if check and bubble:
        return (255, 255, 255, 255)
    return (29, 53, 87, 255) if bubble else (230, 57, 70, 255)


def _outline_pixel(x: float, y: float) -> tuple[int, int, int, int]:
    bubble, check = _inside_mark(x, y)
    edge = bubble and not _inside_mark(x * 0.9 + 0.05, y * 0.9 + 0.04)[0]
    return (255, 255, 255, 255) if (check or edge) else (0, 0, 0, 0)


def _png(size: int, pixel) -> bytes:
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel((i + 0.5) / size, (j + 0.5) / size)) for i in range(size)) for j in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def package_command(app_id: str, out: Path, source: Path | None) -> None:
    """`policybot teams package`."""
    try:
        print(f"wrote {build_package(app_id, out, source or MANIFEST_DIR)}")
    except (OSError, ValueError) as error:
        fail(error)
