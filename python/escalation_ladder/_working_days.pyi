"""Types of the working-day functions: an answer takes the form of the
question (an array, a pandas Series or Index, a date, a scalar)."""

import datetime
from typing import Any, Dict, Optional, Tuple, Union, overload

import numpy as np
import numpy.typing as npt

from ._registry import Days

__all__ = ["add_working_days", "count_working_days", "bank_holidays", "explain"]

DateLike = Any
Years = Union[int, range, Tuple[int, int]]

@overload
def add_working_days(
    dates: np.datetime64, n: int, *, region: Optional[str] = ..., holidays: Days = ..., closures: Days = ...
) -> np.datetime64: ...
@overload
def add_working_days(
    dates: Union[datetime.date, str], n: int, *, region: Optional[str] = ..., holidays: Days = ..., closures: Days = ...
) -> datetime.date: ...
@overload
def add_working_days(
    dates: DateLike, n: Any, *, region: Optional[str] = ..., holidays: Days = ..., closures: Days = ...
) -> Any: ...
@overload
def count_working_days(
    start: Union[datetime.date, str, np.datetime64],
    end: Union[datetime.date, str, np.datetime64],
    *,
    region: Optional[str] = ...,
    holidays: Days = ...,
    closures: Days = ...,
) -> int: ...
@overload
def count_working_days(
    start: DateLike, end: DateLike, *, region: Optional[str] = ..., holidays: Days = ..., closures: Days = ...
) -> Any: ...
def bank_holidays(region: Optional[str] = ..., years: Years = ...) -> Dict[str, npt.NDArray[Any]]: ...
def explain(
    date: DateLike, n: int, *, region: Optional[str] = ..., holidays: Days = ..., closures: Days = ...
) -> Dict[str, Any]: ...
