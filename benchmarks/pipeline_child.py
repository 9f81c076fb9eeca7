"""What benchmarks/pipeline.py times in a process of its own.

    python benchmarks/pipeline_child.py corpus N SOURCES TARGET   replicate SOURCES N times
    python benchmarks/pipeline_child.py plain SOURCES OUTPUT      the pipeline without Prefect

`plain` prints one JSON line: the seconds of each stage.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from contextlib import nullcontext
from pathlib import Path


def make_corpus(count: int, sources: Path, target: Path) -> None:
    """`count` source folders: the real texts of `sources` replicated under distinct ids."""
    import yaml

    originals = sorted(p for p in sources.iterdir()
                       if p.is_dir() and (p / "source.yaml").is_file())
    target.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        original = originals[index % len(originals)]
        source_id = f"{original.name}-r{index:05d}"
        folder = target / source_id
        folder.mkdir()
        shutil.copyfile(original / "text.txt", folder / "text.txt")
        metadata = yaml.safe_load((original / "source.yaml").read_text(encoding="utf-8"))
        metadata["id"] = source_id
        metadata.pop("origin", None)
        (folder / "source.yaml").write_text(yaml.safe_dump(metadata, sort_keys=False,
                                                           allow_unicode=True), encoding="utf-8")


def plain(sources: Path, output: Path) -> dict[str, float]:
    """tipfigures.pipeline.run's stages, timed one by one."""
    started = time.perf_counter()
    from tipfigures import parallel, pipeline, settings
    from tipfigures.publish import publish
    from tipfigures.sources import load_sources

    times = {"import": time.perf_counter() - started}
    mark = time.perf_counter()
    loaded = load_sources(sources)
    times["load"] = time.perf_counter() - mark
    # as `tipfigures run`: one pool of workers for the run (a checkout without it: none)
    run_workers = getattr(parallel, "run_workers", None)
    with run_workers(parallel.processes_for(loaded)) if run_workers else nullcontext():
        mark = time.perf_counter()
        extractions = parallel.extract_sources(loaded)  # as the flow: on every core when large
        times["extract"] = time.perf_counter() - mark
        mark = time.perf_counter()
        folder = settings.corrections_dir(sources)
        tables, problems = pipeline.build(loaded, extractions, folder)
        times["build"] = time.perf_counter() - mark
        mark = time.perf_counter()
        result = publish(tables, output, inputs=pipeline.recorded_inputs(loaded, folder),
                         checks=problems)
        times["publish"] = time.perf_counter() - mark
    assert result.status == "published", result.status
    return times


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "corpus":
        make_corpus(int(args[0]), Path(args[1]), Path(args[2]))
    elif command == "plain":
        # ended as the `tipfigures` command ends (tipfigures.quick_exit), so that both are
        # timed alike (an older checkout measured with --code: Python's normal exit)
        try:
            from tipfigures import quick_exit
        except ImportError:
            quick_exit = None
        if quick_exit:
            quick_exit.install()
        print(json.dumps(plain(Path(args[0]), Path(args[1]))))
        if quick_exit:
            quick_exit.finished(0)
    else:
        sys.exit(f"unknown command {command!r}")
