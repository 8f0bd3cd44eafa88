//! Values echoed from input, made safe to print: one line, no terminal codes.
//!
//! Error messages and text reports quote what they were given: a case id, a
//! team's name, a file path, a ladder's stage id. Input is not trusted to be
//! printable. A case id holding a line break could start a line of its own that
//! reads like a real `ladder:` error; one holding an escape sequence
//! (`ESC [ 2 J`) could clear or repaint the reader's terminal; a bidirectional
//! override could show a value's characters in another order than they are.
//!
//! [`Escaped`] (and [`escape`], its `Cow` form) writes such characters as
//! visible Rust-style escapes, `\n`, `\r`, `\t` and `\u{1b}`, and every other
//! character as it is. The characters escaped ([`needs_escaping`]) are:
//!
//! - the control characters (Unicode category Cc): C0 (U+0000 to U+001F,
//!   among them line feed, carriage return, tab and ESC), DEL (U+007F) and C1
//!   (U+0080 to U+009F, among them the one-byte CSI, U+009B);
//! - the line and paragraph separators, U+2028 and U+2029;
//! - the bidirectional formatting characters: U+061C, U+200E, U+200F, U+202A to
//!   U+202E and U+2066 to U+2069;
//! - the byte-order mark, U+FEFF, invisible where it is not the first character
//!   of a file.
//!
//! Every library error that quotes a value from input escapes it this way when
//! displayed (the error's fields keep the value as given), so does the text
//! report, and the `ladder` tool escapes what its own messages quote. The
//! escaping is for people reading, not a reversible encoding: a backslash is
//! written as it is, so Windows paths read naturally, and a value that already
//! holds the two characters `\n` looks like one that held a line break.
//!
//! # Example
//!
//! ```
//! use escalation_ladder::escape::{escape, Escaped};
//!
//! let case_id = "IRO-1\nladder: all cases closed\u{1b}[2J";
//! let message = format!("case '{}': expected at least one event", Escaped(case_id));
//! assert_eq!(
//!     message,
//!     r"case 'IRO-1\nladder: all cases closed\u{1b}[2J': expected at least one event",
//! );
//! assert_eq!(message.lines().count(), 1);
//! // Printable text is borrowed, not copied.
//! assert!(matches!(escape("North Locality"), std::borrow::Cow::Borrowed(_)));
//! ```

use std::borrow::Cow;
use std::fmt;

/// Whether `c` is written as an escape by [`Escaped`]: a control character
/// (C0, DEL, C1), a line or paragraph separator, a bidirectional formatting
/// character, or the byte-order mark (see the [module](self) documentation).
///
/// # Example
///
/// ```
/// use escalation_ladder::escape::needs_escaping;
///
/// assert!(needs_escaping('\n') && needs_escaping('\u{1b}') && needs_escaping('\u{9b}'));
/// assert!(needs_escaping('\u{2028}') && needs_escaping('\u{202e}') && needs_escaping('\u{feff}'));
/// assert!(!needs_escaping(' ') && !needs_escaping('é') && !needs_escaping('\\'));
/// ```
pub fn needs_escaping(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// A value from input, displayed with the characters of [`needs_escaping`] as
/// visible escapes: `\n`, `\r`, `\t`, or `\u{…}` with the code point in
/// lowercase hexadecimal. It writes no allocation of its own.
///
/// The result never holds a character that [`needs_escaping`], so escaping it
/// again changes nothing. Width and alignment flags (`{:<10}`) are ignored.
///
/// # Example
///
/// ```
/// use escalation_ladder::escape::Escaped;
///
/// assert_eq!(Escaped("North\tLocality").to_string(), r"North\tLocality");
/// assert_eq!(Escaped("\u{1b}[31mred").to_string(), r"\u{1b}[31mred");
/// assert_eq!(Escaped("Tîm y Gogledd").to_string(), "Tîm y Gogledd");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| needs_escaping(c)) {
            f.write_str(&rest[..at])?;
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c => write!(f, "\\u{{{:x}}}", u32::from(c))?,
            }
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// `text` with the characters of [`needs_escaping`] written as escapes, as
/// [`Escaped`] displays it; borrowed when there is nothing to escape.
///
/// # Example
///
/// ```
/// use escalation_ladder::escape::escape;
///
/// assert_eq!(escape("two\nlines"), r"two\nlines");
/// assert_eq!(escape("\u{feff}2026-12-21"), r"\u{feff}2026-12-21");
/// ```
pub fn escape(text: &str) -> Cow<'_, str> {
    if text.contains(needs_escaping) {
        Cow::Owned(Escaped(text).to_string())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_escaped_character_becomes_printable_ascii() {
        for c in (0u32..=0x10ffff).filter_map(char::from_u32) {
            let text = c.to_string();
            let shown = escape(&text);
            if needs_escaping(c) {
                assert!(shown.starts_with('\\'), "{c:?}");
                assert!(shown.chars().all(|s| s.is_ascii_graphic()), "{c:?}");
            } else {
                assert_eq!(shown, text);
            }
        }
    }

    #[test]
    fn escapes_are_rust_style_and_idempotent() {
        let text = "a\nb\rc\td\u{0}e\u{7f}f\u{85}g\u{9b}h\u{2028}i\u{202e}j\u{2066}k\u{feff}l";
        let once = escape(text).into_owned();
        assert_eq!(
            once,
            r"a\nb\rc\td\u{0}e\u{7f}f\u{85}g\u{9b}h\u{2028}i\u{202e}j\u{2066}k\u{feff}l"
        );
        assert_eq!(escape(&once), once);
        assert!(matches!(escape(&once), Cow::Borrowed(_)));
    }

    #[test]
    fn printable_text_is_unchanged() {
        for text in [
            "",
            "C:\\cases\\north.jsonl",
            "Tîm y Gogledd",
            "עברית",
            "😀 ok",
        ] {
            assert_eq!(escape(text), text);
            assert_eq!(Escaped(text).to_string(), text);
        }
    }
}
