//! A traced engine ([`super::tape`]) made ready to run: virtual registers mapped onto a few
//! reused slots, then every operation applied to `CHUNK` iterations at once in a tight loop
//! the compiler vectorises.
//!
//! Loads and stores of slots are most of the work, so a result read once, by the next
//! operation that needs it, is not stored: the two operations run as one step (`(a * b) + c`,
//! `round(a * b)`, `c + round(x)`), each element still getting the same IEEE operations in
//! the same order.

mod kernels;

use self::kernels::{binary, each3, lanes, read, round_lanes};
use super::kernel::Isa;
use super::sampler::BLOCK;
use super::tape::{BinaryKind, Op, Recording, Traced};
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

#[cfg(test)]
mod tests;
