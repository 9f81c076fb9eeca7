"""tipfigures: figures about human trafficking, from report text to a versioned open dataset."""

__version__ = "0.1.0"

DATASET_NAME = "trafficking-figures"


def load(resource: str, version: str = "latest", source: str | None = None, **options):
    """Read one resource of a published version as a pandas DataFrame (see tipfigures.download)."""
    from tipfigures.download import load as _load

    return _load(resource, version=version, source=source, **options)
