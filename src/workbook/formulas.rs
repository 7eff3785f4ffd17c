//! The engine traced with every input as a register, written out as spreadsheet formulas.
//!
//! The Monte Carlo's tracer ([`crate::simulate::tape`]) records every operation the generic
//! engine does on a traced number. Traced with *every* parameter slot as a register, the
//! recording is the whole model as a straight-line program over the inputs; each operation
//! becomes part of an Excel formula (`+ - * /`, `ROUND` where the engine rounds, `IF` where
//! it selects). A result that is a named figure lives in its Model cell; one used by several
//! later operations, or too deep to inline, gets a cell of its own on the Working sheet; the
//! rest are written inline into the formula that uses them. So the workbook is the engine's
//! own arithmetic, in the engine's order, and cannot drift from it.

use crate::simulate::tape::{BinaryKind, Op, Recording, Traced};

/// A cell on one of the workbook's sheets, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub sheet: &'static str,
    pub row: u32,
    pub col: u16,
}

impl Cell {
    /// The cell as a formula names it, `Model!C7`.
    pub fn reference(self) -> String {
        format!("{}!{}{}", self.sheet, column_name(self.col), self.row + 1)
    }
}

/// `A`, `B`, ..., `Z`, `AA`, ...
pub fn column_name(col: u16) -> String {
    let mut n = col as u32 + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        name.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII")
}

/// The sheet that holds intermediate results.
pub const WORKING: &str = "Working";

/// The deepest an inlined expression may nest before its result gets a cell (Excel allows
/// 64 levels of nesting; an auditor reads a short formula more easily).
const MAX_DEPTH: u32 = 8;
/// The longest inlined expression before its result gets a cell.
const MAX_TEXT: usize = 400;

/// A Working-sheet cell: its formula (without `=`) and the f64 engine's value.
#[derive(Debug, Clone)]
pub struct WorkingCell {
    pub register: u32,
    pub formula: String,
    pub value: f64,
}

/// The recording rendered: how to write each register, and the Working sheet.
pub struct Rendered {
    /// Per register: the text a formula uses for it (a reference, or an inline expression).
    text: Vec<String>,
    /// Per register: the formula of its own cell (its operation, operands rendered).
    own: Vec<Option<String>>,
    /// Per register: the value the f64 engine computes for it.
    pub values: Vec<f64>,
    pub working: Vec<WorkingCell>,
}

impl Rendered {
    /// Renders `recording`, made with `inputs` (the input registers' cells and values), with
    /// `homes` the cells already chosen for named figures' registers.
    pub fn new(
        recording: &Recording,
        inputs: &[(Cell, f64)],
        homes: &[(u32, Cell)],
        working_first_row: u32,
    ) -> Rendered {
        let n_inputs = recording.inputs as usize;
        let total = n_inputs + recording.ops.len();
        let mut home: Vec<Option<Cell>> = vec![None; total];
        for (r, (cell, _)) in inputs.iter().enumerate() {
            home[r] = Some(*cell);
        }
        for (r, cell) in homes {
            if home[*r as usize].is_none() {
                home[*r as usize] = Some(*cell);
            }
        }
        let mut uses = vec![0u32; total];
        for op in &recording.ops {
            for t in operands(op) {
                if let Traced::Reg(r) = t {
                    uses[r as usize] += 1;
                }
            }
        }
        let mut values: Vec<f64> = inputs.iter().map(|(_, v)| *v).collect();
        let mut text: Vec<String> = inputs.iter().map(|(c, _)| c.reference()).collect();
        let mut own = vec![None; total];
        let mut depth = vec![0u32; total];
        let mut working = Vec::new();
        for (k, op) in recording.ops.iter().enumerate() {
            let r = n_inputs + k;
            let value = |t: Traced, values: &[f64]| match t {
                Traced::Const(x) => x,
                Traced::Reg(i) => values[i as usize],
            };
            let d = |t: Traced| match t {
                Traced::Const(_) => 0,
                Traced::Reg(i) => depth[i as usize],
            };
            let (formula, v, deepest) = match *op {
                Op::Binary(kind, a, b) => {
                    let symbol = match kind {
                        BinaryKind::Add => "+",
                        BinaryKind::Sub => "-",
                        BinaryKind::Mul => "*",
                        BinaryKind::Div => "/",
                    };
                    (
                        format!(
                            "{}{symbol}{}",
                            operand(a, &text, false),
                            operand(b, &text, true)
                        ),
                        kind.apply(value(a, &values), value(b, &values)),
                        d(a).max(d(b)),
                    )
                }
                Op::Round(x, places) => (
                    format!("ROUND({},{places})", text[x as usize]),
                    crate::number::Num::round_dp(values[x as usize], places),
                    depth[x as usize],
                ),
                Op::Select {
                    value: v,
                    bound,
                    then,
                    otherwise,
                } => (
                    format!(
                        "IF({}<{},{},{})",
                        operand(v, &text, false),
                        operand(bound, &text, true),
                        plain(then, &text),
                        plain(otherwise, &text)
                    ),
                    if value(v, &values) < value(bound, &values) {
                        value(then, &values)
                    } else {
                        value(otherwise, &values)
                    },
                    d(v).max(d(bound)).max(d(then)).max(d(otherwise)),
                ),
            };
            values.push(v);
            let needs_cell = home[r].is_some()
                || uses[r] > 1
                || deepest + 1 > MAX_DEPTH
                || formula.len() > MAX_TEXT;
            if needs_cell {
                let cell = *home[r].get_or_insert_with(|| Cell {
                    sheet: WORKING,
                    row: working_first_row + working.len() as u32,
                    col: 1,
                });
                if cell.sheet == WORKING {
                    working.push(WorkingCell {
                        register: r as u32,
                        formula: formula.clone(),
                        value: v,
                    });
                }
                text.push(cell.reference());
                depth[r] = 0;
            } else {
                let is_call = matches!(op, Op::Round(..) | Op::Select { .. });
                text.push(if is_call {
                    formula.clone()
                } else {
                    format!("({formula})")
                });
                depth[r] = deepest + 1;
            }
            own[r] = Some(formula);
        }
        Rendered {
            text,
            own,
            values,
            working,
        }
    }

    /// The formula (without `=`) of the cell that is `figure`'s home, `cell`: its operation
    /// if the register lives there, else a reference to where it lives (or the constant).
    pub fn formula_at(&self, figure: Traced, cell: Cell) -> String {
        match figure {
            Traced::Const(x) => constant(x),
            Traced::Reg(r) => {
                let r = r as usize;
                if self.text[r] == cell.reference() {
                    self.own[r].clone().expect("an operation's register")
                } else {
                    self.text[r].clone()
                }
            }
        }
    }

    /// The reference or expression for `figure` inside another formula.
    pub fn text_of(&self, figure: Traced) -> String {
        plain(figure, &self.text)
    }

    /// The f64 engine's value of `figure`.
    pub fn value_of(&self, figure: Traced) -> f64 {
        match figure {
            Traced::Const(x) => x,
            Traced::Reg(r) => self.values[r as usize],
        }
    }
}

fn operands(op: &Op) -> Vec<Traced> {
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

/// An operand as written: a constant (in parentheses when negative, so `a--1` never
/// appears), a reference or an inline expression.
fn operand(t: Traced, text: &[String], _right: bool) -> String {
    match t {
        Traced::Const(x) if x < 0.0 || (x == 0.0 && x.is_sign_negative()) => {
            format!("({})", constant(x))
        }
        _ => plain(t, text),
    }
}

fn plain(t: Traced, text: &[String]) -> String {
    match t {
        Traced::Const(x) => constant(x),
        Traced::Reg(r) => text[r as usize].clone(),
    }
}

/// A constant as Excel reads it back to the same f64: whole numbers plainly, others in the
/// shortest form that round-trips.
pub fn constant(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let mut buffer = ryu::Buffer::new();
        buffer.format(x).to_ascii_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::Num;
    use crate::simulate::tape::trace;

    fn input(row: u32) -> Cell {
        Cell {
            sheet: "Inputs",
            row,
            col: 2,
        }
    }

    #[test]
    fn operations_become_formulas_with_round_and_shared_results_get_cells() {
        let (out, recording) = trace(2, || {
            let (a, b) = (Traced::Reg(0), Traced::Reg(1));
            let shared = a * b;
            let once = (shared + Traced::from_int(52)).round_dp(0);
            (once, shared - once, shared / Traced::from_int(-4))
        });
        let home = Cell {
            sheet: "Model",
            row: 4,
            col: 2,
        };
        let rendered = Rendered::new(
            &recording,
            &[(input(1), 2.5), (input(2), 3.0)],
            &[(reg(out.1), home)],
            1,
        );
        // `shared` is used three times: a Working cell.
        assert_eq!(rendered.working.len(), 1);
        assert_eq!(rendered.working[0].formula, "Inputs!C2*Inputs!C3");
        assert_eq!(
            rendered.formula_at(out.1, home),
            "Working!B2-ROUND((Working!B2+52),0)"
        );
        assert_eq!(rendered.text_of(out.2), "(Working!B2/(-4))");
        assert_eq!(rendered.value_of(out.1), 7.5 - 60.0);
        assert_eq!(rendered.value_of(out.0), 60.0);
    }

    fn reg(t: Traced) -> u32 {
        match t {
            Traced::Reg(r) => r,
            Traced::Const(_) => panic!("constant"),
        }
    }

    #[test]
    fn columns_and_constants_are_written_as_excel_reads_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(constant(52.0), "52");
        assert_eq!(constant(1.0 / 12.0), "0.08333333333333333");
        assert_eq!(constant(1e-7), "1E-7");
        assert_eq!(
            (1.0f64 / 12.0).to_string().parse::<f64>().unwrap(),
            1.0 / 12.0
        );
    }
}
