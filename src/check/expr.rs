//! A fixture's measure as an expression: `+ - * /` and parentheses over measure names and
//! numbers, so that a ratio, a share of a total or a difference between years or scenarios is
//! one figure.
//!
//! A name runs over letters, digits, `_` and `.`; a `/` between two digits stays in the name
//! (`year.2021/22.net`), any other `/` divides (write spaces around it to be plain).

use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Name(String),
    Number(Decimal),
    Neg(Box<Expr>),
    Op(char, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Number(Decimal),
    Sym(char),
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if "+-*/()".contains(c) {
            out.push(Token::Sym(c));
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let value = crate::literal::decimal(&word).map_err(|e| format!("`{word}`: {e}"))?;
            out.push(Token::Number(value));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() {
                let d = chars[i];
                let year_slash = d == '/'
                    && i > start
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                if d.is_alphanumeric() || d == '_' || d == '.' || year_slash {
                    i += 1;
                } else {
                    break;
                }
            }
            out.push(Token::Name(chars[start..i].iter().collect()));
        } else {
            return Err(format!(
                "`{c}` cannot appear in a measure (names, numbers, `+ - * /` and parentheses)"
            ));
        }
    }
    Ok(out)
}

/// Parses a measure; an empty one or a dangling operator is an error naming the measure.
pub fn parse(text: &str) -> Result<Expr, String> {
    let tokens = tokens(text)?;
    let mut parser = Parser { tokens, at: 0 };
    let expr = parser.sum().map_err(|e| format!("measure `{text}`: {e}"))?;
    if parser.at != parser.tokens.len() {
        return Err(format!(
            "measure `{text}`: unexpected text after a complete expression"
        ));
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn sum(&mut self) -> Result<Expr, String> {
        let mut left = self.product()?;
        while let Some(Token::Sym(op @ ('+' | '-'))) = self.peek().cloned() {
            self.at += 1;
            left = Expr::Op(op, Box::new(left), Box::new(self.product()?));
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while let Some(Token::Sym(op @ ('*' | '/'))) = self.peek().cloned() {
            self.at += 1;
            left = Expr::Op(op, Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        let token = self.peek().cloned();
        self.at += 1;
        match token {
            Some(Token::Sym('-')) => Ok(Expr::Neg(Box::new(self.unary()?))),
            Some(Token::Sym('(')) => {
                let inner = self.sum()?;
                if self.peek() != Some(&Token::Sym(')')) {
                    return Err("a `(` is not closed".into());
                }
                self.at += 1;
                Ok(inner)
            }
            Some(Token::Name(n)) => Ok(Expr::Name(n)),
            Some(Token::Number(v)) => Ok(Expr::Number(v)),
            Some(Token::Sym(c)) => Err(format!("`{c}` where a name or number should be")),
            None => Err("a name or number is missing".into()),
        }
    }
}

impl Expr {
    /// Every name the expression reads, in order.
    #[cfg(test)]
    pub fn names(&self) -> Vec<&str> {
        match self {
            Expr::Name(n) => vec![n.as_str()],
            Expr::Number(_) => vec![],
            Expr::Neg(e) => e.names(),
            Expr::Op(_, a, b) => {
                let mut v = a.names();
                v.extend(b.names());
                v
            }
        }
    }

    /// Evaluates with `name` reading each measure name as an amount.
    pub fn eval(
        &self,
        name: &mut dyn FnMut(&str) -> Result<Decimal, String>,
    ) -> Result<Decimal, String> {
        match self {
            Expr::Name(n) => name(n),
            Expr::Number(v) => Ok(*v),
            Expr::Neg(e) => Ok(-e.eval(name)?),
            Expr::Op(op, a, b) => {
                let x = a.eval(name)?;
                let y = b.eval(name)?;
                let overflow = || format!("`{self}` overflows the money type");
                match op {
                    '+' => x.checked_add(y).ok_or_else(overflow),
                    '-' => x.checked_sub(y).ok_or_else(overflow),
                    '*' => x.checked_mul(y).ok_or_else(overflow),
                    _ => {
                        if y.is_zero() {
                            return Err(format!("division by zero: `{b}` is 0 in `{self}`"));
                        }
                        x.checked_div(y).ok_or_else(overflow)
                    }
                }
            }
        }
    }
}

impl std::fmt::Display for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Expr::Name(n) => f.write_str(n),
            Expr::Number(v) => write!(f, "{v}"),
            Expr::Neg(e) => write!(f, "-{e}"),
            Expr::Op(op, a, b) => write!(f, "({a} {op} {b})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn value(text: &str, names: &[(&str, Decimal)]) -> Result<Decimal, String> {
        parse(text)?.eval(&mut |n| {
            names
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| *v)
                .ok_or_else(|| format!("no `{n}`"))
        })
    }

    #[test]
    fn year_labels_stay_in_names_and_other_slashes_divide() {
        let e = parse("year.2021/22.net/summary.total_cost").unwrap();
        assert_eq!(e.names(), ["year.2021/22.net", "summary.total_cost"]);
        let names = [
            ("year.2021/22.net", dec("10")),
            ("summary.total_cost", dec("4")),
        ];
        assert_eq!(
            value("year.2021/22.net / summary.total_cost", &names),
            Ok(dec("2.5"))
        );
    }

    #[test]
    fn precedence_parentheses_and_minus() {
        let names = [("a", dec("2")), ("b", dec("3")), ("c", dec("4"))];
        assert_eq!(value("a + b * c", &names), Ok(dec("14")));
        assert_eq!(value("(a + b) * c", &names), Ok(dec("20")));
        assert_eq!(value("a - b - c", &names), Ok(dec("-5")));
        assert_eq!(value("-a + 10", &names), Ok(dec("8")));
        assert_eq!(
            value(
                "opt2.summary.npv - opt3.summary.npv",
                &[
                    ("opt2.summary.npv", dec("5")),
                    ("opt3.summary.npv", dec("3"))
                ]
            ),
            Ok(dec("2"))
        );
    }

    #[test]
    fn division_by_zero_is_a_clear_error() {
        let err = value("a / (b - b)", &[("a", dec("1")), ("b", dec("3"))]).unwrap_err();
        assert!(err.contains("division by zero"), "{err}");
    }

    #[test]
    fn malformed_measures_are_errors() {
        for bad in ["", "a +", "(a", "a b", "a % b", "* a"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
