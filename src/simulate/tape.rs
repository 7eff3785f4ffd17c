//! The engine traced into a straight-line program over the uncertain inputs, for the Monte
//! Carlo's inner loop.
//!
//! The Monte Carlo evaluates the same generic engine as `run`, once, with the number type
//! [`Traced`]: a figure that depends only on fixed inputs is computed there and then (in f64,
//! exactly as the f64 engine computes it), and one that depends on an uncertain input is
//! recorded as an operation. What is left is a short list of operations on the uncertain
//! inputs ([`Program`]), which [`super::program`] runs over hundreds of iterations at a time.
//! Every recorded operation is the one the f64 engine would do, on the same operands in the
//! same order, so each iteration gets the f64 engine's result bit for bit (tests check it).

use crate::number::Num;
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::ops::{Add, Div, Mul, Sub};

/// A number while tracing: known now, or the result of a recorded operation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Traced {
    Const(f64),
    /// Virtual register: the inputs first, then one per recorded operation.
    Reg(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryKind {
    Add,
    Sub,
    Mul,
    Div,
}

impl BinaryKind {
    #[inline(always)]
    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            BinaryKind::Add => a + b,
            BinaryKind::Sub => a - b,
            BinaryKind::Mul => a * b,
            BinaryKind::Div => a / b,
        }
    }
}

/// A recorded operation; its result is the next virtual register.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Binary(BinaryKind, Traced, Traced),
    /// `Num::round_dp` of a register.
    Round(u32, u32),
    /// `Num::select_less`: `then` where `value < bound`, else `otherwise`.
    Select {
        value: Traced,
        bound: Traced,
        then: Traced,
        otherwise: Traced,
    },
}

/// What a trace recorded.
#[derive(Debug, Clone, Default)]
pub struct Recording {
    pub inputs: u32,
    pub ops: Vec<Op>,
    /// Each operation recorded so far, by its operands: asked again for the same operation,
    /// the recording gives the same register (the result could only be the same bits).
    seen: HashMap<[u64; 9], u32>,
    /// Set when the engine compared a traced figure in a way a straight-line program cannot
    /// follow (a branch on an uncertain value); the caller then evaluates lane by lane.
    pub untraceable: bool,
}

thread_local! {
    static RECORDER: RefCell<Option<Recording>> = const { RefCell::new(None) };
}

/// Runs `evaluate` with `inputs` traced registers in place; returns its result and what was
/// recorded.
pub fn trace<R>(inputs: u32, evaluate: impl FnOnce() -> R) -> (R, Recording) {
    RECORDER.with(|r| {
        *r.borrow_mut() = Some(Recording {
            inputs,
            ..Recording::default()
        })
    });
    let result = evaluate();
    let recording = RECORDER
        .with(|r| r.borrow_mut().take())
        .expect("recording in progress");
    (result, recording)
}

fn record(op: Op) -> Traced {
    RECORDER.with(|r| {
        let mut guard = r.borrow_mut();
        let recording = guard
            .as_mut()
            .expect("traced arithmetic happens only inside `trace`");
        let register = recording.inputs + recording.ops.len() as u32;
        let register = *recording.seen.entry(key(&op)).or_insert(register);
        if register == recording.inputs + recording.ops.len() as u32 {
            recording.ops.push(op);
        }
        Traced::Reg(register)
    })
}

/// An operation as numbers, for [`Recording::seen`]: constants by their bits.
fn key(op: &Op) -> [u64; 9] {
    let operand = |t: Traced| match t {
        Traced::Const(x) => [0, x.to_bits()],
        Traced::Reg(r) => [1, r as u64],
    };
    let mut key = [0u64; 9];
    let (tag, operands): (u64, Vec<Traced>) = match *op {
        Op::Binary(kind, a, b) => (kind as u64, vec![a, b]),
        Op::Round(r, places) => (10 + places as u64, vec![Traced::Reg(r)]),
        Op::Select {
            value,
            bound,
            then,
            otherwise,
        } => (5, vec![value, bound, then, otherwise]),
    };
    key[0] = tag;
    for (i, t) in operands.into_iter().enumerate() {
        key[1 + 2 * i..3 + 2 * i].copy_from_slice(&operand(t));
    }
    key
}

fn mark_untraceable() {
    RECORDER.with(|r| {
        if let Some(recording) = r.borrow_mut().as_mut() {
            recording.untraceable = true;
        }
    });
}

fn binary(kind: BinaryKind, a: Traced, b: Traced) -> Traced {
    match (kind, a, b) {
        (_, Traced::Const(x), Traced::Const(y)) => Traced::Const(kind.apply(x, y)),
        // Exact identities for every f64 (a NaN stays a NaN): no operation needed.
        (BinaryKind::Mul, Traced::Const(one), x) | (BinaryKind::Mul, x, Traced::Const(one))
            if one == 1.0 =>
        {
            x
        }
        (BinaryKind::Div, x, Traced::Const(1.0)) => x,
        _ => record(Op::Binary(kind, a, b)),
    }
}

macro_rules! traced_op {
    ($trait:ident, $method:ident, $kind:ident) => {
        impl $trait for Traced {
            type Output = Traced;
            fn $method(self, rhs: Traced) -> Traced {
                binary(BinaryKind::$kind, self, rhs)
            }
        }
    };
}
traced_op!(Add, add, Add);
traced_op!(Sub, sub, Sub);
traced_op!(Mul, mul, Mul);
traced_op!(Div, div, Div);

impl PartialOrd for Traced {
    fn partial_cmp(&self, other: &Traced) -> Option<Ordering> {
        match (self, other) {
            (Traced::Const(a), Traced::Const(b)) => a.partial_cmp(b),
            _ => {
                mark_untraceable();
                None
            }
        }
    }
}

impl Num for Traced {
    fn from_decimal(value: Decimal) -> Self {
        Traced::Const(f64::from_decimal(value))
    }
    fn from_int(value: i64) -> Self {
        Traced::Const(f64::from_int(value))
    }
    fn round_dp(self, places: u32) -> Self {
        match self {
            Traced::Const(x) => Traced::Const(x.round_dp(places)),
            Traced::Reg(r) => record(Op::Round(r, places)),
        }
    }
    fn is_valid(self) -> bool {
        // A register's validity is known only per iteration; outputs are checked then.
        match self {
            Traced::Const(x) => x.is_finite(),
            Traced::Reg(_) => true,
        }
    }
    fn to_decimal(self) -> Option<Decimal> {
        match self {
            Traced::Const(x) => x.to_decimal(),
            Traced::Reg(_) => None,
        }
    }
    fn select_less(self, bound: Self, then: Self, otherwise: Self) -> Self {
        match (self, bound) {
            (Traced::Const(a), Traced::Const(b)) => {
                if a < b {
                    then
                } else {
                    otherwise
                }
            }
            _ => record(Op::Select {
                value: self,
                bound,
                then,
                otherwise,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_figures_fold_and_uncertain_ones_record() {
        let ((sum, product, rounded), recording) = trace(1, || {
            let x = Traced::Reg(0);
            let fixed = Traced::from_int(2) * Traced::from_int(3);
            (
                fixed + Traced::one(),
                x * Traced::one(),
                (x * fixed).round_dp(0),
            )
        });
        assert_eq!(sum, Traced::Const(7.0));
        assert_eq!(product, Traced::Reg(0));
        assert_eq!(rounded, Traced::Reg(2));
        assert_eq!(
            recording.ops,
            vec![
                Op::Binary(BinaryKind::Mul, Traced::Reg(0), Traced::Const(6.0)),
                Op::Round(1, 0)
            ]
        );
        assert!(!recording.untraceable);
    }

    #[test]
    fn an_operation_asked_again_reuses_its_register() {
        let ((a, b, c), recording) = trace(2, || {
            let (x, y) = (Traced::Reg(0), Traced::Reg(1));
            (x * y, x * y, y * x)
        });
        assert_eq!(a, b);
        // Operands in another order are another operation (and may round differently).
        assert_ne!(a, c);
        assert_eq!(recording.ops.len(), 2);
    }

    #[test]
    fn a_branch_on_an_uncertain_figure_is_reported() {
        let (_, recording) = trace(1, || Traced::Reg(0) < Traced::Const(1.0));
        assert!(recording.untraceable);
    }
}
