//! SVG charts drawn with plotters' SVG backend: titles, axis labels with units, £ ticks such
//! as £1.2m, a `<title>` and `<desc>` for screen readers, and colours that stay distinct in
//! greyscale (the Okabe-Ito palette's dark blue against its orange, bands by lightness).
//!
//! Every chart is a pure function of its figures, so the same inputs give the same bytes.

pub mod draw;
pub mod of;
pub mod stacked;

pub use draw::{Band, Fan, Series, TornadoBar, bars, cdf, fan, histogram, lines};
pub use stacked::{Stack, stacked};

/// Chart size in pixels (SVG user units).
pub const SIZE: (u32, u32) = (860, 480);

/// Dark blue and orange (Okabe-Ito): about 25% and 65% grey in greyscale.
pub const DARK: plotters::style::RGBColor = plotters::style::RGBColor(0, 114, 178);
pub const LIGHT: plotters::style::RGBColor = plotters::style::RGBColor(230, 159, 0);
/// Further series: vermilion, bluish green, black.
pub const OTHERS: [plotters::style::RGBColor; 3] = [
    plotters::style::RGBColor(213, 94, 0),
    plotters::style::RGBColor(0, 158, 115),
    plotters::style::RGBColor(0, 0, 0),
];

/// What a chart says about itself.
#[derive(Debug, Clone)]
pub struct Labels {
    pub title: String,
    /// The text alternative: what the chart shows, in a sentence or two with its figures.
    pub desc: String,
    pub x: String,
    pub y: String,
}

/// A money tick: `£0`, `£850`, `£12k`, `£1.2m`, `-£350k`.
pub fn money_tick(value: f64) -> String {
    let sign = if value < 0.0 { "-" } else { "" };
    let v = value.abs();
    let body = if v >= 1e9 {
        format!("{}bn", trim(v / 1e9))
    } else if v >= 1e6 {
        format!("{}m", trim(v / 1e6))
    } else if v >= 1e3 {
        format!("{}k", trim(v / 1e3))
    } else {
        format!("{}", v.round() as i64)
    };
    format!("{sign}£{body}")
}

/// Up to one decimal place, without a trailing `.0`.
fn trim(x: f64) -> String {
    let text = format!("{x:.1}");
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// Escapes text for XML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Puts the chart's `<title>` and `<desc>` first inside `<svg>`, with `role="img"` and the
/// ids that screen readers follow. `id` keeps ids unique when several charts share a page.
pub fn accessible(svg: String, labels: &Labels, id: &str) -> String {
    let Some(end) = svg.find('>') else {
        return svg;
    };
    let (open, rest) = svg.split_at(end);
    format!(
        "{open} role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{}",
        escape(&labels.title),
        escape(&labels.desc),
        &rest[1..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_ticks_are_short_and_signed() {
        assert_eq!(money_tick(0.0), "£0");
        assert_eq!(money_tick(850.0), "£850");
        assert_eq!(money_tick(12_000.0), "£12k");
        assert_eq!(money_tick(1_234_567.0), "£1.2m");
        assert_eq!(money_tick(-350_000.0), "-£350k");
        assert_eq!(money_tick(2_000_000_000.0), "£2bn");
    }

    #[test]
    fn the_text_alternative_comes_first() {
        let labels = Labels {
            title: "A & B".into(),
            desc: "x < y".into(),
            x: String::new(),
            y: String::new(),
        };
        let svg = accessible("<svg width=\"1\"><rect/></svg>".into(), &labels, "c");
        assert!(svg.starts_with(
            "<svg width=\"1\" role=\"img\" aria-labelledby=\"c-title c-desc\"><title id=\"c-title\">A &amp; B</title>"
        ));
        assert!(svg.ends_with("<desc id=\"c-desc\">x &lt; y</desc><rect/></svg>"));
    }
}
