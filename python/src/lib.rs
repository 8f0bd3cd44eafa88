//! `escalation_ladder._native`: the Python package's door onto the library's
//! operations (`escalation_ladder::ops`).
//!
//! The door holds no rule of its own. A [`Registry`] is made by
//! `ops::Registry::new` from the files and days the caller gives (files read
//! by `sources::Sources`, as the command line and the HTTP service read
//! them); every engine, procedure and report operation is `ops::call_at`,
//! the JSON entry point the C ABI's `el_call` is; the working-day arrays take
//! their calendar once from `ops::working_calendar` (the region's default and
//! check, as `ops::add_working_days` takes it) and ask it for each pair, so
//! each answer is the calendar's own. Errors are the operations' documents,
//! raised as the package's exception for the code's class
//! (`contract::ErrorClass`); a panic is caught and raised as `python.panic`.
//!
//! The Python package (`escalation_ladder/__init__.py`) turns Python values
//! into these arguments (dates into `datetime64[D]` arrays, dicts into JSON)
//! and the answers back (JSON into dicts); it decides nothing either.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use escalation_ladder::calendar::{BankHoliday, HolidayKind};
use escalation_ladder::chrono::{Datelike, NaiveDate};
use escalation_ladder::contract::{ErrorClass, ErrorDocument};
use escalation_ladder::ladder::Procedure;
use escalation_ladder::ops::{
    self, Closure, HolidaySource, Operation, RequestText, Setup, CLOSURE_REASON, HOLIDAY_NAME,
};
use escalation_ladder::sources::{self, Sources};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict};

/// `NaiveDate::num_days_from_ce` of 1970-01-01, the epoch of
/// `datetime64[D]`.
const EPOCH_FROM_CE: i64 = 719_163;

/// The package's exception classes by the name of an error class, registered
/// once by the package at import (`_register_errors`).
static ERRORS: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

/// The name the package registers an error class's exception under.
fn class_name(class: ErrorClass) -> &'static str {
    match class {
        ErrorClass::Invalid => "invalid",
        ErrorClass::NotFound => "not-found",
        ErrorClass::Conflict => "conflict",
        ErrorClass::Refused => "refused",
        ErrorClass::Internal => "internal",
        _ => "other",
    }
}

/// An error document as the package's exception: `cls(code, message,
/// fields)`, the class chosen by the code's class.
fn py_error(py: Python<'_>, doc: &ErrorDocument) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let fields = serde_json::to_string(&doc.fields).unwrap_or_else(|_| "{}".into());
        let fields = py.import("json")?.call_method1("loads", (fields,))?;
        let name = class_name(ErrorClass::of(doc.code));
        let class = ERRORS
            .get(py)
            .map(|classes| classes.bind(py).get_item(name))
            .transpose()?
            .flatten();
        match class {
            Some(class) => {
                let error = class.call1((doc.code, doc.message.as_str(), fields))?;
                Ok(PyErr::from_value(error))
            }
            None => Ok(pyo3::exceptions::PyRuntimeError::new_err(format!(
                "{}: {}",
                doc.code, doc.message
            ))),
        }
    };
    build().unwrap_or_else(|e| e)
}

/// Runs `f`, turning a panic into the `python.panic` document (a bug in the
/// library: the call did nothing).
fn guarded<T>(f: impl FnOnce() -> Result<T, ErrorDocument>) -> Result<T, ErrorDocument> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        let mut fields = serde_json::Map::new();
        fields.insert("panic".into(), what.clone().into());
        Err(ErrorDocument::new(
            "python.panic",
            format!("the library failed (a bug; please report it): {what}"),
            fields,
        ))
    })
}

/// A date given as text (`YYYY-MM-DD`), read by the one rule for dates.
fn date(field: &str, text: &str) -> Result<NaiveDate, ErrorDocument> {
    ops::date_value(field, text)
}

/// The procedures, ladders and calendars every call answers with: the
/// built-in procedures and calendars, the caller's own procedures, extra bank
/// holidays and closures, and the division, if one is fixed. Immutable once
/// made, and shared by any number of threads.
#[pyclass(frozen, module = "escalation_ladder._native")]
struct Registry {
    registry: ops::Registry,
    warnings: Vec<String>,
}

/// The text of a procedure given as text: its name for messages, the text,
/// and whether it is JSON (else TOML).
type ProcedureText = (String, String, bool);

/// A day given with an optional name or reason.
type NamedDay = (String, Option<String>);

impl Registry {
    #[allow(clippy::too_many_arguments)]
    fn build(
        region: Option<&str>,
        ladder_files: Vec<PathBuf>,
        ladder_texts: Vec<ProcedureText>,
        holiday_files: Vec<PathBuf>,
        holidays: Vec<NamedDay>,
        closures: Vec<NamedDay>,
    ) -> Result<Registry, ErrorDocument> {
        let region = region
            .map(|r| r.parse().map_err(|e| ErrorDocument::from(&e)))
            .transpose()?;
        // Files are read as the command line and the service read them.
        let sources = Sources {
            ladder_files,
            holidays: holiday_files,
            closures: Vec::new(),
            closure_files: Vec::new(),
            region,
        };
        let Setup {
            procedures,
            holidays: mut holiday_sources,
            ..
        } = sources.setup().map_err(|e| ErrorDocument::from(&e))?;
        let mut named = procedures
            .into_iter()
            .zip(sources.ladder_files.iter().map(|p| sources::label(p)))
            .map(|(procedure, name)| (name, procedure))
            .collect::<Vec<_>>();
        for (name, text, is_json) in ladder_texts {
            let procedure = match is_json {
                true => Procedure::from_json_str(&text, &name),
                false => Procedure::from_toml_str(&text, &name),
            }
            .map_err(|e| ErrorDocument::from(&e))?;
            named.push((name, procedure));
        }
        let procedures =
            sources::distinct_procedures(named).map_err(|e| ErrorDocument::from(&e))?;
        let days = holidays
            .into_iter()
            .map(|(text, name)| {
                Ok(BankHoliday {
                    date: date("holidays", &text)?,
                    name: name.unwrap_or_else(|| HOLIDAY_NAME.to_string()),
                    kind: HolidayKind::Added,
                })
            })
            .collect::<Result<Vec<_>, ErrorDocument>>()?;
        if !days.is_empty() {
            holiday_sources.push(HolidaySource::Days(days));
        }
        let closures = closures
            .into_iter()
            .map(|(text, reason)| {
                Ok(Closure {
                    date: date("closures", &text)?,
                    reason: reason.unwrap_or_else(|| CLOSURE_REASON.to_string()),
                })
            })
            .collect::<Result<Vec<_>, ErrorDocument>>()?;
        let (registry, warnings) = ops::Registry::new(Setup {
            procedures,
            holidays: holiday_sources,
            closures,
            region,
        })?;
        Ok(Registry { registry, warnings })
    }
}

#[pymethods]
impl Registry {
    /// Makes a registry (`ops::Registry::new`): ladder files and holiday
    /// files read as `ladder --ladder-file` and `--holidays` read them,
    /// procedures given as text, extra holidays and closures as
    /// `(YYYY-MM-DD, name or None)` pairs, and the division every procedure
    /// counts in (`None`: each its own).
    #[new]
    #[pyo3(signature = (region=None, ladder_files=Vec::new(), ladder_texts=Vec::new(), holiday_files=Vec::new(), holidays=Vec::new(), closures=Vec::new()))]
    fn new(
        py: Python<'_>,
        region: Option<String>,
        ladder_files: Vec<PathBuf>,
        ladder_texts: Vec<ProcedureText>,
        holiday_files: Vec<PathBuf>,
        holidays: Vec<NamedDay>,
        closures: Vec<NamedDay>,
    ) -> PyResult<Registry> {
        py.detach(|| {
            guarded(|| {
                Registry::build(
                    region.as_deref(),
                    ladder_files,
                    ladder_texts,
                    holiday_files,
                    holidays,
                    closures,
                )
            })
        })
        .map_err(|doc| py_error(py, &doc))
    }

    /// What the adjustments change nothing about (a closure on a day that is
    /// not a working day already), one message each.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// The division fixed for every procedure, if one is.
    #[getter]
    fn region(&self) -> Option<&'static str> {
        self.registry.region().map(|r| r.as_str())
    }

    /// The ids of the caller's own procedures, in the order given.
    #[getter]
    fn own(&self) -> Vec<String> {
        self.registry.own_ids().map(str::to_string).collect()
    }

    /// `ops::call_at`: an operation by name, its request as JSON, the
    /// payload (a cases or procedure file) and the id a request may leave
    /// out; the answer's media type and bytes.
    #[pyo3(signature = (operation, request, payload=None, route_id=None))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        request: &[u8],
        payload: Option<&[u8]>,
        route_id: Option<&str>,
    ) -> PyResult<(&'static str, Bound<'py, PyBytes>)> {
        let answer = py
            .detach(|| {
                guarded(|| {
                    let operation: Operation = operation.parse()?;
                    ops::call_at(
                        &self.registry,
                        operation,
                        route_id,
                        RequestText::Json(request),
                        payload.unwrap_or_default(),
                    )
                })
            })
            .map_err(|doc| py_error(py, &doc))?;
        Ok((
            answer.media_type.content_type(),
            PyBytes::new(py, &answer.body),
        ))
    }

    /// `ops::add_working_days_columns`: the `n[i]`-th working day after
    /// `days[i]` for each `i`, the days as epoch days (`datetime64[D]` viewed
    /// as `int64`), on the calendar of `region` (`None`: the registry's fixed
    /// division, else England and Wales). The two arrays are 1-dimensional,
    /// of one length or one of them of one element (the package broadcasts
    /// and flattens them first); `NaT` gives `NaT`.
    #[pyo3(signature = (days, n, region=None))]
    fn add_working_days<'py>(
        &self,
        py: Python<'py>,
        days: PyReadonlyArray1<'py, i64>,
        n: PyReadonlyArray1<'py, i64>,
        region: Option<&str>,
    ) -> PyResult<Bound<'py, PyArray1<i64>>> {
        let (days, n) = (contiguous(py, &days)?, contiguous(py, &n)?);
        let out = py
            .detach(|| guarded(|| ops::add_working_days_columns(&self.registry, region, days, n)))
            .map_err(|doc| py_error(py, &doc))?;
        Ok(out.into_pyarray(py))
    }

    /// `ops::count_working_days_columns`: the working days in (`start[i]`,
    /// `end[i]`] for each `i`, on the calendar of `region`; the arrays as
    /// for `add_working_days`. `NaT` is refused (a count has no missing
    /// value).
    #[pyo3(signature = (start, end, region=None))]
    fn count_working_days<'py>(
        &self,
        py: Python<'py>,
        start: PyReadonlyArray1<'py, i64>,
        end: PyReadonlyArray1<'py, i64>,
        region: Option<&str>,
    ) -> PyResult<Bound<'py, PyArray1<i64>>> {
        let (start, end) = (contiguous(py, &start)?, contiguous(py, &end)?);
        let out = py
            .detach(|| {
                guarded(|| ops::count_working_days_columns(&self.registry, region, start, end))
            })
            .map_err(|doc| py_error(py, &doc))?;
        Ok(out.into_pyarray(py))
    }
}

/// A 1-dimensional array's elements, which the package makes contiguous.
fn contiguous<'a>(py: Python<'_>, array: &'a PyReadonlyArray1<'_, i64>) -> PyResult<&'a [i64]> {
    array.as_slice().map_err(|_| {
        py_error(
            py,
            &internal("an array the package gives is not contiguous"),
        )
    })
}

/// A date as its `datetime64[D]` day number (days since 1970-01-01).
fn to_day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - EPOCH_FROM_CE
}

/// `document` about the element at flat position `index` (in C order) of
/// an array: the message says so, and `fields.index` holds it.
fn at_index(mut document: ErrorDocument, index: usize) -> ErrorDocument {
    document.message = format!("element {index}: {}", document.message);
    document.fields.insert("index".into(), index.into());
    document
}

/// A bug in this door: `internal.write`, the library's code for an answer
/// that could not be written.
fn internal(what: &str) -> ErrorDocument {
    ErrorDocument::new(
        "internal.write",
        format!("cannot write the answer: {what}"),
        serde_json::Map::new(),
    )
}

/// Dates given as text, read by the one rule for dates (`YYYY-MM-DD`, a
/// real day; `ops::date_value`), as epoch days (`datetime64[D]` viewed as
/// `int64`); `None` is `NaT` (`ops::MISSING_DAY`). An error names `field`
/// and the element's position.
#[pyfunction]
fn parse_dates<'py>(
    py: Python<'py>,
    texts: Vec<Option<String>>,
    field: &str,
) -> PyResult<Bound<'py, PyArray1<i64>>> {
    let mut out = Vec::with_capacity(texts.len());
    for (index, text) in texts.iter().enumerate() {
        let day = match text {
            None => ops::MISSING_DAY,
            Some(text) => to_day(date(field, text).map_err(|e| py_error(py, &at_index(e, index)))?),
        };
        out.push(day);
    }
    Ok(out.into_pyarray(py))
}

/// Registers the package's exception classes, by the name of each error
/// class (`invalid`, `not-found`, `conflict`, `refused`, `internal`,
/// `other`): the native module raises them from then on.
#[pyfunction]
fn _register_errors(py: Python<'_>, classes: Bound<'_, PyDict>) -> PyResult<()> {
    let _ = ERRORS.set(py, classes.unbind());
    Ok(())
}

/// The exception for a value the caller gave that cannot be taken
/// (`request.invalid-value`, `ops::invalid_value`): what the package raises
/// for an argument it cannot turn into a request.
#[pyfunction]
fn invalid_value<'py>(
    py: Python<'py>,
    field: &str,
    expected: &str,
    found: &str,
) -> Bound<'py, pyo3::exceptions::PyBaseException> {
    py_error(py, &ops::invalid_value(field, expected, found))
        .into_value(py)
        .into_bound(py)
}

/// The class of an error code (`contract::ErrorClass::of`), by the name the
/// package registers its exception under.
#[pyfunction]
fn error_class(code: &str) -> &'static str {
    class_name(ErrorClass::of(code))
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Registry>()?;
    module.add_function(wrap_pyfunction!(_register_errors, module)?)?;
    module.add_function(wrap_pyfunction!(invalid_value, module)?)?;
    module.add_function(wrap_pyfunction!(error_class, module)?)?;
    module.add_function(wrap_pyfunction!(parse_dates, module)?)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
