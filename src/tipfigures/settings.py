"""Where things live: the project's folders and the state folder Prefect and caches use."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# the held-out gold every release is measured on, under the checkout (tipfigures.quality)
HELDOUT_GOLD = "tests/gold/heldout"


def project_root() -> Path:
    """The checkout this package runs from (the folder with pyproject.toml), else the cwd."""
    for candidate in (Path.cwd(), *Path.cwd().parents):
        if (candidate / "pyproject.toml").exists() and (candidate / "schemas").is_dir():
            return candidate
    for candidate in PACKAGE_DIR.parents:
        if (candidate / "pyproject.toml").exists() and (candidate / "schemas").is_dir():
            return candidate
    return Path.cwd()


def schemas_dir() -> Path:
    return Path(os.environ.get("TIPFIGURES_SCHEMAS", project_root() / "schemas"))


def corrections_dir(sources_dir: Path) -> Path:
    """corrections/ sits beside sources/."""
    return Path(sources_dir).resolve().parent / "corrections"


def state_dir() -> Path:
    """Ignored folder for Prefect's home, its results and caches."""
    return Path(os.environ.get("TIPFIGURES_STATE", project_root() / ".state"))


def results_dir() -> Path:
    """Where Prefect keeps task results: the extraction cache."""
    return Path(os.environ.get("PREFECT_RESULTS_LOCAL_STORAGE_PATH",
                               state_dir() / "prefect" / "results"))


def results_cached() -> bool:
    """Whether any task result is stored (an empty cache: every extraction must run)."""
    try:
        return any(results_dir().iterdir())
    except OSError:
        return False


def configure_prefect_environment() -> None:
    """Point Prefect at the project's state folder and turn telemetry off, before importing it.

    Values the user already set win.
    """
    state = state_dir()
    defaults = {
        "PREFECT_HOME": str(state / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_RESULTS_LOCAL_STORAGE_PATH": str(results_dir()),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_UI_ENABLED": "false",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
