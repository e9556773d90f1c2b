//! The container-endpoint machine (`source::ContainerSource`) configured from a fuzzer-chosen
//! environment (relative or full URI, host names that need resolving, token values and token
//! files), fed fuzzer-chosen outcomes for up to 3 fetches and 48 steps: never panics, never
//! asks to send a header with a control character (the token file is attacker-adjacent), and
//! connects only where allowed.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use sigfresh::source::{ContainerConfig, ContainerSource, Source, Step};
use sigfresh_fuzz::{drive, env};

const NAMES: &[&str] = &[
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(vars) = env(&mut u, NAMES) else {
        return;
    };
    let config = match ContainerConfig::from_env(&vars) {
        Ok(Some(c)) => c,
        Ok(None) => return,
        Err(e) => {
            let _ = (e.to_string(), format!("{e:?}"));
            return;
        }
    };
    let _ = format!("{config:?}");
    let mut m = ContainerSource::new(config);
    drive(&mut m, &mut u, 3, 48);
    // After the fuzzer's fetches, one more start must begin with a request, a resolve or a
    // token-file read (or end at once), never a wait.
    m.start(
        sigfresh::time::Timestamp::from_unix_millis(sigfresh_fuzz::T0),
        Default::default(),
    );
    let step = m.poll(sigfresh::time::Timestamp::from_unix_millis(
        sigfresh_fuzz::T0,
    ));
    assert!(
        !matches!(step, Step::Wait(_)),
        "a fresh fetch does not start by waiting"
    );
});
