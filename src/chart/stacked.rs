//! Benefit and cost by year, stacked by line: a bar a year, each benefit line a band above
//! zero and each cost line a band below it, with the year's net marked. Benefit bands are
//! blues and cost bands oranges (Okabe-Ito's pair, told apart by colour-blind readers), each
//! group stepped from dark to light so that neighbouring bands differ in greyscale too, and
//! every band outlined in white.

use super::draw::{Area, Failure, font, legend, span, svg, year_at};
use super::{Labels, money_tick};
use plotters::prelude::*;

/// One line's amount each year (a cost as the positive amount paid).
#[derive(Debug, Clone)]
pub struct Stack {
    pub name: String,
    pub amounts: Vec<f64>,
}

/// `count` shades from `dark` to `light`, evenly spaced in lightness.
fn shades(dark: (u8, u8, u8), light: (u8, u8, u8), count: usize) -> Vec<RGBColor> {
    let mix = |a: u8, b: u8, t: f64| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    (0..count)
        .map(|k| {
            let t = if count < 2 {
                0.0
            } else {
                k as f64 / (count - 1) as f64
            };
            RGBColor(
                mix(dark.0, light.0, t),
                mix(dark.1, light.1, t),
                mix(dark.2, light.2, t),
            )
        })
        .collect()
}

/// Benefit shades (dark blue to light blue) and cost shades (dark orange to light orange).
pub fn palette(benefits: usize, costs: usize) -> (Vec<RGBColor>, Vec<RGBColor>) {
    (
        shades((0, 73, 122), (158, 202, 225), benefits),
        shades((166, 72, 0), (253, 208, 162), costs),
    )
}

/// Each year's bar: benefit lines stacked up from zero, cost lines down from it (a negative
/// benefit or a refund goes the other way, stacked from its side), and the net as a line.
pub fn stacked(
    labels: &Labels,
    id: &str,
    years: &[String],
    benefits: &[Stack],
    costs: &[Stack],
    net: &[f64],
) -> String {
    let n = years.len();
    // Every band as (line, year, from, to), stacked from zero on its own side.
    let mut up = vec![0.0f64; n];
    let mut down = vec![0.0f64; n];
    let mut bands: Vec<(usize, usize, f64, f64)> = Vec::new();
    let signed = benefits
        .iter()
        .map(|s| (s, 1.0))
        .chain(costs.iter().map(|s| (s, -1.0)));
    for (line, (stack, sign)) in signed.enumerate() {
        for (t, amount) in stack.amounts.iter().enumerate().take(n) {
            let v = sign * amount;
            if !v.is_finite() || v == 0.0 {
                continue;
            }
            let cursor = if v > 0.0 { &mut up[t] } else { &mut down[t] };
            bands.push((line, t, *cursor, *cursor + v));
            *cursor += v;
        }
    }
    let (y0, y1) = span(up.iter().chain(&down).chain(net).copied());
    let (blue, orange) = palette(benefits.len(), costs.len());
    let colours: Vec<RGBColor> = blue.into_iter().chain(orange).collect();
    let names: Vec<&str> = benefits
        .iter()
        .chain(costs)
        .map(|s| s.name.as_str())
        .collect();
    svg(labels, id, |root: &Area| {
        let mut chart = ChartBuilder::on(root)
            .caption(&labels.title, font(20))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(84)
            .build_cartesian_2d(-0.6..(n as f64 - 0.4), y0..y1)?;
        chart
            .configure_mesh()
            .x_desc(&labels.x)
            .y_desc(&labels.y)
            .x_labels(n)
            .x_label_formatter(&|x: &f64| year_at(years, *x))
            .y_label_formatter(&|y| money_tick(*y))
            .label_style(font(13))
            .axis_desc_style(font(15))
            .light_line_style(WHITE)
            .draw()?;
        for (line, name) in names.iter().enumerate() {
            let colour = colours[line];
            let mine = bands.iter().filter(|b| b.0 == line);
            chart
                .draw_series(mine.clone().map(|&(_, t, from, to)| {
                    let x = t as f64;
                    Rectangle::new([(x - 0.32, from), (x + 0.32, to)], colour.filled())
                }))?
                .label(*name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 20, y + 5)], colour.filled())
                });
            chart.draw_series(mine.map(|&(_, t, from, to)| {
                let x = t as f64;
                Rectangle::new(
                    [(x - 0.32, from), (x + 0.32, to)],
                    ShapeStyle::from(WHITE).stroke_width(1),
                )
            }))?;
        }
        let zero = ShapeStyle::from(BLACK).stroke_width(1);
        chart.draw_series(LineSeries::new([(-0.6, 0.0), (n as f64 - 0.4, 0.0)], zero))?;
        let style = ShapeStyle::from(BLACK).stroke_width(2);
        let points: Vec<(f64, f64)> = net
            .iter()
            .enumerate()
            .map(|(t, v)| (t as f64, *v))
            .collect();
        chart
            .draw_series(LineSeries::new(points.iter().copied(), style))?
            .label("Net benefit to the council")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        chart.draw_series(points.iter().map(|p| Circle::new(*p, 4, BLACK.filled())))?;
        legend(&mut chart, SeriesLabelPosition::UpperLeft, 12)?;
        Ok::<(), Failure>(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grey(c: RGBColor) -> f64 {
        0.299 * c.0 as f64 + 0.587 * c.1 as f64 + 0.114 * c.2 as f64
    }

    #[test]
    fn bands_in_a_group_differ_in_greyscale() {
        let (blue, orange) = palette(4, 3);
        for group in [&blue, &orange] {
            for pair in group.windows(2) {
                assert!(grey(pair[1]) - grey(pair[0]) > 20.0, "{pair:?}");
            }
        }
    }

    #[test]
    fn every_line_is_a_band_with_its_legend() {
        let labels = Labels {
            title: "Benefit and cost by year".into(),
            desc: "Two lines.".into(),
            x: "Financial year".into(),
            y: "Pounds a year (£)".into(),
        };
        let years = vec!["2021/22".to_string(), "2022/23".to_string()];
        let svg = stacked(
            &labels,
            "bc",
            &years,
            &[
                Stack {
                    name: "Care hours".into(),
                    amounts: vec![100.0, 200.0],
                },
                Stack {
                    name: "Falls".into(),
                    amounts: vec![50.0, 50.0],
                },
            ],
            &[Stack {
                name: "Technology".into(),
                amounts: vec![80.0, 60.0],
            }],
            &[70.0, 190.0],
        );
        for name in [
            "Care hours",
            "Falls",
            "Technology",
            "Net benefit to the council",
        ] {
            assert!(svg.contains(&format!("\n{name}\n</text>")), "{name}");
        }
    }
}
