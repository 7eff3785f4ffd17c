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

    /// A leaf: an input's value, path and provenance, or a constant.
    fn leaf(&self, t: Traced) -> Option<Node> {
        match t {
            Traced::Const(c) => Some(Node::number(c)),
            Traced::Reg(r) if (r as usize) < self.inputs => {
                let info = &self.scenario.params.info[r as usize];
                let path = match info.year {
                    Some(year) => {
                        format!("{}[{}]", info.path, self.scenario.model.year_label(year))
                    }
                    None => info.path.clone(),
                };
                Some(Node {
                    input: Some(path),
                    provenance: Some(info.provenance.to_string()),
                    ..Node::number(self.values[r as usize])
                })
            }
            _ => None,
        }
    }

    /// The tree under `root`, `depth` levels of operations deep at most.
    pub fn build(&self, root: Traced, depth: usize) -> Node {
        let mut seen = std::collections::HashSet::new();
        self.node(root, 0, depth, &mut seen)
    }

    fn node(
        &self,
        t: Traced,
        level: usize,
        depth: usize,
        seen: &mut std::collections::HashSet<u32>,
    ) -> Node {
        if let Some(leaf) = self.leaf(t) {
            return leaf;
        }
        let Traced::Reg(r) = t else {
            return Node::number(self.value(t));
        };
        let mut node = Node::number(self.value(t));
        if !seen.insert(r) {
            node.as_above = true;
            return node;
        }
        let (how, operands) = self.operands(t);
        let shown: Vec<String> = operands.iter().map(|o| show(self.value(*o))).collect();
        node.formula = Some(if how.len() == 1 {
            shown.join(&format!(" {how} "))
        } else {
            format!("{} {how}", shown.join(", "))
        });
        if level + 1 >= depth {
            if operands.iter().any(|o| self.op(*o).is_some()) {
                node.deeper = Some(depth + 1);
            }
            node.operands = operands
                .iter()
                .filter(|o| matches!(o, Traced::Reg(_)) && self.op(**o).is_none())
                .filter_map(|o| self.leaf(*o))
                .collect();
            return node;
        }
        // Constants are in the formula already; inputs and operations get a node.
        node.operands = operands
            .into_iter()
            .filter(|o| matches!(o, Traced::Reg(_)))
            .map(|o| self.node(o, level + 1, depth, seen))
            .collect();
        node
    }
}

/// One step of an explanation: an operation with its formula and operands, or an input.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Node {
    /// The value as the f64 engine computed it, for the text.
    #[serde(skip)]
    pub number: f64,
    /// The value as decimal text (at most six places, two from 1,000), as the tree shows it.
    pub value: String,
    /// An operation: its formula over its operands' values, e.g. `0.5625 x 2 x 52`.
    pub formula: Option<String>,
    /// An input: its path, with the year for a value per year.
    pub input: Option<String>,
    /// An input: where its value comes from.
    pub provenance: Option<String>,
    /// An operation already shown higher up the tree (its operands are not repeated).
    pub as_above: bool,
    /// The operands go deeper than `--depth`: the depth that would show the next level.
    pub deeper: Option<usize>,
    /// The operands that are inputs or operations (constants are in the formula).
    pub operands: Vec<Node>,
}

impl Node {
    fn number(value: f64) -> Node {
        Node {
            number: value,
            value: plain(value),
            formula: None,
            input: None,
            provenance: None,
            as_above: false,
            deeper: None,
            operands: Vec::new(),
        }
    }

    /// The node's own line, without indentation: `235,986 = 235,985.79 rounded to 0 places`,
    /// `2 benefits.care_hours.hours_per_week (source: ...)`, `1 (as above)`.
    pub fn line(&self) -> String {
        let value = show(self.number);
        match (&self.input, &self.formula) {
            (Some(path), _) => format!(
                "{value} {path} ({})",
                self.provenance.as_deref().unwrap_or("")
            ),
            _ if self.as_above => format!("{value} (as above)"),
            (None, Some(formula)) => format!("{value} = {formula}"),
            (None, None) => value,
        }
    }

    /// Writes the tree as indented lines, two spaces a level.
    pub fn write(&self, level: usize, out: &mut String) {
        let indent = "  ".repeat(level);
        out.push_str(&format!("{indent}{}\n", self.line()));
        if let Some(depth) = self.deeper {
            out.push_str(&format!("{indent}  ... (deeper: --depth {depth})\n"));
        }
        for operand in &self.operands {
            operand.write(level + 1, out);
        }
    }

    /// Every node in order with its level (for CSV and Markdown).
    pub fn walk<'a>(&'a self, level: usize, out: &mut Vec<(usize, &'a Node)>) {
        out.push((level, self));
        for operand in &self.operands {
            operand.walk(level + 1, out);
        }
    }
}

/// A number as decimal text, as [`show`] gives it but without grouping.
pub fn plain(value: f64) -> String {
    show(value).replace(',', "")
}
