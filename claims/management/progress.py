"""Progress bars for the management commands: the services' Progress drawn by tqdm, a bar per stage."""

from __future__ import annotations

from tqdm import tqdm

from claims.services.jobs import Progress


class BarProgress(Progress):
    def __init__(self, *, file=None, disable: bool = False) -> None:
        super().__init__()
        self.file, self.disable = file, disable
        self.bar: tqdm | None = None

    def show(self, *, new_stage: bool) -> None:
        if new_stage:
            self.close()
            unit = "B" if self.name.startswith("Reading") else "article"
            self.bar = tqdm(total=self.total, desc=self.name, unit=unit, unit_scale=unit == "B", file=self.file,
                            disable=self.disable)  # fmt: skip
        elif self.bar is not None:
            self.bar.update(self.done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> BarProgress:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
