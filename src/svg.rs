//! What the crate's pictures share: text made safe for SVG and HTML, words
//! wrapped to a width, numbers for people, and the palette.
//!
//! The pictures (a report's charts, a ladder's diagram, an alert's timeline)
//! are SVG written by hand rather than by a chart library: they are bars,
//! lines and labels, and written by hand they carry what a library's SVG
//! backend does not write (a title and a description the picture is named
//! by, `role="img"`, the JSON figure behind each number as a data
//! attribute), and their text is laid out by the browser in the page's own
//! font, so no font is read or embedded (plotters' SVG backend measures text
//! with a font it must find on the machine or be given). The charts follow
//! the Government Analysis Function's guidance: a title that states the
//! finding, labelled axes, a direct label on every bar, and colour never the
//! only carrier of meaning (patterns, line styles and marker shapes differ
//! too).

use std::borrow::Cow;
use std::fmt::Write as _;

/// The Analysis Function's categorical palette (dark blue, turquoise, dark
/// pink, orange, dark grey, light purple), which keeps a contrast of at least
/// 3:1 with white for the first four.
pub(crate) const PALETTE: [&str; 6] = [
    "#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1",
];

/// The font the pictures name: the system's own sans serif, as GOV.UK's pages
/// fall back to.
pub(crate) const FONT: &str = "Arial, Helvetica, sans-serif";

/// `text` with `&`, `<`, `>`, `"` and `'` written as entities: safe inside an
/// SVG or HTML element or attribute. Control characters other than tab and
/// line feed, which XML does not allow, become U+FFFD.
pub(crate) fn esc(text: &str) -> Cow<'_, str> {
    let clean = |c: char| matches!(c, '\t' | '\n') || !c.is_control();
    if text
        .chars()
        .all(|c| clean(c) && !matches!(c, '&' | '<' | '>' | '"' | '\''))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if !clean(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `text` in lines of at most `width` characters, broken between words (a
/// word longer than `width` is cut), and at most `max_lines` lines, the last
/// ending in `…` when the text is longer.
pub(crate) fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let width = width.max(4);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Cow<'_, str> = Cow::Borrowed(word);
        loop {
            let len = line.chars().count();
            let wlen = word.chars().count();
            if len > 0 && len + 1 + wlen <= width {
                line.push(' ');
                line.push_str(&word);
                break;
            }
            if len == 0 && wlen <= width {
                line.push_str(&word);
                break;
            }
            if len > 0 {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // A word longer than a line: cut it.
            let cut: String = word.chars().take(width).collect();
            let rest: String = word.chars().skip(width).collect();
            lines.push(cut);
            word = Cow::Owned(rest);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let keep: String = last.chars().take(width.saturating_sub(1)).collect();
            *last = format!("{}…", keep.trim_end());
        }
    }
    lines
}

/// `n` with a comma between thousands: `12,345`. (Only the HTML report
/// writes figures this way; the pictures alone do not.)
#[cfg_attr(not(feature = "html"), allow(dead_code))]
pub(crate) fn thousands(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Writes a `<text>` of one or more lines (`<tspan>`s `line_height` apart) at
/// (`x`, `y`), the first line's baseline at `y`.
pub(crate) fn text_lines(
    out: &mut String,
    x: f64,
    y: f64,
    line_height: f64,
    attributes: &str,
    lines: &[String],
) {
    let _ = write!(out, r#"<text x="{x:.1}" y="{y:.1}" {attributes}>"#);
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            let _ = write!(out, "<tspan x=\"{x:.1}\">{}</tspan>", esc(line));
        } else {
            let _ = write!(
                out,
                "<tspan x=\"{x:.1}\" dy=\"{line_height:.1}\">{}</tspan>",
                esc(line)
            );
        }
    }
    out.push_str("</text>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_svg_and_html() {
        assert_eq!(esc("North Locality"), "North Locality");
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(esc("a\u{1b}[31mb"), "a\u{fffd}[31mb");
    }

    #[test]
    fn words_wrap_to_the_width() {
        assert_eq!(
            wrap("Second stage: alert to the team manager", 20, 3),
            ["Second stage: alert", "to the team manager"]
        );
        assert_eq!(wrap("abcdefghij", 4, 5), ["abcd", "efgh", "ij"]);
        assert_eq!(
            wrap("one two three four five six", 9, 2),
            ["one two", "three…"]
        );
        assert!(wrap("", 10, 2).is_empty());
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(-12345), "-12,345");
    }
}
