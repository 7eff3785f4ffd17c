//! Tests of the traced program: fused steps, rounding and dead operations.

use super::kernels::round_whole;
use super::*;
use crate::number::Num;
use crate::number::round_half_away;
use crate::simulate::tape::trace;

#[test]
fn only_operations_that_reach_an_output_run() {
    let (output, recording) = trace(1, || {
        let x = Traced::Reg(0);
        let _unused = x * Traced::Const(3.0);
        (x + Traced::Const(1.0)).round_dp(0)
    });
    assert_eq!(recording.ops.len(), 3);
    let program = Program::compile(&recording, &[output]);
    assert_eq!(program.operations(), 2);
    let mut slots = program.slots();
    slots[0] = std::array::from_fn(|i| i as f64 / 4.0);
    program.run::<false>(&mut slots);
    let mut out = vec![0.0; CHUNK];
    program.write_output(&slots, 0, &mut out);
    // (i/4 + 1) rounded half away from zero.
    assert_eq!(&out[..4], &[1.0, 1.0, 2.0, 2.0]);
}

/// The binary operation numbered `k` (add, subtract, multiply, divide).
fn kind<N: Num>(k: usize, a: N, b: N) -> N {
    match k {
        0 => a + b,
        1 => a - b,
        2 => a * b,
        _ => a / b,
    }
}

/// Expressions that fuse into one step: every pair of binary operations both ways round,
/// with a constant operand too, and rounding after a product and before an addition.
const EXPRESSIONS: usize = 76;
fn expression<N: Num>(e: usize, x: N, y: N, z: N) -> N {
    let half = N::from_decimal(rust_decimal::Decimal::new(5, 1));
    let (f, g) = (e % 4, e / 4 % 4);
    let places = (e % 2) as u32 * 2;
    match e {
        0..16 => kind(g, kind(f, x, y), z),
        16..32 => kind(g, z, kind(f, x, y)),
        32..48 => kind(g, kind(f, half, y), z),
        48..64 => kind(g, half, kind(f, x, y)),
        64..66 => (x * y).round_dp(places),
        66..68 => z + (x * y).round_dp(places),
        68..70 => (x * half).round_dp(places) + z,
        70..72 => N::zero() + x.round_dp(places),
        72..74 => x.round_dp(places) + half,
        _ => (x * y).round_dp(places) + N::zero(),
    }
}

#[test]
fn fused_steps_give_the_engine_bits() {
    let values = [
        0.5,
        -0.5,
        1.5,
        -2.5,
        0.5 - f64::EPSILON / 4.0,
        -1.0 + f64::EPSILON / 2.0,
        0.0,
        -0.0,
        0.125,
        -0.005,
        1.0 / 3.0,
        -1234.565,
        2.5e15,
        -4_503_599_627_370_495.5,
        4_503_599_627_370_497.0,
        1e300,
        -1e-300,
        f64::MAX,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ];
    let n = values.len();
    for e in 0..EXPRESSIONS {
        let (output, recording) = trace(3, || {
            expression(e, Traced::Reg(0), Traced::Reg(1), Traced::Reg(2))
        });
        let program = Program::compile(&recording, &[output]);
        assert_eq!(
            program.operations(),
            1,
            "expression {e} fuses into one step"
        );
        // Every (x, y, z) of the values, a chunk at a time.
        for k in 0..(n * n * n).div_ceil(CHUNK) {
            let mut slots = program.slots();
            for (lane, slot) in slots[..3].iter_mut().enumerate() {
                for (i, v) in slot.iter_mut().enumerate() {
                    *v = values[(k * CHUNK + i) / n.pow(lane as u32) % n];
                }
            }
            let inputs: Vec<Lane> = slots[..3].to_vec();
            for truncate in [false, true] {
                let mut slots = slots.clone();
                if truncate {
                    program.run::<true>(&mut slots);
                } else {
                    program.run::<false>(&mut slots);
                }
                let mut out = vec![0.0; CHUNK];
                program.write_output(&slots, 0, &mut out);
                for (i, got) in out.iter().enumerate() {
                    let [x, y, z] = [0, 1, 2].map(|s| std::hint::black_box(inputs[s][i]));
                    let expected = expression::<f64>(e, x, y, z);
                    // Which NaN an operation on two NaNs gives is unspecified (the
                    // compiler may swap an addition's operands), so any NaN matches.
                    let same =
                        got.to_bits() == expected.to_bits() || (got.is_nan() && expected.is_nan());
                    assert!(
                        same,
                        "expression {e} of ({x:e}, {y:e}, {z:e}), truncating {truncate}: \
                         {got:e} vs {expected:e}"
                    );
                }
            }
        }
    }
}

#[test]
fn truncating_rounds_half_away_from_zero() {
    let mut checked = 0;
    for exponent in -60..70 {
        let magnitude = 2f64.powi(exponent);
        for m in [1.0, 1.5, 3.0, 2.5, 0.75, 1.25, 1.999] {
            let x = m * magnitude;
            // Whole numbers and halves, and their neighbours on each side.
            for y in [x, x.round() + 0.5, x.trunc() + 0.5, x.floor()] {
                for z in [
                    y,
                    y.next_up(),
                    y.next_down(),
                    -y,
                    -y.next_up(),
                    -y.next_down(),
                ] {
                    let expected = round_half_away(z);
                    assert_eq!(
                        round_whole::<true>(z).to_bits(),
                        expected.to_bits(),
                        "{z:e}"
                    );
                    assert_eq!(z.round().to_bits(), expected.to_bits(), "{z:e}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 20_000);
    for z in [
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        -f64::MAX,
        f64::MIN_POSITIVE,
    ] {
        assert_eq!(round_whole::<true>(z).to_bits(), z.round().to_bits());
    }
    assert!(round_whole::<true>(f64::NAN).is_nan());
}
