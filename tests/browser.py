"""Headless Chromium for the picture tests and the benchmark: one browser, driven through
Selenium and chromedriver from Debian's packages, with DevTools performance logging so a
test can see every request a page made.

Start it with :meth:`Browser.start` (or :func:`start_or_skip` in tests); open a page with
:meth:`Browser.open`, which waits until vis-network has drawn it.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMEDRIVER = ("/usr/bin/chromedriver",)
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-sync",
    "--disable-default-apps",
    "--metrics-recording-only",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    # nothing may leave the machine: every host name fails to resolve
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
)


def find_chromium() -> tuple[str, str] | None:
    """(chromium, chromedriver) paths, or None if either is missing."""
    chrome = next((p for p in CHROMIUM if os.access(p, os.X_OK)), shutil.which("chromium"))
    driver = next((p for p in CHROMEDRIVER if os.access(p, os.X_OK)), shutil.which("chromedriver"))
    if chrome and driver:
        return chrome, driver
    return None


@dataclass
class Loaded:
    """What opening a page gave: its URL, how long it took to draw, and its requests."""

    url: str
    ready_ms: float  # navigation start -> first complete drawing, as the page measured it
    wall_s: float  # get() + wait, as the test saw it
    requests: list[str]


class Browser:
    """One headless Chromium, reused for every page of a test session."""

    def __init__(self, driver: Any, profile: str) -> None:
        self.driver = driver
        self._profile = profile

    @classmethod
    def start(cls, *, width: int = 1600, height: int = 1000) -> Browser:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        found = find_chromium()
        if found is None:
            raise RuntimeError("chromium and chromedriver are not installed")
        chrome, driver_path = found
        profile = tempfile.mkdtemp(prefix="orgraph-chromium-")
        opts = webdriver.ChromeOptions()
        opts.binary_location = chrome
        for flag in FLAGS:
            opts.add_argument(flag)
        opts.add_argument(f"--user-data-dir={profile}")
        opts.add_argument(f"--window-size={width},{height}")
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        try:
            drv = webdriver.Chrome(service=Service(driver_path), options=opts)
        except Exception:
            shutil.rmtree(profile, ignore_errors=True)
            raise
        drv.set_page_load_timeout(60)
        drv.set_script_timeout(60)
        return cls(drv, profile)

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ pages
    def requests(self) -> list[str]:
        """URLs of every request since the last call (DevTools Network events)."""
        urls = []
        for entry in self.driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg.get("method") == "Network.requestWillBeSent":
                urls.append(msg["params"]["request"]["url"])
        return urls

    def open(self, path: str | Path, *, timeout: float = 30.0) -> Loaded:
        """Load a page from disk and wait until vis-network has drawn it."""
        self.requests()  # drop what came before
        self.driver.get("about:blank")
        url = Path(path).resolve().as_uri()
        t0 = time.perf_counter()
        self.driver.get(url)
        deadline = t0 + timeout
        while not self.js("return !!(window.orgraph && window.orgraph.ready)"):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{url} did not finish drawing in {timeout} s")
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        ready = float(self.js("return window.orgraph.readyAt"))
        return Loaded(url, ready, wall, self.requests())

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def js_async(self, script: str, *args: Any) -> Any:
        """Run ``script``; it reports by calling its last argument (Selenium's callback)."""
        return self.driver.execute_async_script(script, *args)

    def screenshot(self) -> bytes:
        return self.driver.get_screenshot_as_png()

    def console_errors(self) -> list[str]:
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]


# ---------------------------------------------------------------------- PNG, stdlib only
def png_pixels(png: bytes) -> tuple[int, int, int, bytes]:
    """(width, height, channels, raw pixel bytes) of an 8-bit, non-interlaced PNG."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, []
    width = height = channels = 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        body = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or interlace:
                raise ValueError("only 8-bit non-interlaced PNGs are read")
            channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    data = zlib.decompress(b"".join(idat))
    stride = width * channels
    out = bytearray(height * stride)
    prev = bytearray(stride)
    for y in range(height):
        f = data[y * (stride + 1)]
        line = bytearray(data[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        out[y * stride : (y + 1) * stride] = line
        prev = line
    return width, height, channels, bytes(out)


def png_stats(png: bytes, *, step: int = 3) -> dict[str, float]:
    """Grey-level spread of a screenshot: mean, variance and how many distinct colours it
    has (sampling every ``step``-th pixel). A blank page has variance ~0 and 1 colour."""
    width, height, ch, px = png_pixels(png)
    greys, colours = [], set()
    for y in range(0, height, step):
        row = y * width * ch
        for x in range(0, width, step):
            i = row + x * ch
            rgb = px[i : i + 3] if ch >= 3 else px[i : i + 1] * 3
            colours.add(bytes(rgb))
            greys.append((rgb[0] * 299 + rgb[1] * 587 + rgb[2] * 114) / 1000)
    mean = sum(greys) / len(greys)
    var = sum((g - mean) ** 2 for g in greys) / len(greys)
    dark = sum(1 for g in greys if g < 200) / len(greys)
    return {
        "width": width,
        "height": height,
        "mean": mean,
        "variance": var,
        "colours": len(colours),
        "dark_share": dark,
    }
