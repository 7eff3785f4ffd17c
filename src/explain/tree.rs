//! The tree of one traced figure: each operation's value, its operands, and the inputs at its
//! leaves with their paths and provenance. Chains of the same operation (`a x b x c`, `a + b
//! + c`) are shown as one node, as a person writes the formula.

use crate::scenario::Scenario;
use crate::simulate::tape::{BinaryKind, Op, Recording, Traced};

pub struct Tree<'a> {
    ops: &'a [Op],
    /// Every register's value: the inputs, then each operation's result.
    values: Vec<f64>,
    inputs: usize,
    scenario: &'a Scenario,
}

/// A number as a person reads it: grouped thousands, at most six decimals, trailing zeros cut.
pub fn show(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let places = if value.abs() >= 1000.0 { 2 } else { 6 };
    let text = format!("{:.*}", places, value.abs());
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

fn symbol(kind: BinaryKind) -> &'static str {
    match kind {
        BinaryKind::Add => "+",
        BinaryKind::Sub => "-",
        BinaryKind::Mul => "x",
        BinaryKind::Div => "/",
    }
}

impl<'a> Tree<'a> {
    pub fn new(recording: &'a Recording, inputs: &[f64], scenario: &'a Scenario) -> Tree<'a> {
        let mut values = inputs.to_vec();
        values.truncate(recording.inputs as usize);
        for op in &recording.ops {
            let at = |t: &Traced, values: &[f64]| match t {
                Traced::Const(c) => *c,
                Traced::Reg(r) => values[*r as usize],
            };
            let value = match op {
                Op::Binary(kind, a, b) => kind.apply(at(a, &values), at(b, &values)),
                Op::Round(r, places) => crate::number::Num::round_dp(values[*r as usize], *places),
                Op::Select {
                    value,
                    bound,
                    then,
                    otherwise,
                } => {
                    if at(value, &values) < at(bound, &values) {
                        at(then, &values)
                    } else {
                        at(otherwise, &values)
                    }
                }
            };
            values.push(value);
        }
        Tree {
            ops: &recording.ops,
            values,
            inputs: recording.inputs as usize,
            scenario,
        }
    }

    pub fn value(&self, t: Traced) -> f64 {
        match t {
            Traced::Const(c) => c,
            Traced::Reg(r) => self.values[r as usize],
        }
    }

    fn op(&self, t: Traced) -> Option<&Op> {
        match t {
            Traced::Reg(r) if r as usize >= self.inputs => {
                Some(&self.ops[r as usize - self.inputs])
            }
            _ => None,
        }
    }

    /// The operands of `t` with a chain of the same associative operation flattened.
    fn operands(&self, t: Traced) -> (String, Vec<Traced>) {
        match self.op(t) {
            Some(Op::Binary(kind, a, b)) => {
                let mut terms = vec![*b];
                let mut left = *a;
                if matches!(kind, BinaryKind::Add | BinaryKind::Mul | BinaryKind::Sub) {
                    // a - b - c and a + b + c read left to right; a - (b + c) is not flattened.
                    while let Some(Op::Binary(inner, x, y)) = self.op(left) {
                        let same = inner == kind
                            || (*kind == BinaryKind::Sub && *inner == BinaryKind::Sub);
                        if !same || terms.len() > 12 {
                            break;
                        }
                        terms.push(*y);
                        left = *x;
                    }
                }
                terms.push(left);
                terms.reverse();
                (symbol(*kind).into(), terms)
            }
            Some(Op::Round(r, places)) => {
                (format!("rounded to {places} places"), vec![Traced::Reg(*r)])
            }
            Some(Op::Select {
                value,
                bound,
                then,
                otherwise,
            }) => {
                let chosen = if self.value(*value) < self.value(*bound) {
                    *then
                } else {
                    *otherwise
                };
                ("the lesser bound".into(), vec![chosen])
            }
            None => (String::new(), Vec::new()),
        }
    }

    /// A leaf's description: an input's path and provenance, or a constant.
    fn leaf(&self, t: Traced) -> Option<String> {
        match t {
            Traced::Const(c) => Some(show(c)),
            Traced::Reg(r) if (r as usize) < self.inputs => {
                let info = &self.scenario.params.info[r as usize];
                let path = match info.year {
                    Some(year) => {
                        format!("{}[{}]", info.path, self.scenario.model.year_label(year))
                    }
                    None => info.path.clone(),
                };
                Some(format!(
                    "{} {path} ({})",
                    show(self.values[r as usize]),
                    info.provenance
                ))
            }
            _ => None,
        }
    }

    /// Writes the tree under `root`, `depth` levels of operations deep at most.
    pub fn write(&self, root: Traced, depth: usize, out: &mut String) {
        let mut seen = std::collections::HashSet::new();
        self.node(root, 0, depth, &mut seen, out);
    }

    fn node(
        &self,
        t: Traced,
        level: usize,
        depth: usize,
        seen: &mut std::collections::HashSet<u32>,
        out: &mut String,
    ) {
        let indent = "  ".repeat(level);
        if let Some(leaf) = self.leaf(t) {
            out.push_str(&format!("{indent}{leaf}\n"));
            return;
        }
        let Traced::Reg(r) = t else { return };
        let (how, operands) = self.operands(t);
        let shown: Vec<String> = operands.iter().map(|o| show(self.value(*o))).collect();
        let formula = if how.len() == 1 {
            shown.join(&format!(" {how} "))
        } else {
            format!("{} {how}", shown.join(", "))
        };
        let value = show(self.value(t));
        if !seen.insert(r) {
            out.push_str(&format!("{indent}{value} (as above)\n"));
            return;
        }
        out.push_str(&format!("{indent}{value} = {formula}\n"));
        if level + 1 >= depth {
            if operands.iter().any(|o| self.op(*o).is_some()) {
                out.push_str(&format!("{indent}  ... (deeper: --depth {})\n", depth + 1));
            }
            for o in operands.iter().filter(|o| self.op(**o).is_none()) {
                if let Some(leaf) = self.leaf(*o).filter(|_| matches!(o, Traced::Reg(_))) {
                    out.push_str(&format!("{indent}  {leaf}\n"));
                }
            }
            return;
        }
        for o in operands {
            // Constants are in the formula already; inputs and operations get a line.
            if matches!(o, Traced::Reg(_)) {
                self.node(o, level + 1, depth, seen, out);
            }
        }
    }
}
