//! Fuzz target: bytes as an actuals CSV tracked against Leicestershire's scenario 4, through
//! parsing, checks, variance, re-forecast and every output format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tec_model::scenario::Scenario;

fn plan() -> &'static Scenario {
    static PLAN: OnceLock<Scenario> = OnceLock::new();
    PLAN.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../scenarios/leicestershire/scenario4.yaml"
        );
        tec_model::scenario::load(std::path::Path::new(path)).expect("the bundled plan loads")
    })
}

fuzz_target!(|data: &[u8]| {
    tec_model::robustness::actuals_bytes(plan(), data);
});
