//! Property: the source machines never panic and always finish, whatever the host answers
//! (any status, headers, bodies, transport errors, files, processes, addresses, and outcomes
//! of the wrong kind).

mod support;

use proptest::prelude::*;
use sigfresh::refresh::Jitter;
use sigfresh::source::{
    chain, ContainerConfig, ContainerSource, FileContents, ImdsConfig, ImdsSource, IoFailure,
    Outcome, ProcessOutput, RoleSpec, Source, Step, StsEndpoint, TransportError, V1Fallback,
    WebIdentitySource,
};
use std::net::IpAddr;
use support::*;

#[derive(Clone, Debug)]
enum Answer {
    Http(u16, Option<String>, Vec<u8>),
    Transport(u8),
    File(Option<Vec<u8>>),
    Process(Option<i32>, Vec<u8>),
    Resolved(Vec<IpAddr>),
    ResolveFailed,
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(imds_doc("ASIAPROP").into_bytes()),
        Just(b"web-role\n".to_vec()),
        Just(b"TOKEN".to_vec()),
        Just(br#"{"Code":"Throttling","Message":"x"}"#.to_vec()),
        Just(br#"{"code":"AccessDenied","message":"x"}"#.to_vec()),
        Just(b"<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>".to_vec()),
        Just(Vec::new()),
        proptest::collection::vec(any::<u8>(), 0..64),
        "[ -~\r\n]{0,40}".prop_map(String::into_bytes),
    ]
}

fn answer() -> impl Strategy<Value = Answer> {
    let status = prop_oneof![
        Just(200u16),
        Just(401),
        Just(403),
        Just(404),
        Just(400),
        Just(429),
        Just(500),
        Just(503),
        any::<u16>()
    ];
    prop_oneof![
        6 => (status, proptest::option::of("[0-9]{0,6}|-1|x"), body())
            .prop_map(|(s, h, b)| Answer::Http(s, h, b)),
        2 => (0u8..3).prop_map(Answer::Transport),
        1 => proptest::option::of(body()).prop_map(Answer::File),
        1 => (proptest::option::of(-2i32..3), body()).prop_map(|(c, b)| Answer::Process(c, b)),
        1 => proptest::collection::vec(
                prop_oneof![Just("127.0.0.1"), Just("::1"), Just("10.0.0.1"), Just("169.254.170.23")]
                    .prop_map(|s| s.parse::<IpAddr>().unwrap()),
                0..3,
            ).prop_map(Answer::Resolved),
        1 => Just(Answer::ResolveFailed),
    ]
}

fn outcome(a: Answer) -> Outcome {
    match a {
        Answer::Http(status, ttl, body) => {
            let headers: Vec<(&str, &str)> = match &ttl {
                Some(v) => vec![
                    ("x-aws-ec2-metadata-token-ttl-seconds", v),
                    ("retry-after", v),
                ],
                None => vec![],
            };
            Outcome::response(status, &headers, body)
        }
        Answer::Transport(0) => Outcome::Http(Err(TransportError::Timeout)),
        Answer::Transport(1) => Outcome::Http(Err(TransportError::Connect("refused".into()))),
        Answer::Transport(_) => Outcome::Http(Err(TransportError::Io("reset".into()))),
        Answer::File(Some(b)) => Outcome::File(Ok(FileContents(b))),
        Answer::File(None) => Outcome::File(Err(IoFailure::NotFound)),
        Answer::Process(code, b) => Outcome::Process(Ok(ProcessOutput::new(code, b))),
        Answer::Resolved(ips) => Outcome::Resolved(Ok(ips)),
        Answer::ResolveFailed => Outcome::Resolved(Err(IoFailure::Timeout)),
    }
}

/// Feeds `answers` (cycled) to `m`; the fetch must end within 200 interactions. When
/// `matching`, each step gets an answer of its own kind; otherwise any kind.
fn run(m: &mut dyn Source, answers: &[Answer], matching: bool, fetches: usize) {
    let mut now = t0();
    let mut next = answers.iter().cycle();
    for _ in 0..fetches {
        m.start(now, Jitter::from_fraction(0.3));
        let mut ended = false;
        for _ in 0..200 {
            let step = m.poll(now);
            let mut a = next.next().cloned().unwrap_or(Answer::Transport(0));
            if matching {
                a = match (&step, a) {
                    (Step::Send(_), a @ (Answer::Http(..) | Answer::Transport(_))) => a,
                    (Step::Send(_), _) => Answer::Http(200, None, imds_doc("ASIAX").into_bytes()),
                    (Step::ReadFile { .. }, a @ Answer::File(_)) => a,
                    (Step::ReadFile { .. }, _) => Answer::File(Some(b"tok".to_vec())),
                    (Step::RunProcess { .. }, a @ Answer::Process(..)) => a,
                    (Step::RunProcess { .. }, _) => Answer::Process(Some(0), Vec::new()),
                    (Step::Resolve { .. }, a @ (Answer::Resolved(_) | Answer::ResolveFailed)) => a,
                    (Step::Resolve { .. }, _) => Answer::ResolveFailed,
                    (_, a) => a,
                };
            }
            match step {
                Step::Done(_) => {
                    ended = true;
                    break;
                }
                Step::Wait(t) => {
                    assert!(t > now, "a backoff is in the future");
                    now = t;
                }
                _ => m.handle(now, outcome(a)),
            }
            let _ = m.warnings();
        }
        assert!(ended, "the fetch did not end within 200 interactions");
        now = now.offset_millis(61_000);
    }
}

fn sources(which: u8, v1: bool) -> Box<dyn Source> {
    match which {
        0 => {
            let mut c = ImdsConfig::default();
            if !v1 {
                c.v1_fallback = V1Fallback::Disabled;
            }
            Box::new(ImdsSource::new(c))
        }
        1 => Box::new(ContainerSource::new(
            ContainerConfig::from_env(&[
                (
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                    "http://localhost/creds",
                ),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/t"),
            ])
            .unwrap()
            .unwrap(),
        )),
        2 => Box::new(WebIdentitySource::new(
            RoleSpec::new("arn:aws:iam::1:role/r"),
            "/t",
            StsEndpoint::for_region(Some("us-east-1")).unwrap(),
        )),
        3 => Box::new(
            chain::plan(
                &[("AWS_PROFILE", "r")],
                Some("[b]\naws_access_key_id = A\naws_secret_access_key = s\n"),
                Some("[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = b\n"),
            )
            .into_source(),
        ),
        4 => Box::new(
            chain::plan(
                &[("AWS_PROFILE", "p")],
                None,
                Some("[profile p]\ncredential_process = x\n"),
            )
            .into_source(),
        ),
        _ => Box::new(
            chain::plan(&[("AWS_EC2_METADATA_DISABLED", "false")], None, None).into_source(),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn machines_never_panic_on_matching_answers(
        which in 0u8..6,
        v1 in any::<bool>(),
        answers in proptest::collection::vec(answer(), 1..24),
    ) {
        let mut m = sources(which, v1);
        run(&mut *m, &answers, true, 3);
    }

    #[test]
    fn machines_never_panic_on_any_answers(
        which in 0u8..6,
        v1 in any::<bool>(),
        answers in proptest::collection::vec(answer(), 1..24),
    ) {
        let mut m = sources(which, v1);
        run(&mut *m, &answers, false, 2);
    }
}
