"""The programme report: the P&C chapter per gemeente and programme as a static HTML site,
generated from the published marts (read-only) after every publish. It formats what the
marts hold and computes no figure of its own. See docs/report.md."""

from .site import Report, build_report

__all__ = ["Report", "build_report"]
