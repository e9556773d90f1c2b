//! A line diff of two canonical requests, naming the part of the canonical request where they
//! first differ. Canonical requests are short (tens of lines), so a plain LCS table is fine.

/// Which side a diff line comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Both,
    Ours,
    Theirs,
}

/// The lines of `ours` and `theirs` in order, each tagged with the side it belongs to.
pub(crate) fn diff<'a>(ours: &'a str, theirs: &'a str) -> Vec<(Side, &'a str)> {
    let a: Vec<&str> = ours.split('\n').collect();
    let b: Vec<&str> = theirs.split('\n').collect();
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len() + b.len());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((Side::Both, a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push((Side::Ours, a[i]));
            i += 1;
        } else {
            out.push((Side::Theirs, b[j]));
            j += 1;
        }
    }
    out
}

/// The part of a canonical request that line `index` (0-based) belongs to.
pub(crate) fn section(canonical: &str, index: usize) -> &'static str {
    let lines: Vec<&str> = canonical.split('\n').collect();
    // Headers start at line 3 and end at the first empty line after them.
    let end = lines
        .iter()
        .enumerate()
        .skip(3)
        .find(|(_, l)| l.is_empty())
        .map_or(lines.len(), |(i, _)| i);
    match index {
        0 => "the HTTP method",
        1 => "the canonical URI (the path)",
        2 => "the canonical query string",
        i if i < end => "the canonical headers",
        i if i == end => "the end of the headers",
        i if i == end + 1 => "the signed headers list",
        _ => "the payload hash",
    }
}

/// Why that part may differ, and what to do.
pub(crate) fn hint(section: &str) -> &'static str {
    match section {
        "the HTTP method" => "the request was sent with another method than it was signed with",
        "the canonical URI (the path)" => {
            "the path was encoded or normalized differently: S3 encodes it once and keeps dot \
             segments (sigfresh --s3), every other service encodes twice and normalizes; or a \
             client re-encoded the path after signing"
        }
        "the canonical query string" => {
            "the query differs: parameters are sorted by name and RFC 3986-encoded (space as \
             %20, not +); a client or proxy may have re-encoded it after signing"
        }
        "the canonical headers" | "the end of the headers" => {
            "a signed header's value differs: a proxy or HTTP library changed it after signing \
             (Host with a port, Content-Type charset, a folded value), or the server saw \
             another value"
        }
        "the signed headers list" => {
            "a different set of headers was listed as signed than the server received"
        }
        _ => {
            "the body hash differs: the body changed after signing, or x-amz-content-sha256 \
             does not describe the body sent"
        }
    }
}

/// The first line where the two differ: its index in `ours` (or where it would be), and the
/// section it falls in.
pub(crate) fn first_difference(ours: &str, theirs: &str) -> Option<(usize, &'static str)> {
    let mut index = 0;
    for (side, _) in diff(ours, theirs) {
        match side {
            Side::Both => index += 1,
            _ => return Some((index, section(ours, index))),
        }
    }
    None
}

/// The diff as text: `  ` for common lines, `- ` ours, `+ ` theirs.
pub(crate) fn render(ours: &str, theirs: &str) -> String {
    let mut s = String::new();
    for (side, line) in diff(ours, theirs) {
        s.push_str(match side {
            Side::Both => "  ",
            Side::Ours => "- ",
            Side::Theirs => "+ ",
        });
        s.push_str(line);
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const OURS: &str = "GET\n/a%20b\n\nhost:h\nx-amz-date:d\n\nhost;x-amz-date\nabc";

    #[test]
    fn names_the_first_different_part() {
        let theirs = OURS.replace("/a%20b", "/a%2520b");
        assert_eq!(
            first_difference(OURS, &theirs),
            Some((1, "the canonical URI (the path)"))
        );
        let text = render(OURS, &theirs);
        assert!(text.contains("- /a%20b\n+ /a%2520b\n"), "{text}");
        assert_eq!(first_difference(OURS, OURS), None);
        let theirs = OURS.replace("host:h", "host:h:8080");
        assert_eq!(
            first_difference(OURS, &theirs).map(|d| d.1),
            Some("the canonical headers")
        );
        let theirs = OURS.replace("abc", "def");
        assert_eq!(
            first_difference(OURS, &theirs).map(|d| d.1),
            Some("the payload hash")
        );
        assert_eq!(section(OURS, 6), "the signed headers list");
        assert_eq!(section("GET\n/\n\n", 3), "the end of the headers");
    }
}
