//! The loops a program's steps run over a chunk's lanes: one tight loop for each shape of
//! operands, so that the compiler vectorises each.

use super::{CHUNK, Lane, Operand};
use crate::number::round_half_away;

pub(super) fn read(slots: &[Lane], operand: Operand) -> Lane {
    match operand {
        Operand::Const(c) => [c; CHUNK],
        Operand::Slot(s) => slots[s as usize],
    }
}

/// The result's lane, mutable, and its operands' lanes (an operand may repeat; none may be
/// the result).
#[inline(always)]
pub(super) fn lanes<const N: usize>(
    slots: &mut [Lane],
    dst: u32,
    operands: [u32; N],
) -> (&mut Lane, [&Lane; N]) {
    let dst = dst as usize;
    let (before, rest) = slots.split_at_mut(dst);
    let (out, after) = rest.split_first_mut().expect("the result has a slot");
    let (before, after) = (&*before, &*after);
    let operands = operands.map(|s| {
        let s = s as usize;
        assert!(s != dst, "a result never shares its operand's slot");
        if s < dst {
            &before[s]
        } else {
            &after[s - dst - 1]
        }
    });
    (out, operands)
}

/// `out = f(a, b, c)` lane by lane.
#[inline(always)]
pub(super) fn each3(
    out: &mut Lane,
    a: &Lane,
    b: &Lane,
    c: &Lane,
    f: impl Fn(f64, f64, f64) -> f64,
) {
    for (((o, a), b), c) in out.iter_mut().zip(a).zip(b).zip(c) {
        *o = f(*a, *b, *c);
    }
}

/// `finish(i, round_dp(value(i), places))` for each lane `i`, as f64's `round_dp`.
#[inline(always)]
pub(super) fn round_lanes<const TRUNC: bool>(
    out: &mut Lane,
    places: u32,
    value: impl Fn(usize) -> f64,
    finish: impl Fn(usize, f64) -> f64,
) {
    if places == 0 {
        for (i, o) in out.iter_mut().enumerate() {
            *o = finish(i, round_whole::<TRUNC>(value(i)));
        }
    } else {
        let scale = 10f64.powi(places as i32);
        for (i, o) in out.iter_mut().enumerate() {
            *o = finish(i, round_whole::<TRUNC>(value(i) * scale) / scale);
        }
    }
}

/// Rounds half away from zero, as [`round_half_away`]. With `TRUNC` (truncation is one
/// instruction): adds just under one half, with `x`'s sign, and truncates. The sum reaches
/// the next whole number exactly when `x`'s fraction is at least one half (a fraction of
/// one half less an ulp stays short of it; one of exactly a half lands on or rounds to it), and
/// from 2^52 on, where every f64 is whole, the addition changes nothing; NaN and infinity pass.
#[inline(always)]
pub(super) fn round_whole<const TRUNC: bool>(x: f64) -> f64 {
    if TRUNC {
        const BELOW_HALF: f64 = 0.5 - f64::EPSILON / 4.0;
        (x + BELOW_HALF.copysign(x)).trunc()
    } else {
        round_half_away(x)
    }
}

/// `dst = f(a, b)` lane by lane, with a loop for each shape of operands.
#[inline(always)]
pub(super) fn binary(
    slots: &mut [Lane],
    dst: u32,
    a: Operand,
    b: Operand,
    f: impl Fn(f64, f64) -> f64,
) {
    const SHARED: &str = "a result never shares its operand's slot";
    let d = dst as usize;
    match (a, b) {
        (Operand::Slot(a), Operand::Slot(b)) if a == b => {
            let [out, x] = slots.get_disjoint_mut([d, a as usize]).expect(SHARED);
            for (o, x) in out.iter_mut().zip(x.iter()) {
                *o = f(*x, *x);
            }
        }
        (Operand::Slot(a), Operand::Slot(b)) => {
            let [out, x, y] = slots
                .get_disjoint_mut([d, a as usize, b as usize])
                .expect(SHARED);
            for ((o, x), y) in out.iter_mut().zip(x.iter()).zip(y.iter()) {
                *o = f(*x, *y);
            }
        }
        (Operand::Slot(a), Operand::Const(c)) => {
            let [out, x] = slots.get_disjoint_mut([d, a as usize]).expect(SHARED);
            for (o, x) in out.iter_mut().zip(x.iter()) {
                *o = f(*x, c);
            }
        }
        (Operand::Const(c), Operand::Slot(b)) => {
            let [out, y] = slots.get_disjoint_mut([d, b as usize]).expect(SHARED);
            for (o, y) in out.iter_mut().zip(y.iter()) {
                *o = f(c, *y);
            }
        }
        (Operand::Const(x), Operand::Const(y)) => slots[d].fill(f(x, y)),
    }
}
