//! A traced engine ([`super::tape`]) made ready to run: virtual registers mapped onto a few
//! reused slots, then every operation applied to `CHUNK` iterations at once in a tight loop
//! the compiler vectorises.

use super::kernel::Isa;
use super::sampler::BLOCK;
use super::tape::{BinaryKind, Op, Recording, Traced};
use crate::number::round_half_away;
use crate::scenario::uncertain::{Apply, Variable};

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

#[derive(Debug, Clone, Copy)]
enum Step {
    Binary {
        kind: BinaryKind,
        dst: u32,
        a: Operand,
        b: Operand,
    },
    Round {
        dst: u32,
        src: u32,
        places: u32,
    },
    Select {
        dst: u32,
        value: Operand,
        bound: Operand,
        then: Operand,
        otherwise: Operand,
    },
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
    steps: Vec<Step>,
    slots: usize,
    outputs: Vec<Operand>,
}

impl Program {
    /// Keeps the operations that lead to `outputs` and allocates their slots: a virtual
    /// register's slot is freed after its last reader, and a result never shares a slot with
    /// its operands.
    pub fn compile(recording: &Recording, outputs: &[Traced]) -> Program {
        let inputs = recording.inputs as usize;
        let registers = inputs + recording.ops.len();
        let mut last_use = vec![None::<usize>; registers];
        let regs_of = |op: &Op| -> Vec<u32> {
            let mut regs = match *op {
                Op::Binary(_, a, b) => vec![a, b],
                Op::Round(r, _) => vec![Traced::Reg(r)],
                Op::Select {
                    value,
                    bound,
                    then,
                    otherwise,
                } => vec![value, bound, then, otherwise],
            }
            .into_iter()
            .filter_map(|t| match t {
                Traced::Reg(r) => Some(r),
                Traced::Const(_) => None,
            })
            .collect::<Vec<_>>();
            regs.sort_unstable();
            regs.dedup();
            regs
        };
        let kept = usize::MAX;
        for output in outputs {
            if let Traced::Reg(r) = output {
                last_use[*r as usize] = Some(kept);
            }
        }
        // Only operations that lead to an output are run (the engine also works out figures,
        // such as users leaving, that no Monte Carlo output needs).
        let mut live = vec![false; registers];
        for output in outputs {
            if let Traced::Reg(r) = output {
                live[*r as usize] = true;
            }
        }
        for (i, op) in recording.ops.iter().enumerate().rev() {
            if live[inputs + i] {
                for r in regs_of(op) {
                    live[r as usize] = true;
                }
            }
        }
        // Each register's last reader among the live operations.
        for (i, op) in recording.ops.iter().enumerate() {
            if live[inputs + i] {
                for r in regs_of(op) {
                    if last_use[r as usize] != Some(kept) {
                        last_use[r as usize] = Some(i);
                    }
                }
            }
        }
        // Inputs keep their own slots; results take a freed slot or a new one.
        let mut slot = vec![u32::MAX; registers];
        for (r, s) in slot.iter_mut().enumerate().take(inputs) {
            *s = r as u32;
        }
        let mut free: Vec<u32> = Vec::new();
        let mut slots = inputs;
        let mut steps = Vec::with_capacity(recording.ops.len());
        for (i, op) in recording.ops.iter().enumerate() {
            if !live[inputs + i] {
                continue;
            }
            let dst = free.pop().unwrap_or_else(|| {
                slots += 1;
                (slots - 1) as u32
            });
            slot[inputs + i] = dst;
            let operand = |t: Traced| match t {
                Traced::Const(c) => Operand::Const(c),
                Traced::Reg(r) => Operand::Slot(slot[r as usize]),
            };
            steps.push(match *op {
                Op::Binary(kind, a, b) => Step::Binary {
                    kind,
                    dst,
                    a: operand(a),
                    b: operand(b),
                },
                Op::Round(r, places) => Step::Round {
                    dst,
                    src: slot[r as usize],
                    places,
                },
                Op::Select {
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
            for r in regs_of(op) {
                if last_use[r as usize] == Some(i) {
                    free.push(slot[r as usize]);
                }
            }
            if last_use[inputs + i].is_none() {
                free.push(dst);
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
            steps,
            slots,
            outputs,
        }
    }

    /// Operations run per chunk.
    pub fn operations(&self) -> usize {
        self.steps.len()
    }

    /// Fresh slots for [`Program::run`].
    pub fn slots(&self) -> Vec<Lane> {
        vec![[0.0; CHUNK]; self.slots.max(self.inputs)]
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
            _ => self.evaluate_block_inline(feed, draws, slots, outputs),
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
        self.evaluate_block_inline(feed, draws, slots, outputs)
    }

    /// The block loop, inlined into each instruction set's copy.
    #[inline(always)]
    fn evaluate_block_inline(
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
            self.run(slots);
            for (o, column) in outputs.iter_mut().enumerate() {
                self.write_output(slots, o, &mut column[first..first + count]);
            }
        }
    }

    /// Runs every operation over a chunk whose inputs are in `slots[..inputs]`.
    #[inline(always)]
    pub fn run(&self, slots: &mut [Lane]) {
        for step in &self.steps {
            match *step {
                Step::Binary { kind, dst, a, b } => match kind {
                    BinaryKind::Add => binary(slots, dst, a, b, |x, y| x + y),
                    BinaryKind::Sub => binary(slots, dst, a, b, |x, y| x - y),
                    BinaryKind::Mul => binary(slots, dst, a, b, |x, y| x * y),
                    BinaryKind::Div => binary(slots, dst, a, b, |x, y| x / y),
                },
                Step::Round { dst, src, places } => {
                    let [out, x] = slots
                        .get_disjoint_mut([dst as usize, src as usize])
                        .expect("a result never shares its operand's slot");
                    if places == 0 {
                        for (o, x) in out.iter_mut().zip(x.iter()) {
                            *o = round_half_away(*x);
                        }
                    } else {
                        // As f64's `round_dp`.
                        let scale = 10f64.powi(places as i32);
                        for (o, x) in out.iter_mut().zip(x.iter()) {
                            *o = round_half_away(*x * scale) / scale;
                        }
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
        program.run(&mut slots);
        let mut out = vec![0.0; CHUNK];
        program.write_output(&slots, 0, &mut out);
        // (i/4 + 1) rounded half away from zero.
        assert_eq!(&out[..4], &[1.0, 1.0, 2.0, 2.0]);
    }
}
