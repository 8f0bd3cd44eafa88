//! RFC 5545's text rules: TEXT escaping, content-line folding, UID-safe ids.

use std::fmt::Write as _;

/// The most octets a physical line may hold, excluding its CRLF (RFC 5545,
/// section 3.1).
pub(crate) const MAX_LINE_OCTETS: usize = 75;

/// Appends `text` escaped as an RFC 5545 TEXT value (section 3.3.11): backslash,
/// semicolon and comma get a backslash; a line break (LF, CRLF or a lone CR)
/// becomes `\n`. Other control characters (C0 and DEL, which TEXT may not
/// hold, and C1) become a space; a tab is kept.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            // C0 and DEL (which TEXT may not hold), and C1 (which a terminal
            // may take as a control sequence) become a space.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Appends one content line, folded so that no physical line holds more than
/// [`MAX_LINE_OCTETS`] octets, each ended by CRLF (section 3.1).
///
/// A fold is CRLF followed by one space, which counts towards the next line's
/// 75 octets. Folds fall between characters, never inside a multi-byte UTF-8
/// sequence, so every physical line is valid UTF-8 on its own.
pub(crate) fn push_folded(out: &mut String, line: &str) {
    let mut octets = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if octets + width > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(c);
        octets += width;
    }
    out.push_str("\r\n");
}

/// Appends `id` with every byte other than ASCII letters, digits, `-`, `.`, `_`
/// and `~` written as `%XX` (as in a URI): the result has no character that
/// TEXT escaping or a UID's `/` and `@` separators would touch, and two
/// different ids never give the same text.
pub(crate) fn push_percent_encoded(out: &mut String, id: &str) {
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        push_escaped(&mut out, text);
        out
    }

    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(
            escaped("a\u{1b}[2Jb\u{9b}31mc\u{7f}d\te"),
            "a [2Jb 31mc d\te"
        );
    }

    fn folded(line: &str) -> String {
        let mut out = String::new();
        push_folded(&mut out, line);
        out
    }

    #[test]
    fn text_specials_are_escaped() {
        assert_eq!(
            escaped(r"North; East, and C:\teams"),
            r"North\; East\, and C:\\teams"
        );
        assert_eq!(escaped("one\ntwo\r\nthree\rfour"), r"one\ntwo\nthree\nfour");
        assert_eq!(escaped("tab\there\u{7}bell\u{0}nul"), "tab\there bell nul");
        assert_eq!(escaped("Zoë’s team"), "Zoë’s team");
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(folded("VERSION:2.0"), "VERSION:2.0\r\n");
        let exactly = "X".repeat(75);
        assert_eq!(folded(&exactly), format!("{exactly}\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_with_a_leading_space() {
        let line = "D".repeat(75 + 74 + 10);
        let out = folded(&line);
        let physical: Vec<&str> = out.split_terminator("\r\n").collect();
        assert_eq!(physical.len(), 3);
        assert_eq!(physical[0].len(), 75);
        assert_eq!(physical[1].len(), 75);
        assert!(physical[1].starts_with(' '));
        assert_eq!(physical[2], format!(" {}", "D".repeat(10)));
        assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
    }

    /// "é" is two octets and "’" three: a fold that would split one moves
    /// before it, so the line holds 74 or 73 octets instead.
    #[test]
    fn folds_never_split_a_multibyte_character() {
        for prefix in ["", "a", "ab"] {
            let line = format!("SUMMARY:{prefix}{}", "é’".repeat(40));
            let out = folded(&line);
            for physical in out.as_bytes().split(|b| *b == b'\n') {
                let physical = physical.strip_suffix(b"\r").unwrap_or(physical);
                assert!(physical.len() <= MAX_LINE_OCTETS, "{}", physical.len());
                assert!(std::str::from_utf8(physical).is_ok());
            }
            assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
        }
    }

    #[test]
    fn ids_are_percent_encoded() {
        let mut out = String::new();
        push_percent_encoded(&mut out, "IRO-2026/0107 é,x_y~z.1");
        assert_eq!(out, "IRO-2026%2F0107%20%C3%A9%2Cx_y~z.1");
    }
}
