//! Fuzz target: bytes as a scenario file, through parsing, validation, exact and f64
//! evaluation, every output format and the uncertain inputs' distributions.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tec_model::robustness::scenario_bytes(data);
});
