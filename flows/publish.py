"""Entry point of the `publish` flow for Prefect deployments (prefect.yaml).

The flow itself lives in the package (tipfigures.flows) so that the CLI runs the same object.
"""

from tipfigures.flows import publish_flow as publish

__all__ = ["publish"]

if __name__ == "__main__":
    publish()
