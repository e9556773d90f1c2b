//! [`Url`]: an absolute `http(s)://` URL, parsed once.

use crate::prelude::*;
use core::fmt;
use core::net::IpAddr;

/// `http` or `https`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// Plain HTTP.
    Http,
    /// HTTP over TLS.
    Https,
}

impl Scheme {
    /// `http` or `https`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
    /// 80 or 443.
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// The host part of a URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Host {
    /// An IP address literal (`169.254.169.254`, `[fd00:ec2::254]`).
    Ip(IpAddr),
    /// A DNS name, lowercased.
    Name(String),
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Ip(IpAddr::V6(v6)) => write!(f, "[{v6}]"),
            Host::Ip(IpAddr::V4(v4)) => write!(f, "{v4}"),
            Host::Name(n) => f.write_str(n),
        }
    }
}

/// An absolute `http(s)://host[:port]/path?query` URL, parsed once. No user info, no fragment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Url {
    scheme: Scheme,
    host: Host,
    port: u16,
    /// Starts with `/`.
    path_and_query: String,
}

/// Why a URL was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlError {
    /// The scheme is not `http://` or `https://`.
    Scheme,
    /// The host is missing or malformed.
    Host,
    /// The port is not a number in 1..=65535.
    Port,
    /// User info (`user@`), a fragment, whitespace or a control character is present.
    Forbidden,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UrlError::Scheme => "the URL must start with http:// or https://",
            UrlError::Host => "the URL's host is missing or malformed",
            UrlError::Port => "the URL's port is not a number from 1 to 65535",
            UrlError::Forbidden => {
                "the URL has user info, a fragment, whitespace or a control character"
            }
        })
    }
}

impl core::error::Error for UrlError {}

impl Url {
    /// Parses an absolute URL.
    ///
    /// ```
    /// use sigfresh::source::{Host, Url};
    /// let u = Url::parse("http://[fd00:ec2::254]/latest/api/token")?;
    /// assert_eq!(u.port(), 80);
    /// assert_eq!(u.to_string(), "http://[fd00:ec2::254]/latest/api/token");
    /// assert!(matches!(u.host(), Host::Ip(_)));
    /// # Ok::<(), sigfresh::source::UrlError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Url, UrlError> {
        if text.bytes().any(|b| b <= b' ' || b == 0x7f || b == b'#') {
            return Err(UrlError::Forbidden);
        }
        let (scheme, rest) = if let Some(r) = strip_prefix_ci(text, "http://") {
            (Scheme::Http, r)
        } else if let Some(r) = strip_prefix_ci(text, "https://") {
            (Scheme::Https, r)
        } else {
            return Err(UrlError::Scheme);
        };
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        if authority.contains('@') {
            return Err(UrlError::Forbidden);
        }
        let (host_text, port_text) = if let Some(v6) = authority.strip_prefix('[') {
            let (inside, after) = v6.split_once(']').ok_or(UrlError::Host)?;
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':').ok_or(UrlError::Host)?),
            };
            let ip: core::net::Ipv6Addr = inside.parse().map_err(|_| UrlError::Host)?;
            (Host::Ip(IpAddr::V6(ip)), port)
        } else {
            let (h, p) = match authority.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            };
            (parse_host(h)?, p)
        };
        let port = match port_text {
            None => scheme.default_port(),
            Some(p) => match p.parse::<u16>() {
                Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => n,
                _ => return Err(UrlError::Port),
            },
        };
        let path_and_query = if tail.starts_with('/') {
            tail.to_owned()
        } else {
            format!("/{tail}")
        };
        Ok(Url {
            scheme,
            host: host_text,
            port,
            path_and_query,
        })
    }

    /// `http://<ip>:<port>/`.
    pub(crate) fn http_ip(ip: IpAddr, port: u16) -> Url {
        Url {
            scheme: Scheme::Http,
            host: Host::Ip(ip),
            port,
            path_and_query: "/".to_owned(),
        }
    }

    /// `http` or `https`.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }
    /// The host.
    pub fn host(&self) -> &Host {
        &self.host
    }
    /// The port (the scheme's default when none was written).
    pub fn port(&self) -> u16 {
        self.port
    }
    /// The request target: path and query, starting with `/`.
    pub fn path_and_query(&self) -> &str {
        &self.path_and_query
    }
    /// The `Host` header value: the host, with the port when it is not the default.
    pub fn authority(&self) -> String {
        if self.port == self.scheme.default_port() {
            self.host.to_string()
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
    /// This URL with its path and query replaced by `path` (which should start with `/`).
    pub fn with_path(&self, path: &str) -> Url {
        let mut u = self.clone();
        u.path_and_query = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        u
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}://{}{}",
            self.scheme.as_str(),
            self.authority(),
            self.path_and_query
        )
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

fn parse_host(h: &str) -> Result<Host, UrlError> {
    if h.is_empty() {
        return Err(UrlError::Host);
    }
    if let Ok(v4) = h.parse::<core::net::Ipv4Addr>() {
        return Ok(Host::Ip(IpAddr::V4(v4)));
    }
    let ok = h.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    if !ok || h.len() > 253 {
        return Err(UrlError::Host);
    }
    Ok(Host::Name(h.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = Url::parse("HTTP://Example.com:8080/a?b=c").unwrap();
        assert_eq!(u.scheme(), Scheme::Http);
        assert_eq!(u.host(), &Host::Name("example.com".into()));
        assert_eq!(u.port(), 8080);
        assert_eq!(u.path_and_query(), "/a?b=c");
        assert_eq!(Url::parse("https://h").unwrap().to_string(), "https://h/");
        for bad in [
            "ftp://x/",
            "http://",
            "http://u@h/",
            "http://h:0/",
            "http://h:99999/",
            "http://h/#f",
            "http://h /",
            "http://[::1/",
            "http://a..b/",
        ] {
            assert!(Url::parse(bad).is_err(), "{bad}");
        }
    }
}
