"""The native module: the library's operations (``escalation_ladder::ops``)
for the package. Not for use on its own: the package's functions turn Python
values into these arguments and the answers back."""

import os
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import numpy.typing as npt

__version__: str

class Registry:
    """``ops::Registry``: the built-in procedures and calendars, the
    caller's own procedures, extra bank holidays and closures."""

    def __init__(
        self,
        region: Optional[str] = None,
        ladder_files: Sequence["os.PathLike[str] | str"] = ...,
        ladder_texts: Sequence[Tuple[str, str, bool]] = ...,
        holiday_files: Sequence["os.PathLike[str] | str"] = ...,
        holidays: Sequence[Tuple[str, Optional[str]]] = ...,
        closures: Sequence[Tuple[str, Optional[str]]] = ...,
    ) -> None: ...
    @property
    def warnings(self) -> List[str]: ...
    @property
    def region(self) -> Optional[str]: ...
    @property
    def own(self) -> List[str]: ...
    def call(
        self,
        operation: str,
        request: bytes,
        payload: Optional[bytes] = None,
        route_id: Optional[str] = None,
    ) -> Tuple[str, bytes]: ...
    def add_working_days(
        self,
        days: npt.NDArray[np.int64],
        n: npt.NDArray[np.int64],
        region: Optional[str] = None,
    ) -> npt.NDArray[np.int64]: ...
    def count_working_days(
        self,
        start: npt.NDArray[np.int64],
        end: npt.NDArray[np.int64],
        region: Optional[str] = None,
    ) -> npt.NDArray[np.int64]: ...

def parse_dates(texts: List[Optional[str]], field: str) -> npt.NDArray[np.int64]: ...
def _register_errors(classes: Dict[str, type]) -> None: ...
def invalid_value(field: str, expected: str, found: str) -> BaseException: ...
def error_class(code: str) -> str: ...
