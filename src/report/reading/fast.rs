//! The common shape of a cases-file line, read without serde.
//!
//! Nearly every line of a case system's export is one object with the record's
//! fields and its events as the JSON contract writes them: strings without
//! escapes, `null` for an optional field left empty, and `"schema_version":1`.
//! This scanner reads exactly that shape, borrowing the texts from the line,
//! and gives up (`None`) on anything else: an escape, any other number (a
//! version this reader does not read, a fraction, a leading zero), `null` for a
//! required field, a nested object (`meta` other than `null`), an unknown or repeated key, a
//! missing field, a date or text the event reader would refuse, invalid UTF-8,
//! anything after the object. The caller then reads the line with serde, which
//! accepts what it should and words every error, so the result of a line never
//! depends on which reader took it.

use std::borrow::Cow;

use crate::engine::EventFromStrings;
use crate::version::{SchemaVersion, CASE_RECORD_SCHEMA_VERSION};

use super::record::{LineRecord, Text};

/// The record on `line`, if it has the common shape.
pub(super) fn read_record(line: &[u8]) -> Option<LineRecord<'_>> {
    let text = std::str::from_utf8(line).ok()?;
    let mut scan = Scan {
        text,
        bytes: line,
        at: 0,
    };
    let record = scan.record()?;
    scan.space();
    (scan.at == line.len()).then_some(record)
}

struct Scan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scan<'a> {
    /// Skips JSON's whitespace (not form feeds: JSON has none).
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, consumed.
    fn next(&mut self) -> Option<u8> {
        self.space();
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    /// A string without escapes or control characters.
    fn string(&mut self) -> Option<&'a str> {
        if self.bytes.get(self.at) == Some(&b'"') {
            self.at += 1;
        } else {
            self.expect(b'"')?;
        }
        let start = self.at;
        // Eight bytes at a time: a short key or id ends in the first word.
        let end = start + string_end(self.bytes.get(start..)?)?;
        self.string_ends(start, end)
    }

    /// The string from `start` if `end` is its closing quote.
    fn string_ends(&mut self, start: usize, end: usize) -> Option<&'a str> {
        if self.bytes[end] != b'"' {
            return None;
        }
        self.at = end + 1;
        self.text.get(start..end)
    }

    /// A value the scanner takes: a plain string, `null`, or a whole number
    /// without sign, fraction, exponent or leading zero (what serde reads as a
    /// `u64`; anything else after the digits makes the caller give up).
    fn value(&mut self) -> Option<Value<'a>> {
        self.space();
        match *self.bytes.get(self.at)? {
            b'"' => self.string().map(Value::Text),
            b'n' => {
                let end = self.at + 4;
                (self.bytes.get(self.at..end)? == b"null").then(|| {
                    self.at = end;
                    Value::Null
                })
            }
            b'1'..=b'9' => {
                let mut number: u64 = 0;
                while let Some(&digit @ b'0'..=b'9') = self.bytes.get(self.at) {
                    number = number
                        .checked_mul(10)?
                        .checked_add(u64::from(digit - b'0'))?;
                    self.at += 1;
                }
                Some(Value::Number(number))
            }
            _ => None,
        }
    }

    /// `"key": value` pairs up to the closing brace, the opening one read.
    fn pairs(&mut self, mut pair: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            pair(self, key)?;
            match self.next()? {
                b',' => continue,
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    fn record(&mut self) -> Option<LineRecord<'a>> {
        self.expect(b'{')?;
        let mut case = None;
        let mut child = None;
        let mut team = None;
        let mut worker = None;
        let mut ladder = None;
        let mut events = None;
        // The keys read, one bit each, to give up on a repeated one.
        let mut seen = 0u8;
        self.pairs(|scan, key| {
            let (bit, slot, optional) = match key {
                "case" => (0, &mut case, false),
                "child" => (1, &mut child, true),
                "team" => (2, &mut team, true),
                "worker" => (3, &mut worker, true),
                "ladder" => (4, &mut ladder, false),
                "events" => {
                    if events.is_some() {
                        return None;
                    }
                    events = Some(scan.events()?);
                    return Some(());
                }
                "schema_version" => {
                    if seen & 1 << 5 != 0 {
                        return None;
                    }
                    seen |= 1 << 5;
                    let Value::Number(version) = scan.value()? else {
                        return None;
                    };
                    SchemaVersion::<CASE_RECORD_SCHEMA_VERSION>::check(version).ok()?;
                    return Some(());
                }
                // `meta` as the contract writes it when there is none; an
                // object is serde's to read.
                "meta" => {
                    if seen & 1 << 6 != 0 {
                        return None;
                    }
                    seen |= 1 << 6;
                    return matches!(scan.value()?, Value::Null).then_some(());
                }
                _ => return None,
            };
            if seen & 1 << bit != 0 {
                return None;
            }
            seen |= 1 << bit;
            match scan.value()? {
                Value::Text(text) => *slot = Some(Text(Cow::Borrowed(text))),
                // serde reads `null` as an optional field left out.
                Value::Null if optional => {}
                _ => return None,
            }
            Some(())
        })?;
        Some(LineRecord {
            schema_version: Default::default(),
            case: case?,
            child,
            team,
            worker,
            ladder: ladder?,
            events: events?,
            meta: None,
        })
    }

    fn events(&mut self) -> Option<Vec<crate::engine::Event>> {
        self.expect(b'[')?;
        let mut events = Vec::new();
        self.space();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Some(events);
        }
        loop {
            self.expect(b'{')?;
            let mut event = EventFromStrings::default();
            self.pairs(|scan, key| match scan.value()? {
                Value::Text(text) => event.field(key, text),
                Value::Null => event.null(key),
                Value::Number(number) if key == "schema_version" => event.schema_version(number),
                Value::Number(_) => None,
            })?;
            events.push(event.finish()?);
            match self.next()? {
                b',' => continue,
                b']' => return Some(events),
                _ => return None,
            }
        }
    }
}

/// A value of a key, as the scanner takes it.
enum Value<'a> {
    /// A string without escapes.
    Text(&'a str),
    Null,
    /// A whole number, as serde reads a `u64`.
    Number(u64),
}

/// Eight copies of `byte`.
const fn splat(byte: u8) -> u64 {
    u64::from_le_bytes([byte; 8])
}

const HIGH: u64 = splat(0x80);

/// The high bit of each byte of `word` that is below `limit` (at most 0x80),
/// exact for the lowest such byte: a borrow only marks bytes above a marked one.
#[inline]
fn below(word: u64, limit: u8) -> u64 {
    word.wrapping_sub(splat(limit)) & !word & HIGH
}

/// The first place in `bytes` where `marks` finds a byte, eight at a time.
#[inline]
fn find(bytes: &[u8], marks: impl Fn(u64) -> u64, one: impl Fn(u8) -> bool) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let marked = marks(u64::from_le_bytes(word));
        if marked != 0 {
            return Some(at + (marked.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| one(b))
        .map(|i| at + i)
}

/// Where a JSON string's plain text ends: its first quote, backslash or
/// control character.
pub(super) fn string_end(bytes: &[u8]) -> Option<usize> {
    find(
        bytes,
        |word| below(word ^ splat(b'"'), 1) | below(word ^ splat(b'\\'), 1) | below(word, 0x20),
        |b| b == b'"' || b == b'\\' || b < 0x20,
    )
}

/// The first newline in `bytes`.
pub(super) fn newline(bytes: &[u8]) -> Option<usize> {
    find(bytes, |word| below(word ^ splat(b'\n'), 1), |b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_searches_agree_with_a_plain_loop() {
        let alphabet = [b'a', b'"', b'\\', b'\n', 0x1f, 0x20, 0x7f, 0x80, 0xff, b'x'];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for length in 0..40 {
            for _ in 0..200 {
                let bytes: Vec<u8> = (0..length)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        // Mostly plain text, so the searches run long.
                        if seed % 8 == 0 {
                            alphabet[(seed >> 8) as usize % alphabet.len()]
                        } else {
                            b'a' + (seed >> 8) as u8 % 26
                        }
                    })
                    .collect();
                let plain = bytes
                    .iter()
                    .position(|&b| b == b'"' || b == b'\\' || b < 0x20);
                assert_eq!(string_end(&bytes), plain, "{bytes:?}");
                let plain = bytes.iter().position(|&b| b == b'\n');
                assert_eq!(newline(&bytes), plain, "{bytes:?}");
            }
        }
    }

    /// What the scanner reads is what serde reads, for every line it takes;
    /// the lines are variations (spaces, order, kinds, limits) of real ones.
    #[test]
    fn what_is_taken_is_read_as_serde_reads_it() {
        let long_name = "n".repeat(crate::input::limits::MAX_NAME_BYTES);
        let events = [
            r#"{"on":"2026-11-02","actor":"iro","type":"raise","stage":"team-manager","category":"drift","reason":"x"}"#.to_string(),
            r#"{ "type" : "respond" , "actor":"tm","on":"2026-11-03" }"#.to_string(),
            r#"{"on":"2026-11-03","actor":"tm","type":"respond","outcome":"agreed","id":"e-1"}"#.to_string(),
            r#"{"on":"2026-11-04","actor":"iro","type":"extend","until":"2026-12-01","reason":"r"}"#.to_string(),
            r#"{"on":"2026-11-04","actor":"iro","type":"start-duty","duty":"d","due":"2026-12-01"}"#.to_string(),
            r#"{"on":"2026-11-04","actor":"iro","type":"deem-agreed"}"#.to_string(),
            r#"{"on":"2026-11-04","actor":"iro","type":"deem-agreed","reason":"x"}"#.to_string(),
            r#"{"on":"2026-02-30","actor":"iro","type":"deem-agreed"}"#.to_string(),
            r#"{"on":"2026-11-04","actor":"iro","type":"shout"}"#.to_string(),
            format!(r#"{{"on":"2026-11-04","actor":"{long_name}","type":"deem-agreed"}}"#),
            format!(r#"{{"on":"2026-11-04","actor":"{long_name}x","type":"deem-agreed"}}"#),
            // The contract's shape: every field written, `null` when empty.
            r#"{"type":"raise","schema_version":1,"on":"2026-10-03","actor":"iro","id":null,"meta":null,"stage":"reinstatement","category":null,"reason":"generated"}"#.to_string(),
            r#"{"type":"respond","schema_version":1,"on":"2026-10-06","actor":"someone","id":"e-2","meta":null,"outcome":null}"#.to_string(),
            r#"{"on":"2026-11-04","actor":"iro","type":"start-duty","duty":"d","due":null, "schema_version" : 1 }"#.to_string(),
            r#"{"on":"2026-11-04","actor":"iro","type":"extend","until":null,"reason":"r"}"#.to_string(),
            r#"{"on":"2026-11-04","actor":"iro","type":"respond","stage":null}"#.to_string(),
            r#"{"on":"2026-11-04","actor":"iro","type":"deem-agreed","schema_version":2}"#.to_string(),
            r#"{"on":"2026-11-04","actor":"iro","type":"deem-agreed","schema_version":1.0}"#.to_string(),
            r#"{"on":"2026-11-04","actor":"iro","type":"deem-agreed","meta":{"a":1}}"#.to_string(),
            r#"{"on":"2026-11-04","actor":null,"type":"deem-agreed"}"#.to_string(),
            r#"{"on":"2026-11-04","actor":"iro","type":"deem-agreed","id":null,"id":null}"#.to_string(),
        ];
        let mut lines = Vec::new();
        for (i, event) in events.iter().enumerate() {
            let next = &events[(i + 1) % events.len()];
            lines.push(format!(
                r#"{{"case":"C-{i}","team":"T","ladder":"l","events":[{event},{next}]}}"#
            ));
            lines.push(format!(
                "\t{{ \"events\" : [ {event} ] , \"ladder\":\"l\", \"worker\":\"w\",\"child\":\"c\",\"case\":\"C\u{e9}\" }}\r\n"
            ));
        }
        lines.push(r#"{"case":"A","ladder":"l","events":[]}"#.to_string());
        lines.push(
            r#"{"schema_version":1,"case":"A-1","child":null,"team":null,"worker":"w","ladder":"l","events":[]}"#
                .to_string(),
        );
        lines.push(r#"{"case":"A","ladder":"l","events":[], "schema_version" : 1 }"#.to_string());
        let mut taken = 0;
        for line in &lines {
            let serde = serde_json::from_slice::<LineRecord>(line.as_bytes());
            let Some(fast) = read_record(line.as_bytes()) else {
                continue;
            };
            taken += 1;
            let serde = serde.unwrap_or_else(|e| panic!("{line}: {e}"));
            let (a, b) = (fast.view(), serde.view());
            assert_eq!(
                (a.case, a.child, a.team, a.worker, a.ladder, a.events),
                (b.case, b.child, b.team, b.worker, b.ladder, b.events),
                "{line}"
            );
        }
        assert_eq!(taken, 20);
    }

    #[test]
    fn only_the_common_shape_is_taken() {
        let ok = r#"{"case":"A","ladder":"l","events":[{"on":"2026-11-02","actor":"iro","type":"raise","reason":"x"}]}"#;
        assert!(read_record(ok.as_bytes()).is_some());
        // As the contract writes a record (the generator's shape).
        let contract = r#"{"schema_version":1,"case":"A-0000000","child":"C-588020","team":"Team 34","worker":"worker.093","ladder":"nottingham-provider-concerns","events":[{"type":"raise","schema_version":1,"on":"2026-10-03","actor":"iro","id":null,"meta":null,"stage":"reinstatement","category":"other-person","reason":"generated"},{"type":"respond","schema_version":1,"on":"2026-10-06","actor":"someone","id":null,"meta":null,"outcome":"reinstated"}]}"#;
        assert!(read_record(contract.as_bytes()).is_some());
        for other in [
            r#"{"case":"A","ladder":"l","events":[],"x":1}"#,
            r#"{"case":"A\u0041","ladder":"l","events":[]}"#,
            r#"{"case":"A","case":"B","ladder":"l","events":[]}"#,
            r#"{"case":"A","ladder":"l","events":[{"on":"2026-11-02","on":"2026-11-02","actor":"iro","type":"raise","reason":"x"}]}"#,
            r#"{"case":"A","ladder":"l","events":[{"on":"2026-1-2","actor":"iro","type":"raise","reason":"x"}]}"#,
            r#"{"case":"A","ladder":"l","events":[{"on":"2026-11-02","actor":"iro","type":"raise"}]}"#,
            r#"{"case":"A","ladder":"l","events":[]} x"#,
            r#"{"case":"A","events":[]}"#,
            // Versions this reader does not read, and numbers serde does not
            // read as a version, are serde's to word.
            r#"{"schema_version":2,"case":"A","ladder":"l","events":[]}"#,
            r#"{"schema_version":0,"case":"A","ladder":"l","events":[]}"#,
            r#"{"schema_version":01,"case":"A","ladder":"l","events":[]}"#,
            r#"{"schema_version":1.0,"case":"A","ladder":"l","events":[]}"#,
            r#"{"schema_version":1e0,"case":"A","ladder":"l","events":[]}"#,
            r#"{"schema_version":-1,"case":"A","ladder":"l","events":[]}"#,
            r#"{"schema_version":99999999999999999999999,"case":"A","ladder":"l","events":[]}"#,
            r#"{"schema_version":null,"case":"A","ladder":"l","events":[]}"#,
            r#"{"schema_version":"1","case":"A","ladder":"l","events":[]}"#,
            r#"{"schema_version":1,"schema_version":1,"case":"A","ladder":"l","events":[]}"#,
            // `null` only where serde reads it as a field left out.
            r#"{"case":null,"ladder":"l","events":[]}"#,
            r#"{"case":"A","ladder":null,"events":[]}"#,
            r#"{"case":"A","ladder":"l","events":null}"#,
            r#"{"case":"A","ladder":"l","team":null,"team":"T","events":[]}"#,
            r#"{"case":"A","ladder":"l","team":nul,"events":[]}"#,
            r#"{"case":"A","ladder":"l","team":nullx,"events":[]}"#,
            r#"{"case":"A","ladder":"l","events":[{"on":null,"actor":"iro","type":"raise","reason":"x"}]}"#,
            r#"{"case":"A","ladder":"l","events":[{"on":"2026-11-02","actor":"iro","type":null,"reason":"x"}]}"#,
            r#"{"case":"A","ladder":"l","events":[{"on":"2026-11-02","actor":"iro","type":"raise","reason":null}]}"#,
            r#"{"case":"A","ladder":"l","events":[{"on":"2026-11-02","actor":"iro","type":"raise","reason":"x","id":7}]}"#,
            r#"{"case":"A","ladder":"l","events":[{"on":"2026-11-02","actor":"iro","type":"raise","reason":"x","meta":{}}]}"#,
        ] {
            assert!(read_record(other.as_bytes()).is_none(), "{other}");
        }
    }
}
