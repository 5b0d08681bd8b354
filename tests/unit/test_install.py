"""The wheel carries the bundled briefs and themes, and finds them outside the repo."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_wheel_finds_bundled_files_outside_the_repo(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = dist.glob("briefing-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "briefing/_bundled/briefs/russia-turkey.yaml" in names
    assert "briefing/_bundled/themes/briefing-dark.yaml" in names
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(target),
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "XDG_CONFIG_HOME": str(tmp_path / "c"),
    }
    code = (
        "import briefing, sys; from briefing.cli import main; "
        "assert briefing.__file__.startswith(sys.argv[1]), briefing.__file__; "
        "sys.exit(main(['briefs']))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "russia-turkey" in out and "visit" in out and "daily" in out
