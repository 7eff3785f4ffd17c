//! A traced engine ([`super::tape`]) made ready to run: virtual registers mapped onto a few
//! reused slots, then every operation applied to `CHUNK` iterations at once in a tight loop
//! the compiler vectorises.
//!
//! Loads and stores of slots are most of the work, so a result read once, by the next
//! operation that needs it, is not stored: the two operations run as one step (`(a * b) + c`,
//! `round(a * b)`, `c + round(x)`), each element still getting the same IEEE operations in
//! the same order.

use super::kernel::Isa;
use super::sampler::BLOCK;
use super::tape::{BinaryKind, Op, Recording, Traced};
use crate::number::round_half_away;
use crate::scenario::uncertain::{Apply, Variable};
use std::collections::HashMap;

/// Iterations per run of the program: long runs of each output column are written at once
/// (512 measured about a tenth faster than 128, 1,024 or 4,096), and a case's slots (4 KiB
/// each) stay within the processor's second-level cache.
pub const CHUNK: usize = 512;

/// One value per iteration of a chunk.
pub type Lane = [f64; CHUNK];

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand {
    Const(f64),
    Slot(u32),
}

/// An operation as the program runs it, over virtual registers: a recorded operation, or a
/// recorded operation with the one that made its operand (read by nothing else) folded in.
#[derive(Debug, Clone, Copy)]
enum Node {
    Binary(BinaryKind, Traced, Traced),
    /// `outer(inner(a, b), c)`, or `outer(c, inner(a, b))` when `right`.
    Pair {
        inner: BinaryKind,
        outer: BinaryKind,
        right: bool,
        a: Traced,
        b: Traced,
        c: Traced,
    },
    /// `x` (times `by`) rounded to `places`, then `add` added on the side it was recorded.
    Round {
        x: Traced,
        by: Option<Traced>,
        places: u32,
        add: Option<(Traced, Side)>,
    },
    Select {
        value: Traced,
        bound: Traced,
        then: Traced,
        otherwise: Traced,
    },
}

/// Which side of a fused addition the other addend is on (as recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

impl Node {
    /// The node's operands, in order.
    fn operands(&self) -> Vec<Traced> {
        match *self {
            Node::Binary(_, a, b) => vec![a, b],
            Node::Pair { a, b, c, .. } => vec![a, b, c],
            Node::Round { x, by, add, .. } => [Some(x), by, add.map(|(c, _)| c)]
                .into_iter()
                .flatten()
                .collect(),
            Node::Select {
                value,
                bound,
                then,
                otherwise,
            } => vec![value, bound, then, otherwise],
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Step {
    Binary {
        kind: BinaryKind,
        dst: u32,
        a: Operand,
        b: Operand,
    },
    /// As [`Node::Pair`]; constants are read from slots filled once.
    Pair {
        inner: BinaryKind,
        outer: BinaryKind,
        right: bool,
        dst: u32,
        a: u32,
        b: u32,
        c: u32,
    },
    /// As [`Node::Round`].
    Round {
        dst: u32,
        x: u32,
        by: Option<u32>,
        places: u32,
        add: Option<(u32, Side)>,
    },
    Select {
        dst: u32,
        value: Operand,
        bound: Operand,
        then: Operand,
        otherwise: Operand,
    },
}

/// Runs `$body` with `$f` bound to the closure for a binary operation, so that each kind gets
/// its own loop.
macro_rules! with_kind {
    ($kind:expr, $f:ident => $body:expr) => {
        match $kind {
            BinaryKind::Add => {
                let $f = |x: f64, y: f64| x + y;
                $body
            }
            BinaryKind::Sub => {
                let $f = |x: f64, y: f64| x - y;
                $body
            }
            BinaryKind::Mul => {
                let $f = |x: f64, y: f64| x * y;
                $body
            }
            BinaryKind::Div => {
                let $f = |x: f64, y: f64| x / y;
                $body
            }
        }
    };
}

/// How a block's draws become the program's inputs.
pub struct Feed<'a> {
    pub variables: &'a [Variable],
    /// The program input each parameter slot feeds, if any.
    pub input_of: &'a [Option<usize>],
    /// The scenario's own values (a factor multiplies them).
    pub base: &'a [f64],
}

impl Feed<'_> {
    /// Writes the parameter values of the iterations from `first` into `targets`, one lane per
    /// iteration (as many as a target holds): each variable's draw, or the scenario's value
    /// times it for a factor. `index` says which target a parameter slot goes to.
    #[inline(always)]
    pub fn fill<T: AsMut<[f64]>>(
        &self,
        draws: &[f64],
        first: usize,
        targets: &mut [T],
        index: impl Fn(usize) -> usize,
    ) {
        for (v, variable) in self.variables.iter().enumerate() {
            for (slot, apply) in &variable.targets {
                let lanes = targets[index(*slot)].as_mut();
                let draws = &draws[v * BLOCK + first..][..lanes.len()];
                match apply {
                    Apply::Set => lanes.copy_from_slice(draws),
                    Apply::Factor => {
                        let base = self.base[*slot];
                        for (lane, draw) in lanes.iter_mut().zip(draws) {
                            *lane = base * draw;
                        }
                    }
                }
            }
        }
    }
}

/// A straight-line program over the uncertain inputs, with its outputs.
#[derive(Debug, Clone)]
pub struct Program {
    /// Inputs live in slots `0..inputs`, written before each run.
    inputs: usize,
    /// The constants that fused steps read, in the slots after the inputs (filled once).
    constants: Vec<f64>,
    steps: Vec<Step>,
    slots: usize,
    outputs: Vec<Operand>,
}

/// The registers among `operands`, each once.
fn registers(operands: &[Traced]) -> Vec<u32> {
    let mut regs: Vec<u32> = operands
        .iter()
        .filter_map(|t| match *t {
            Traced::Reg(r) => Some(r),
            Traced::Const(_) => None,
        })
        .collect();
    regs.sort_unstable();
    regs.dedup();
    regs
}

fn op_operands(op: &Op) -> Vec<Traced> {
    match *op {
        Op::Binary(_, a, b) => vec![a, b],
        Op::Round(r, _) => vec![Traced::Reg(r)],
        Op::Select {
            value,
            bound,
            then,
            otherwise,
        } => vec![value, bound, then, otherwise],
    }
}

impl Program {
    /// Keeps the operations that lead to `outputs`, folds each result read once into its
    /// reader where a fused step exists for the pair, and allocates slots: a virtual
    /// register's slot is freed after its last reader, and a result never shares a slot with
    /// its operands.
    pub fn compile(recording: &Recording, outputs: &[Traced]) -> Program {
        let inputs = recording.inputs as usize;
        let registers_count = inputs + recording.ops.len();
        // Only operations that lead to an output are run (the engine also works out figures,
        // such as users leaving, that no Monte Carlo output needs).
        let mut live = vec![false; registers_count];
        let mut is_output = vec![false; registers_count];
        for output in outputs {
            if let Traced::Reg(r) = output {
                live[*r as usize] = true;
                is_output[*r as usize] = true;
            }
        }
        for (i, op) in recording.ops.iter().enumerate().rev() {
            if live[inputs + i] {
                for r in registers(&op_operands(op)) {
                    live[r as usize] = true;
                }
            }
        }
        // Reads of each register by live operations, counting `x * x` twice.
        let mut reads = vec![0usize; registers_count];
        for (i, op) in recording.ops.iter().enumerate() {
            if live[inputs + i] {
                for t in op_operands(op) {
                    if let Traced::Reg(r) = t {
                        reads[r as usize] += 1;
                    }
                }
            }
        }
        // The operation that makes `t`, if its result is read only once and is no output.
        let single = |t: Traced| match t {
            Traced::Reg(r)
                if r as usize >= inputs && reads[r as usize] == 1 && !is_output[r as usize] =>
            {
                Some(r as usize - inputs)
            }
            _ => None,
        };
        // Each live operation's node; a folded operation's node moves into its reader's.
        let mut nodes: Vec<Option<Node>> = vec![None; recording.ops.len()];
        for (i, op) in recording.ops.iter().enumerate() {
            if !live[inputs + i] {
                continue;
            }
            let folded = match *op {
                Op::Binary(outer, x, y) => [(x, false, y), (y, true, x)]
                    .into_iter()
                    .find_map(|(t, right, c)| {
                        let p = single(t)?;
                        match nodes[p]? {
                            Node::Binary(inner, a, b) => Some((
                                p,
                                Node::Pair {
                                    inner,
                                    outer,
                                    right,
                                    a,
                                    b,
                                    c,
                                },
                            )),
                            _ => None,
                        }
                    })
                    .or_else(|| {
                        if outer != BinaryKind::Add {
                            return None;
                        }
                        [(y, Side::Left, x), (x, Side::Right, y)]
                            .into_iter()
                            .find_map(|(t, side, c)| {
                                let p = single(t)?;
                                match nodes[p]? {
                                    Node::Round {
                                        x,
                                        by,
                                        places,
                                        add: None,
                                    } => Some((
                                        p,
                                        Node::Round {
                                            x,
                                            by,
                                            places,
                                            add: Some((c, side)),
                                        },
                                    )),
                                    _ => None,
                                }
                            })
                    }),
                Op::Round(r, places) => single(Traced::Reg(r)).and_then(|p| match nodes[p]? {
                    Node::Binary(BinaryKind::Mul, a, b) => Some((
                        p,
                        Node::Round {
                            x: a,
                            by: Some(b),
                            places,
                            add: None,
                        },
                    )),
                    _ => None,
                }),
                Op::Select { .. } => None,
            };
            nodes[i] = Some(match folded {
                Some((p, node)) => {
                    nodes[p] = None;
                    node
                }
                None => match *op {
                    Op::Binary(kind, a, b) => Node::Binary(kind, a, b),
                    Op::Round(r, places) => Node::Round {
                        x: Traced::Reg(r),
                        by: None,
                        places,
                        add: None,
                    },
                    Op::Select {
                        value,
                        bound,
                        then,
                        otherwise,
                    } => Node::Select {
                        value,
                        bound,
                        then,
                        otherwise,
                    },
                },
            });
        }
        let run: Vec<(usize, Node)> = nodes
            .iter()
            .enumerate()
            .filter_map(|(i, node)| node.map(|node| (i, node)))
            .collect();
        // Constants that fused steps read get a slot each, after the inputs.
        let mut constants = Vec::new();
        let mut constant_slot = HashMap::new();
        for (_, node) in &run {
            if matches!(node, Node::Pair { .. } | Node::Round { .. }) {
                for t in node.operands() {
                    if let Traced::Const(c) = t {
                        constant_slot.entry(c.to_bits()).or_insert_with(|| {
                            constants.push(c);
                            (inputs + constants.len() - 1) as u32
                        });
                    }
                }
            }
        }
        // Each register's last reader among the steps.
        let kept = usize::MAX;
        let mut last_use = vec![None::<usize>; registers_count];
        for output in outputs {
            if let Traced::Reg(r) = output {
                last_use[*r as usize] = Some(kept);
            }
        }
        for (s, (_, node)) in run.iter().enumerate() {
            for r in registers(&node.operands()) {
                if last_use[r as usize] != Some(kept) {
                    last_use[r as usize] = Some(s);
                }
            }
        }
        // Inputs keep their own slots; results take a freed slot or a new one.
        let mut slot = vec![u32::MAX; registers_count];
        for (r, s) in slot.iter_mut().enumerate().take(inputs) {
            *s = r as u32;
        }
        let mut free: Vec<u32> = Vec::new();
        let mut slots = inputs + constants.len();
        let mut steps = Vec::with_capacity(run.len());
        for (s, (i, node)) in run.iter().enumerate() {
            let dst = free.pop().unwrap_or_else(|| {
                slots += 1;
                (slots - 1) as u32
            });
            slot[inputs + i] = dst;
            let operand = |t: Traced| match t {
                Traced::Const(c) => Operand::Const(c),
                Traced::Reg(r) => Operand::Slot(slot[r as usize]),
            };
            let lane = |t: Traced| match t {
                Traced::Const(c) => constant_slot[&c.to_bits()],
                Traced::Reg(r) => slot[r as usize],
            };
            steps.push(match *node {
                Node::Binary(kind, a, b) => Step::Binary {
                    kind,
                    dst,
                    a: operand(a),
                    b: operand(b),
                },
                Node::Pair {
                    inner,
                    outer,
                    right,
                    a,
                    b,
                    c,
                } => Step::Pair {
                    inner,
                    outer,
                    right,
                    dst,
                    a: lane(a),
                    b: lane(b),
                    c: lane(c),
                },
                Node::Round { x, by, places, add } => Step::Round {
                    dst,
                    x: lane(x),
                    by: by.map(lane),
                    places,
                    add: add.map(|(c, side)| (lane(c), side)),
                },
                Node::Select {
                    value,
                    bound,
                    then,
                    otherwise,
                } => Step::Select {
                    dst,
                    value: operand(value),
                    bound: operand(bound),
                    then: operand(then),
                    otherwise: operand(otherwise),
                },
            });
            for r in registers(&node.operands()) {
                if last_use[r as usize] == Some(s) {
                    free.push(slot[r as usize]);
                }
            }
        }
        let outputs = outputs
            .iter()
            .map(|t| match *t {
                Traced::Const(c) => Operand::Const(c),
                Traced::Reg(r) => Operand::Slot(slot[r as usize]),
            })
            .collect();
        Program {
            inputs,
            constants,
            steps,
            slots,
            outputs,
        }
    }

    /// Operations run per chunk.
    pub fn operations(&self) -> usize {
        self.steps.len()
    }

    /// Fresh slots for [`Program::evaluate_block`], with the constants in place.
    pub fn slots(&self) -> Vec<Lane> {
        let mut slots = vec![[0.0; CHUNK]; self.slots.max(self.inputs)];
        for (lane, c) in slots[self.inputs..].iter_mut().zip(&self.constants) {
            lane.fill(*c);
        }
        slots
    }

    /// Evaluates a block: `draws` holds one column of `BLOCK` draws per variable, and
    /// `outputs` one column per output, as long as the iterations to keep.
    pub fn evaluate_block(
        &self,
        isa: Isa,
        feed: &Feed,
        draws: &[f64],
        slots: &mut [Lane],
        outputs: &mut [&mut [f64]],
    ) {
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Isa::Avx2` is only made after the processor reported AVX2.
            Isa::Avx2 => unsafe { self.evaluate_block_avx2(feed, draws, slots, outputs) },
            _ => self.evaluate_block_inline::<false>(feed, draws, slots, outputs),
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn evaluate_block_avx2(
        &self,
        feed: &Feed,
        draws: &[f64],
        slots: &mut [Lane],
        outputs: &mut [&mut [f64]],
    ) {
        // AVX implies SSE4.1, whose `roundpd` truncates a lane in one instruction.
        self.evaluate_block_inline::<true>(feed, draws, slots, outputs)
    }

    /// The block loop, inlined into each instruction set's copy; `TRUNC` says whether
    /// truncation is an instruction (see [`round_whole`]).
    #[inline(always)]
    fn evaluate_block_inline<const TRUNC: bool>(
        &self,
        feed: &Feed,
        draws: &[f64],
        slots: &mut [Lane],
        outputs: &mut [&mut [f64]],
    ) {
        let len = outputs.first().map_or(0, |o| o.len());
        for first in (0..len).step_by(CHUNK) {
            let count = CHUNK.min(len - first);
            feed.fill(draws, first, slots, |slot| {
                feed.input_of[slot].expect("every uncertain slot is a program input")
            });
            self.run::<TRUNC>(slots);
            for (o, column) in outputs.iter_mut().enumerate() {
                self.write_output(slots, o, &mut column[first..first + count]);
            }
        }
    }

    /// Runs every operation over a chunk whose inputs are in `slots[..inputs]`.
    #[inline(always)]
    fn run<const TRUNC: bool>(&self, slots: &mut [Lane]) {
        for step in &self.steps {
            match *step {
                Step::Binary { kind, dst, a, b } => {
                    with_kind!(kind, f => binary(slots, dst, a, b, f))
                }
                Step::Pair {
                    inner,
                    outer,
                    right,
                    dst,
                    a,
                    b,
                    c,
                } => {
                    let (out, [a, b, c]) = lanes(slots, dst, [a, b, c]);
                    with_kind!(inner, f => with_kind!(outer, g => if right {
                        each3(out, a, b, c, |x, y, z| g(z, f(x, y)))
                    } else {
                        each3(out, a, b, c, |x, y, z| g(f(x, y), z))
                    }))
                }
                Step::Round {
                    dst,
                    x,
                    by,
                    places,
                    add,
                } => {
                    // An absent operand reads `x`'s lane and is never used.
                    let (out, [x, times, plus]) =
                        lanes(slots, dst, [x, by.unwrap_or(x), add.map_or(x, |(c, _)| c)]);
                    match (by.is_some(), add.map(|(_, side)| side)) {
                        (false, None) => round_lanes::<TRUNC>(out, places, |i| x[i], |_, r| r),
                        (true, None) => {
                            round_lanes::<TRUNC>(out, places, |i| x[i] * times[i], |_, r| r)
                        }
                        (false, Some(Side::Left)) => {
                            round_lanes::<TRUNC>(out, places, |i| x[i], |i, r| plus[i] + r)
                        }
                        (false, Some(Side::Right)) => {
                            round_lanes::<TRUNC>(out, places, |i| x[i], |i, r| r + plus[i])
                        }
                        (true, Some(Side::Left)) => round_lanes::<TRUNC>(
                            out,
                            places,
                            |i| x[i] * times[i],
                            |i, r| plus[i] + r,
                        ),
                        (true, Some(Side::Right)) => round_lanes::<TRUNC>(
                            out,
                            places,
                            |i| x[i] * times[i],
                            |i, r| r + plus[i],
                        ),
                    }
                }
                Step::Select {
                    dst,
                    value,
                    bound,
                    then,
                    otherwise,
                } => {
                    let [value, bound, then, otherwise] =
                        [value, bound, then, otherwise].map(|o| read(slots, o));
                    let out = &mut slots[dst as usize];
                    for i in 0..CHUNK {
                        out[i] = if value[i] < bound[i] {
                            then[i]
                        } else {
                            otherwise[i]
                        };
                    }
                }
            }
        }
    }

    /// Copies output `index` of the first `out.len()` iterations of the chunk into `out`.
    #[inline(always)]
    pub fn write_output(&self, slots: &[Lane], index: usize, out: &mut [f64]) {
        match self.outputs[index] {
            Operand::Const(c) => out.fill(c),
            Operand::Slot(s) => out.copy_from_slice(&slots[s as usize][..out.len()]),
        }
    }
}

fn read(slots: &[Lane], operand: Operand) -> Lane {
    match operand {
        Operand::Const(c) => [c; CHUNK],
        Operand::Slot(s) => slots[s as usize],
    }
}

/// The result's lane, mutable, and its operands' lanes (an operand may repeat; none may be
/// the result).
#[inline(always)]
fn lanes<const N: usize>(
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
fn each3(out: &mut Lane, a: &Lane, b: &Lane, c: &Lane, f: impl Fn(f64, f64, f64) -> f64) {
    for (((o, a), b), c) in out.iter_mut().zip(a).zip(b).zip(c) {
        *o = f(*a, *b, *c);
    }
}

/// `finish(i, round_dp(value(i), places))` for each lane `i`, as f64's `round_dp`.
#[inline(always)]
fn round_lanes<const TRUNC: bool>(
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
fn round_whole<const TRUNC: bool>(x: f64) -> f64 {
    if TRUNC {
        const BELOW_HALF: f64 = 0.5 - f64::EPSILON / 4.0;
        (x + BELOW_HALF.copysign(x)).trunc()
    } else {
        round_half_away(x)
    }
}

/// `dst = f(a, b)` lane by lane, with a loop for each shape of operands.
#[inline(always)]
fn binary(slots: &mut [Lane], dst: u32, a: Operand, b: Operand, f: impl Fn(f64, f64) -> f64) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::Num;
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
                        let same = got.to_bits() == expected.to_bits()
                            || (got.is_nan() && expected.is_nan());
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
}
