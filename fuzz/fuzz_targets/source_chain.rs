//! The default chain: `source::chain::plan` from a fuzzer-chosen environment and shared
//! credentials/config files, its explanation, then the selected machine (environment, web
//! identity, AssumeRole, credential_process, container or IMDS) driven with fuzzer-chosen
//! outcomes for up to 2 fetches and 48 steps.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use sigfresh::source::chain;
use sigfresh_fuzz::{drive, env, ENV_NAMES};

const PROFILE_SNIPPETS: &[&str] = &[
    "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
    "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = default\nregion = eu-west-1\n",
    "[default]\ncredential_process = /usr/bin/get-creds --profile x\n",
    "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = Ec2InstanceMetadata\n",
    "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = EcsContainer\n",
    "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\nweb_identity_token_file = /tmp/t\n",
    "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n",
    "[default]\nsso_session = s\n[sso-session s]\nsso_region = us-east-1\n",
];

fn file(u: &mut Unstructured<'_>) -> Option<String> {
    match u.int_in_range(0..=3).ok()? {
        0 => None,
        1 => u.arbitrary::<String>().ok(),
        _ => {
            let mut s = (*u.choose(PROFILE_SNIPPETS).ok()?).to_owned();
            if u.ratio(1, 2).ok()? {
                s.push_str(&u.arbitrary::<String>().ok()?);
            }
            Some(s)
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(vars) = env(&mut u, ENV_NAMES) else {
        return;
    };
    let credentials_file = file(&mut u);
    let config_file = file(&mut u);
    let plan = chain::plan(&vars, credentials_file.as_deref(), config_file.as_deref());
    let why = plan.explain();
    let _ = (
        why.to_string(),
        format!("{why:?}"),
        format!("{plan:?}"),
        why.refreshes(),
    );
    let mut source = plan.into_source();
    drive(&mut source, &mut u, 2, 48);
    let why = source.explain();
    let _ = (why.to_string(), format!("{source:?}"), why.expires_at());
});
