"""Entry point of the `refresh` flow for Prefect deployments (prefect.yaml).

The flow itself lives in the package (tipfigures.flows) so that the CLI runs the same object.
"""

from tipfigures.flows import refresh_flow as refresh

__all__ = ["refresh"]

if __name__ == "__main__":
    refresh()
