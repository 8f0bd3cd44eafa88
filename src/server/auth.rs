//! Bearer tokens: who may call the API and who may call `/v1/admin/*`.
//!
//! A tokens file holds one token a line (blank lines and `#` comments
//! ignored; each token at least 16 characters, without spaces). A request
//! names its token in `Authorization: Bearer TOKEN`; the token is compared
//! with every token loaded, each comparison in constant time over the
//! token's bytes (`subtle`), so that the time taken does not say how much of
//! a guess was right. Tokens are never logged nor put in an error.

use std::path::Path;

use subtle::ConstantTimeEq;

use super::routes::Access;
use crate::contract::ErrorDocument;
use crate::escape::Escaped;
use crate::sources::label;

/// The shortest token accepted: a token is a secret, not a password.
pub(crate) const MIN_TOKEN_LEN: usize = 16;

/// Why a request was not let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Denied {
    /// No token, or one that is not loaded: 401.
    Unauthenticated,
    /// An API token on an admin endpoint: 403.
    Forbidden,
}

/// The tokens loaded (none: authentication is off).
#[derive(Default)]
pub(crate) struct Tokens {
    on: bool,
    client: Vec<Vec<u8>>,
    admin: Vec<Vec<u8>>,
}

impl std::fmt::Debug for Tokens {
    /// How many, never which.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("on", &self.on)
            .field("client", &self.client.len())
            .field("admin", &self.admin.len())
            .finish()
    }
}

impl Tokens {
    /// Reads the tokens files (none given: authentication is off).
    ///
    /// # Errors
    ///
    /// `http.tokens-file`: a file that cannot be read, a token shorter than
    /// 16 characters, or a file without a token.
    pub(crate) fn load(
        client: Option<&Path>,
        admin: Option<&Path>,
    ) -> Result<Tokens, ErrorDocument> {
        let client = client.map(read).transpose()?;
        let admin = admin.map(read).transpose()?;
        Ok(Tokens {
            on: client.is_some() || admin.is_some(),
            client: client.unwrap_or_default(),
            admin: admin.unwrap_or_default(),
        })
    }

    /// Whether the request's `Authorization` header lets it through a route
    /// of `access`.
    pub(crate) fn check(&self, access: Access, authorization: Option<&[u8]>) -> Result<(), Denied> {
        if access == Access::Public || !self.on {
            return Ok(());
        }
        let Some(token) = authorization.and_then(bearer) else {
            return Err(Denied::Unauthenticated);
        };
        let is_admin = any_equal(&self.admin, token);
        match access {
            Access::Admin if is_admin => Ok(()),
            Access::Admin if any_equal(&self.client, token) => Err(Denied::Forbidden),
            Access::Client if is_admin || any_equal(&self.client, token) => Ok(()),
            _ => Err(Denied::Unauthenticated),
        }
    }
}

/// The token of `Bearer TOKEN` (the scheme in any case).
fn bearer(header: &[u8]) -> Option<&[u8]> {
    if header.len() < 7 || !header[..7].eq_ignore_ascii_case(b"bearer ") {
        return None;
    }
    let token = std::str::from_utf8(&header[7..]).ok()?.trim().as_bytes();
    (!token.is_empty()).then_some(token)
}

/// Whether `token` is one of `tokens`: every one compared, each in constant
/// time over its bytes.
fn any_equal(tokens: &[Vec<u8>], token: &[u8]) -> bool {
    let mut found = subtle::Choice::from(0);
    for known in tokens {
        found |= known.as_slice().ct_eq(token);
    }
    found.into()
}

fn read(path: &Path) -> Result<Vec<Vec<u8>>, ErrorDocument> {
    let file = label(path);
    let refused = |reason: String| {
        let mut fields = serde_json::Map::new();
        fields.insert("file".into(), file.clone().into());
        fields.insert("reason".into(), reason.clone().into());
        ErrorDocument::new(
            "http.tokens-file",
            format!("tokens file '{file}': {reason}"),
            fields,
        )
    };
    let text =
        std::fs::read_to_string(path).map_err(|e| refused(format!("cannot read it: {e}")))?;
    let mut tokens = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.len() < MIN_TOKEN_LEN || line.contains(char::is_whitespace) {
            // The token itself is never quoted: only where it is.
            return Err(refused(format!(
                "line {}: expected a token of at least {MIN_TOKEN_LEN} characters without spaces",
                index + 1
            )));
        }
        tokens.push(line.as_bytes().to_vec());
    }
    if tokens.is_empty() {
        return Err(refused(format!(
            "expected at least one token, found none in '{}'",
            Escaped(&file)
        )));
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens() -> Tokens {
        Tokens {
            on: true,
            client: vec![b"client-token-0123456789".to_vec()],
            admin: vec![b"admin-token-0123456789".to_vec()],
        }
    }

    #[test]
    fn tokens_and_roles() {
        let t = tokens();
        let client = Some(&b"Bearer client-token-0123456789"[..]);
        let admin = Some(&b"bearer admin-token-0123456789"[..]);
        assert_eq!(t.check(Access::Public, None), Ok(()));
        assert_eq!(t.check(Access::Client, None), Err(Denied::Unauthenticated));
        assert_eq!(t.check(Access::Client, client), Ok(()));
        assert_eq!(t.check(Access::Client, admin), Ok(()));
        assert_eq!(t.check(Access::Admin, admin), Ok(()));
        assert_eq!(t.check(Access::Admin, client), Err(Denied::Forbidden));
        let wrong = Some(&b"Bearer client-token-012345678"[..]);
        assert_eq!(t.check(Access::Client, wrong), Err(Denied::Unauthenticated));
        assert_eq!(
            t.check(Access::Client, Some(&b"Basic Y2xpZW50"[..])),
            Err(Denied::Unauthenticated)
        );
        assert_eq!(Tokens::default().check(Access::Admin, None), Ok(()));
        assert!(!format!("{t:?}").contains("0123456789"));
    }

    #[test]
    fn a_short_token_is_refused_without_quoting_it() {
        let dir = std::env::temp_dir().join(format!("ladder-tokens-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("tokens");
        std::fs::write(&file, "# ops\nshort-secret\n").unwrap();
        let err = Tokens::load(Some(&file), None).unwrap_err();
        assert_eq!(err.code, "http.tokens-file");
        assert!(!err.message.contains("short-secret"), "{}", err.message);
        std::fs::write(&file, "# none\n").unwrap();
        assert_eq!(
            Tokens::load(Some(&file), None).unwrap_err().code,
            "http.tokens-file"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
