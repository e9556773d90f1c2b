//! INI edge cases of the profile parser.

use super::*;

fn parse(credentials: &str, config: &str) -> ProfileSet {
    ProfileSet::parse(Some(credentials), Some(config)).unwrap()
}

fn syntax_error(credentials: Option<&str>, config: Option<&str>) -> (DocumentFormat, usize) {
    match ProfileSet::parse(credentials, config) {
        Err(DocumentError::IniSyntax { file, line, .. }) => (file, line),
        other => panic!("{other:?}"),
    }
}

#[test]
fn comments_whitespace_and_case() {
    let set = parse(
        "# top\n; top\r\n\n  [ default ]   # after header\r\n\
         AWS_Access_Key_ID=AKID\naws_secret_access_key =  abc#def;ghi  \n\
         aws_session_token = tok ;comment\nempty =\n",
        "",
    );
    let p = set.profile("default").unwrap();
    assert_eq!(p.get("aws_access_key_id"), Some("AKID"));
    assert_eq!(p.get("AWS_SECRET_ACCESS_KEY"), Some("abc#def;ghi"));
    assert_eq!(p.get("aws_session_token"), Some("tok"));
    assert_eq!(p.get("empty"), Some(""));
    assert_eq!(p.property("aws_access_key_id").unwrap().line(), 5);
    let keys: Vec<&str> = p.properties().map(Property::key).collect();
    assert_eq!(
        keys,
        [
            "aws_access_key_id",
            "aws_secret_access_key",
            "aws_session_token",
            "empty"
        ]
    );
}

#[test]
fn config_section_kinds() {
    let set = parse(
        "",
        "[default]\nregion = a\n[profile  dev ]\nregion = b\n[sso-session corp]\n\
         sso_region = c\n[services s]\nx = 1\n[bare]\ny = 2\n[profile]\nz = 3\n\
         [profile default]\noutput = json\n",
    );
    assert_eq!(set.profile("default").unwrap().get("region"), Some("a"));
    assert_eq!(set.profile("default").unwrap().get("output"), Some("json"));
    assert_eq!(set.profile("dev").unwrap().get("region"), Some("b"));
    assert_eq!(
        set.sso_session("corp").unwrap().get("sso_region"),
        Some("c")
    );
    assert!(set.profile("corp").is_none());
    assert!(set.profile("bare").is_none() && set.profile("s").is_none());
    let names: Vec<&str> = set.profiles().map(Profile::name).collect();
    assert_eq!(names, ["default", "dev"]);
    assert_eq!(set.sso_sessions().count(), 1);
}

#[test]
fn credentials_file_names_are_literal_and_win() {
    let set = parse(
        "[dev]\nregion = from-credentials\n[profile x]\nk = v\n",
        "[profile dev]\nregion = from-config\noutput = text\n",
    );
    let dev = set.profile("dev").unwrap();
    assert_eq!(dev.get("region"), Some("from-credentials"));
    assert_eq!(
        dev.property("region").unwrap().file(),
        DocumentFormat::CredentialsFile
    );
    assert_eq!(dev.get("output"), Some("text"));
    assert_eq!(set.profile("profile x").unwrap().get("k"), Some("v"));
}

#[test]
fn repeated_sections_merge_and_last_key_wins() {
    let set = parse("[a]\nk = 1\nj = 0\n[b]\nk = 2\n[a]\nk = 3\n", "");
    let a = set.profile("a").unwrap();
    assert_eq!(a.get("k"), Some("3"));
    assert_eq!(a.get("j"), Some("0"));
    assert_eq!(a.property("k").unwrap().line(), 7);
}

#[test]
fn continuation_lines_and_sub_properties() {
    let set = parse(
        "",
        "[default]\ns3 =\n  max_concurrent_requests = 20\n\n  Addressing_Style = path # c\n\
         note = first\n  second line\n\tthird\nregion = r\n  [not a header]\n",
    );
    let p = set.profile("default").unwrap();
    let s3 = p.property("s3").unwrap();
    assert_eq!(s3.sub_property("MAX_CONCURRENT_REQUESTS"), Some("20"));
    assert_eq!(s3.sub_property("addressing_style"), Some("path"));
    assert_eq!(
        s3.sub_properties().collect::<Vec<_>>(),
        [
            ("max_concurrent_requests", "20"),
            ("addressing_style", "path")
        ]
    );
    assert_eq!(
        p.get("s3"),
        Some("max_concurrent_requests = 20\nAddressing_Style = path")
    );
    assert_eq!(p.get("note"), Some("first\nsecond line\nthird"));
    assert_eq!(p.get("region"), Some("r\n[not a header]"));
    // An indented line with no open property is read as an ordinary line.
    let set = parse("", "[default]\n  region = x\n  [profile y]\n  k = v\n");
    assert_eq!(
        set.profile("default").unwrap().get("region"),
        Some("x\n[profile y]\nk = v")
    );
    let set = parse("", "  [default]\n  region = x\n");
    assert_eq!(set.profile("default").unwrap().get("region"), Some("x"));
}

#[test]
fn malformed_lines_name_file_and_line() {
    use DocumentFormat::{ConfigFile, CredentialsFile};
    assert_eq!(syntax_error(Some("k = v\n"), None), (CredentialsFile, 1));
    assert_eq!(
        syntax_error(None, Some("[default]\n\nnot a property\n")),
        (ConfigFile, 3)
    );
    assert_eq!(syntax_error(Some("[default\n"), None), (CredentialsFile, 1));
    assert_eq!(syntax_error(Some("[]\n"), None), (CredentialsFile, 1));
    assert_eq!(syntax_error(Some("[a] junk\n"), None), (CredentialsFile, 1));
    assert_eq!(
        syntax_error(Some("[a]\n = v\n"), None),
        (CredentialsFile, 2)
    );
    assert_eq!(
        syntax_error(None, Some("[default]\ns3 =\n  no equals\n")),
        (ConfigFile, 3)
    );
    // Errors in a skipped section's sub-properties are still not errors: the section is skipped.
    assert!(ProfileSet::parse(None, Some("[services x]\ns3 =\n  no equals\n")).is_ok());
    // The credentials file is only read when the config file parsed.
    assert_eq!(
        syntax_error(Some("[a]\nbad\n"), Some("[x]\n")),
        (CredentialsFile, 2)
    );
}

#[test]
fn static_credentials() {
    let set = parse(
        "[ok]\naws_access_key_id = AKID\naws_secret_access_key = S\naws_session_token =\n\
         [half]\naws_access_key_id = AKID\n[other]\naws_secret_access_key = S\n\
         [bad]\naws_access_key_id = AKID\naws_secret_access_key = S\naws_session_token = t\u{e9}\n\
         [none]\nregion = x\n",
        "[profile ok]\naws_account_id = 123456789012\n",
    );
    let c = set.profile("ok").unwrap().credentials().unwrap().unwrap();
    assert!(c.session_token().is_none());
    assert_eq!(c.account_id(), Some("123456789012"));
    assert_eq!(c.source(), &CredentialSource::Profile("ok".into()));
    assert!(set
        .profile("none")
        .unwrap()
        .credentials()
        .unwrap()
        .is_none());
    assert_eq!(
        set.profile("half").unwrap().credentials().unwrap_err(),
        DocumentError::ProfileMissingKey {
            profile: "half".into(),
            key: "aws_secret_access_key",
            file: DocumentFormat::CredentialsFile,
            line: 6
        }
    );
    assert!(matches!(
        set.profile("other").unwrap().credentials(),
        Err(DocumentError::ProfileMissingKey {
            key: "aws_access_key_id",
            line: 8,
            ..
        })
    ));
    let e = set.profile("bad").unwrap().credentials().unwrap_err();
    assert!(matches!(
        e,
        DocumentError::ProfileInvalidKey {
            key: "aws_session_token",
            line: 12,
            ..
        }
    ));
    assert!(e.to_string().contains("line 12"), "{e}");
}

#[test]
fn debug_redacts_secret_values() {
    let set = parse(
        "[a]\naws_secret_access_key = SUPERSECRET\naws_session_token = TOKENVALUE\nregion = r1\n",
        "",
    );
    let text = format!("{set:?}");
    assert!(
        !text.contains("SUPERSECRET") && !text.contains("TOKENVALUE"),
        "{text}"
    );
    assert!(text.contains("r1"));

    // credential_process can carry a secret; a parent's value repeats its sub-properties.
    let set = parse(
        "[p]\ncredential_process = fetch --key SUPERSECRET\ns3 =\n  secret_x = TOKENVALUE\n  max = 20\n",
        "",
    );
    let text = format!("{set:?}");
    assert!(
        !text.contains("SUPERSECRET") && !text.contains("TOKENVALUE"),
        "{text}"
    );
    assert!(text.contains("\"max\", \"20\""), "{text}");
    let p = set.profile("p").unwrap();
    assert_eq!(p.get("credential_process"), Some("fetch --key SUPERSECRET"));
    assert_eq!(
        p.property("s3").unwrap().sub_property("secret_x"),
        Some("TOKENVALUE")
    );
}

#[test]
fn bom_crlf_and_size_limit() {
    let set = parse("\u{feff}[a]\r\nk = v\r\n", "");
    assert_eq!(set.profile("a").unwrap().get("k"), Some("v"));
    let big = "#".repeat(MAX_PROFILE_FILE_SIZE + 1);
    assert!(matches!(
        ProfileSet::parse(Some(&big), None),
        Err(DocumentError::TooLarge { .. })
    ));
    assert!(ProfileSet::parse(None, None).unwrap().is_empty());
}
