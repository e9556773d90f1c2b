//! Parsing realistic credential documents: IMDS (the hot path: refreshed by every EC2 host),
//! container, `credential_process`, SSO and STS. Target: IMDS under 2 µs.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use sigfresh::credentials::Credentials;
use sigfresh::document::{
    parse_any, parse_container, parse_imds, parse_process, parse_sso, parse_sts, DocumentError,
    ProfileSet,
};
use sigfresh::time::parse_rfc3339;

/// A session token of realistic length (IMDS tokens are 1000-1300 base64 characters).
fn token() -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut t = String::from("IQoJb3JpZ2luX2VjE");
    while t.len() < 1200 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        t.push(alphabet[(state % 64) as usize] as char);
    }
    t.push_str("==");
    t
}

fn imds(token: &str) -> String {
    format!(
        r#"{{
  "Code" : "Success",
  "LastUpdated" : "2024-05-01T11:49:32Z",
  "Type" : "AWS-HMAC",
  "AccessKeyId" : "ASIA5ZEXAMPLEBENCH12",
  "SecretAccessKey" : "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "Token" : "{token}",
  "Expiration" : "2024-05-01T18:00:00Z"
}}"#
    )
}

fn container(token: &str) -> String {
    format!(
        r#"{{"RoleArn":"arn:aws:iam::123456789012:role/ecs-task","AccessKeyId":"ASIA5ZEXAMPLEBENCH12","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","Token":"{token}","Expiration":"2024-05-01T18:00:00Z"}}"#
    )
}

fn process(token: &str) -> String {
    format!(
        r#"{{"Version": 1, "AccessKeyId": "ASIA5ZEXAMPLEBENCH12", "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "SessionToken": "{token}", "Expiration": "2024-05-01T18:00:00Z"}}"#
    )
}

fn sso(token: &str) -> String {
    format!(
        r#"{{"roleCredentials":{{"accessKeyId":"ASIA5ZEXAMPLEBENCH12","secretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","sessionToken":"{token}","expiration":1714586400000}}}}"#
    )
}

fn sts(token: &str) -> String {
    format!(
        r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>Alice</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/TestAR</Arn>
      <AssumedRoleId>ARO123EXAMPLE123:TestAR</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIA5ZEXAMPLEBENCH12</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</SecretAccessKey>
      <SessionToken>{token}</SessionToken>
      <Expiration>2024-05-01T18:00:00Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
"#
    )
}

const CONFIG: &str = "[default]\nregion = us-west-2\noutput = json\n\n\
[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = default\n\
s3 =\n  max_concurrent_requests = 20\n\n\
[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n\n\
[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";

const CREDENTIALS: &str = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

fn bench(c: &mut Criterion) {
    let token = token();
    type Parser = fn(&[u8]) -> Result<Credentials, DocumentError>;
    let docs: [(&str, String, Parser); 5] = [
        ("imds", imds(&token), parse_imds),
        ("container", container(&token), parse_container),
        ("process", process(&token), parse_process),
        ("sso", sso(&token), parse_sso),
        ("sts", sts(&token), parse_sts),
    ];
    let mut group = c.benchmark_group("documents");
    for (name, doc, parser) in &docs {
        assert!(parser(doc.as_bytes()).is_ok(), "{name} sample parses");
        group.throughput(Throughput::Bytes(doc.len() as u64));
        // Includes dropping the result, which zeroizes the secret and token.
        group.bench_function(*name, |b| b.iter(|| parser(black_box(doc.as_bytes()))));
    }
    let imds_doc = &docs[0].1;
    // The latency a caller waits for: the zeroizing drop of the previous credentials happens
    // later, once per rotation, off the request path.
    group.bench_function("imds (drop not timed)", |b| {
        b.iter_with_large_drop(|| parse_imds(black_box(imds_doc.as_bytes())))
    });
    group.bench_function("parse_any/imds", |b| {
        b.iter(|| parse_any(black_box(imds_doc.as_bytes())))
    });
    group.throughput(Throughput::Bytes((CONFIG.len() + CREDENTIALS.len()) as u64));
    group.bench_function("profiles", |b| {
        b.iter(|| ProfileSet::parse(black_box(Some(CREDENTIALS)), black_box(Some(CONFIG))))
    });
    group.finish();

    // Where IMDS time goes: the JSON scan alone, and credential validation alone.
    let mut group = c.benchmark_group("breakdown");
    group.bench_function("serde_json_ignore_imds", |b| {
        b.iter(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(imds_doc.as_bytes())))
    });
    group.bench_function("credentials_build_1200_byte_token", |b| {
        b.iter(|| {
            Credentials::builder(
                black_box("ASIA5ZEXAMPLEBENCH12"),
                black_box("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            )
            .session_token(black_box(token.as_str()))
            .build()
        })
    });
    group.bench_function("parse_rfc3339", |b| {
        b.iter(|| parse_rfc3339(black_box("2024-05-01T18:00:00Z")))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
