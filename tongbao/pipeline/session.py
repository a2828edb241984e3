"""The session: what a command keeps across the builds it runs, made by the command line
or the preview server and passed in. Nothing module-level changes what a build does:
a build without a session keeps nothing; the preview server's session keeps the
products in memory (cache.Kept) and warm SVG worker processes between its rebuilds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..cache import Cache, Kept, project_cache
from ..charts.svg import KeptPool


@dataclass(frozen=True)
class Session:
    kept: Kept | None = None  # products kept in memory between builds
    workers: KeptPool | None = None  # SVG workers kept warm between builds
    # the preview's quick path: Jinja environments by (root, what the pages share)
    environments: dict = field(default_factory=dict, compare=False)

    @classmethod
    def kept_between_builds(cls) -> Session:
        """A long-running process's (the preview server): start the workers now."""
        session = cls(Kept(), KeptPool())
        assert session.workers is not None
        session.workers.warm()
        return session

    def cache(self, root: Path, *, use_cache: bool = True) -> Cache:
        return project_cache(root, use_cache=use_cache, kept=self.kept)

    def close(self) -> None:
        if self.workers is not None:
            self.workers.drop()


ONE_SHOT = Session()  # the command line's: every build starts afresh
