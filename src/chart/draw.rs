//! The chart kinds: lines over years or input values, a fan of percentile bands, a histogram,
//! an S-curve and tornado bars, each drawn into an SVG string.

use super::{DARK, LIGHT, Labels, OTHERS, SIZE, accessible, money_tick};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub(super) type Failure = Box<dyn std::error::Error>;

/// Draws with `paint` into an SVG of [`SIZE`], then adds the text alternative. plotters'
/// SVG backend writes into memory and fails only on a bad coordinate, which these charts'
/// padded ranges never give; should it fail, the chart says so instead of a broken file.
pub(super) fn svg(
    labels: &Labels,
    id: &str,
    paint: impl FnOnce(&Area) -> Result<(), Failure>,
) -> String {
    let mut out = String::new();
    let result = {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        root.fill(&WHITE)
            .map_err(Failure::from)
            .and_then(|_| paint(&root))
            .and_then(|_| root.present().map_err(Failure::from))
    };
    if let Err(error) = result {
        out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\"><text x=\"10\" y=\"20\">chart not drawn: {}</text></svg>",
            SIZE.0,
            SIZE.1,
            super::escape(&error.to_string())
        );
    }
    accessible(out, labels, id)
}

/// The lowest and highest of `values` and zero, padded by a twentieth.
pub(super) fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut low, mut high) = (0.0f64, 0.0f64);
    for v in values.filter(|v| v.is_finite()) {
        low = low.min(v);
        high = high.max(v);
    }
    if high - low < 1e-9 {
        high = low + 1.0;
    }
    let pad = (high - low) / 20.0;
    (low - pad, high + pad)
}

pub(super) fn font(size: u32) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&BLACK)
}

/// A named line of points.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// Lines over financial years (`years`: x is the year's index) or over an input's values,
/// money on the y axis; `marks` are labelled horizontal lines (a target).
pub fn lines(
    labels: &Labels,
    id: &str,
    years: Option<&[String]>,
    series: &[Series],
    marks: &[(f64, String)],
) -> String {
    let xs = series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let (mut x0, mut x1) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    if x0 > x1 {
        (x0, x1) = (0.0, 1.0);
    }
    if x1 - x0 < 1e-9 {
        x1 = x0 + 1.0;
    }
    let pad = (x1 - x0) / 20.0;
    let ys = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain(marks.iter().map(|m| m.0));
    let (y0, y1) = span(ys);
    svg(labels, id, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&labels.title, font(20))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(84)
            .build_cartesian_2d((x0 - pad)..(x1 + pad), y0..y1)?;
        let year_label = |x: &f64| match years {
            Some(names) => year_at(names, *x),
            None => trim_number(*x),
        };
        chart
            .configure_mesh()
            .x_desc(&labels.x)
            .y_desc(&labels.y)
            .x_labels(years.map_or(8, |y| y.len()))
            .x_label_formatter(&year_label)
            .y_label_formatter(&|y| money_tick(*y))
            .label_style(font(13))
            .axis_desc_style(font(15))
            .light_line_style(WHITE)
            .draw()?;
        for (k, s) in series.iter().enumerate() {
            let colour = [DARK, LIGHT, OTHERS[0], OTHERS[1], OTHERS[2]][k % 5];
            let style = ShapeStyle::from(colour).stroke_width(3);
            chart
                .draw_series(LineSeries::new(s.points.iter().copied(), style))?
                .label(&s.name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            // Markers of a different shape per series: distinct without colour.
            match k % 3 {
                0 => {
                    chart.draw_series(
                        s.points.iter().map(|p| Circle::new(*p, 4, colour.filled())),
                    )?;
                }
                1 => {
                    chart.draw_series(
                        s.points
                            .iter()
                            .map(|p| TriangleMarker::new(*p, 5, colour.filled())),
                    )?;
                }
                _ => {
                    chart.draw_series(s.points.iter().map(|p| Cross::new(*p, 4, colour)))?;
                }
            }
        }
        for (value, name) in marks {
            let style = ShapeStyle::from(BLACK).stroke_width(1);
            chart
                .draw_series(DashedLineSeries::new(
                    [(x0 - pad, *value), (x1 + pad, *value)],
                    6,
                    4,
                    style,
                ))?
                .label(name.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft, 13)?;
        Ok(())
    })
}

/// The name of the financial year at `x` on an axis of year indices; nothing between years.
pub(super) fn year_at(years: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() < 1e-6 && i >= 0.0 {
        years.get(i as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

/// The legend box every chart draws: white, outlined, in `corner`.
pub(super) fn legend<'a, 'b: 'a>(
    chart: &mut Cartesian<'a, 'b>,
    corner: SeriesLabelPosition,
    size: u32,
) -> Result<(), Failure> {
    chart
        .configure_series_labels()
        .position(corner)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(font(size))
        .draw()?;
    Ok(())
}

fn trim_number(x: f64) -> String {
    let text = format!("{x:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// One percentile band of a fan: its name and its low and high value each year.
#[derive(Debug, Clone)]
pub struct Band {
    pub name: String,
    pub low: Vec<f64>,
    pub high: Vec<f64>,
}

/// A fan chart: bands (widest first) and a median line over financial years.
#[derive(Debug, Clone)]
pub struct Fan {
    pub years: Vec<String>,
    pub bands: Vec<Band>,
    pub median: Vec<f64>,
    pub target: Option<f64>,
}

pub fn fan(labels: &Labels, id: &str, data: &Fan) -> String {
    let n = data.years.len();
    let values = data
        .bands
        .iter()
        .flat_map(|b| b.low.iter().chain(&b.high))
        .chain(&data.median)
        .chain(&data.target)
        .copied();
    let (y0, y1) = span(values);
    svg(labels, id, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&labels.title, font(20))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(84)
            .build_cartesian_2d(-0.3..(n as f64 - 0.7), y0..y1)?;
        let names = &data.years;
        chart
            .configure_mesh()
            .x_desc(&labels.x)
            .y_desc(&labels.y)
            .x_labels(n)
            .x_label_formatter(&|x: &f64| year_at(names, *x))
            .y_label_formatter(&|y| money_tick(*y))
            .label_style(font(13))
            .axis_desc_style(font(15))
            .light_line_style(WHITE)
            .draw()?;
        // Light to darker blue: distinct by lightness in greyscale.
        let shades = [RGBColor(198, 219, 239), RGBColor(107, 174, 214)];
        for (k, band) in data.bands.iter().enumerate() {
            let colour = shades[k.min(1)];
            let mut outline: Vec<(f64, f64)> = (0..n).map(|t| (t as f64, band.high[t])).collect();
            outline.extend((0..n).rev().map(|t| (t as f64, band.low[t])));
            chart
                .draw_series(std::iter::once(Polygon::new(outline, colour.filled())))?
                .label(&band.name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 20, y + 5)], colour.filled())
                });
        }
        let median: Vec<(f64, f64)> = (0..n).map(|t| (t as f64, data.median[t])).collect();
        let style = ShapeStyle::from(RGBColor(8, 48, 107)).stroke_width(3);
        chart
            .draw_series(LineSeries::new(median.iter().copied(), style))?
            .label("P50 (median)")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        if let Some(target) = data.target {
            target_line(&mut chart, (-0.3, n as f64 - 0.7), target)?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft, 13)?;
        Ok(())
    })
}

pub(super) type Cartesian<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn target_line(chart: &mut Cartesian, (x0, x1): (f64, f64), target: f64) -> Result<(), Failure> {
    let style = ShapeStyle::from(LIGHT).stroke_width(3);
    chart
        .draw_series(DashedLineSeries::new(
            [(x0, target), (x1, target)],
            10,
            6,
            style,
        ))?
        .label(format!("target {}", money_tick(target)))
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    Ok(())
}

/// A vertical marker at `x` across the chart, labelled.
fn vertical(
    chart: &mut Cartesian,
    x: f64,
    (y0, y1): (f64, f64),
    name: String,
) -> Result<(), Failure> {
    let style = ShapeStyle::from(LIGHT).stroke_width(3);
    chart
        .draw_series(DashedLineSeries::new([(x, y0), (x, y1)], 10, 6, style))?
        .label(name)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    Ok(())
}

/// A histogram of `bins` (from, to, count), money on the x axis; `target` marked.
pub fn histogram(
    labels: &Labels,
    id: &str,
    bins: &[(f64, f64, u64)],
    target: Option<(f64, String)>,
) -> String {
    let (x0, x1) = span(
        bins.iter()
            .flat_map(|b| [b.0, b.1])
            .chain(target.as_ref().map(|t| t.0)),
    );
    let top = bins.iter().map(|b| b.2).max().unwrap_or(1).max(1) as f64 * 1.1;
    svg(labels, id, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&labels.title, font(20))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(84)
            .build_cartesian_2d(x0..x1, 0.0..top)?;
        chart
            .configure_mesh()
            .x_desc(&labels.x)
            .y_desc(&labels.y)
            .x_label_formatter(&|x| money_tick(*x))
            .y_label_formatter(&|y| trim_number(y.round()))
            .label_style(font(13))
            .axis_desc_style(font(15))
            .light_line_style(WHITE)
            .draw()?;
        chart
            .draw_series(bins.iter().map(|(from, to, count)| {
                Rectangle::new([(*from, 0.0), (*to, *count as f64)], DARK.filled())
            }))?
            .label("iterations in each band of values")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], DARK.filled()));
        if let Some((t, name)) = target {
            vertical(&mut chart, t, (0.0, top), name)?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft, 13)?;
        Ok(())
    })
}

/// An S-curve: the share of iterations at or below each value; `target` marked.
pub fn cdf(
    labels: &Labels,
    id: &str,
    points: &[(f64, f64)],
    target: Option<(f64, String)>,
) -> String {
    let (x0, x1) = span(
        points
            .iter()
            .map(|p| p.0)
            .chain(target.as_ref().map(|t| t.0)),
    );
    svg(labels, id, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&labels.title, font(20))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(84)
            .build_cartesian_2d(x0..x1, 0.0..1.0)?;
        chart
            .configure_mesh()
            .x_desc(&labels.x)
            .y_desc(&labels.y)
            .x_label_formatter(&|x| money_tick(*x))
            .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
            .label_style(font(13))
            .axis_desc_style(font(15))
            .light_line_style(WHITE)
            .draw()?;
        let style = ShapeStyle::from(DARK).stroke_width(3);
        chart
            .draw_series(LineSeries::new(points.iter().copied(), style))?
            .label("share of iterations at or below")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        if let Some((t, name)) = target {
            vertical(&mut chart, t, (0.0, 1.0), name)?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft, 13)?;
        Ok(())
    })
}

/// A tornado bar: an input, its output at the low and high ends, and the ends' labels.
#[derive(Debug, Clone)]
pub struct TornadoBar {
    pub input: String,
    pub at_low: f64,
    pub at_high: f64,
    pub low: String,
    pub high: String,
}

/// Tornado bars, the widest swing at the top, from the base output to each end.
pub fn bars(labels: &Labels, id: &str, base: f64, rows: &[TornadoBar]) -> String {
    let n = rows.len().max(1);
    let (x0, x1) = span(
        rows.iter()
            .flat_map(|r| [r.at_low, r.at_high])
            .chain([base]),
    );
    let (x0, x1) = (x0 - (x1 - x0) * 0.15, x1 + (x1 - x0) * 0.15);
    svg(labels, id, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&labels.title, font(20))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(250)
            .build_cartesian_2d(x0..x1, -0.6..(n as f64 - 0.4))?;
        chart
            .configure_mesh()
            .x_desc(&labels.x)
            .y_desc(&labels.y)
            .y_labels(n)
            .x_label_formatter(&|x| money_tick(*x))
            .y_label_formatter(&|y: &f64| {
                let i = y.round();
                if (y - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < rows.len() {
                    rows[rows.len() - 1 - i as usize].input.clone()
                } else {
                    String::new()
                }
            })
            .label_style(font(12))
            .axis_desc_style(font(15))
            .light_line_style(WHITE)
            .draw()?;
        let at = |k: usize| (rows.len() - 1 - k) as f64;
        for (end, colour) in [(0, DARK), (1, LIGHT)] {
            let name = if end == 0 {
                "input at its low end"
            } else {
                "input at its high end"
            };
            chart
                .draw_series(rows.iter().enumerate().map(|(k, r)| {
                    let value = if end == 0 { r.at_low } else { r.at_high };
                    let y = at(k);
                    Rectangle::new([(base, y - 0.3), (value, y + 0.3)], colour.filled())
                }))?
                .label(name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 20, y + 5)], colour.filled())
                });
            chart.draw_series(rows.iter().enumerate().map(|(k, r)| {
                let (value, text) = if end == 0 {
                    (r.at_low, &r.low)
                } else {
                    (r.at_high, &r.high)
                };
                // Equal ends (no swing) go either side of the base so that they do not overprint.
                let right = if end == 0 {
                    value > base
                } else {
                    value >= base
                };
                let style = font(11).pos(Pos::new(
                    if right { HPos::Left } else { HPos::Right },
                    VPos::Center,
                ));
                let offset = (x1 - x0) * 0.005 * if right { 1.0 } else { -1.0 };
                Text::new(text.clone(), (value + offset, at(k)), style)
            }))?;
        }
        let style = ShapeStyle::from(BLACK).stroke_width(2);
        chart
            .draw_series(LineSeries::new(
                [(base, -0.6), (base, n as f64 - 0.4)],
                style,
            ))?
            .label(format!("base {}", money_tick(base)))
            .legend(move |(x, y)| PathElement::new(vec![(x + 10, y - 6), (x + 10, y + 6)], style));
        legend(&mut chart, SeriesLabelPosition::LowerLeft, 12)?;
        Ok(())
    })
}
