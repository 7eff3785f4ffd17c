//! Issue 13 through the binary: `-o case.xlsx` writes a workbook, `--format svg` a chart,
//! `report` an HTML file.

use super::{SCENARIO4, tec};

#[test]
fn run_writes_a_workbook_chosen_by_extension_or_format() {
    let dir = tempfile::tempdir().unwrap();
    let by_extension = dir.path().join("case.xlsx");
    tec()
        .args(["run", SCENARIO4, "-o"])
        .arg(&by_extension)
        .assert()
        .success();
    let bytes = std::fs::read(&by_extension).unwrap();
    // An xlsx file is a zip archive.
    assert_eq!(&bytes[..2], b"PK");
    let by_format = dir.path().join("case-book");
    tec()
        .args(["run", SCENARIO4, "--format", "xlsx", "-o"])
        .arg(&by_format)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&by_format).unwrap(),
        bytes,
        "the same bytes each time"
    );
    tec()
        .args(["run", SCENARIO4, "--format", "xlsx", "-o"])
        .arg(dir.path().join("case.csv"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "does not match the file's extension",
        ));
}

/// Every chart the binary draws, with the axis labels it must carry.
fn charts() -> Vec<(Vec<&'static str>, [&'static str; 2])> {
    let uncertain = "scenarios/leicestershire/scenario4-uncertain.yaml";
    let simulate = |chart: &'static str| {
        let mut args = vec![
            "simulate", uncertain, "-n", "500", "--seed", "7", "--target", "2000000",
        ];
        if !chart.is_empty() {
            args.extend(["--chart", chart]);
        }
        args.extend(["--format", "svg"]);
        args
    };
    vec![
        (
            vec!["tornado", SCENARIO4, "--format", "svg"],
            [
                "summary.cumulative_net (£)",
                "Input (low and high values labelled)",
            ],
        ),
        (
            simulate(""),
            ["Financial year", "Cumulative net benefit (£)"],
        ),
        (
            simulate("histogram"),
            ["Cumulative net benefit over the horizon (£)", "Iterations"],
        ),
        (
            simulate("cdf"),
            [
                "Cumulative net benefit over the horizon (£)",
                "Share of iterations at or below",
            ],
        ),
        (
            vec![
                "sweep",
                SCENARIO4,
                "--vary",
                "benefits.care_hours.hours_per_week=4..10:4",
                "--format",
                "svg",
            ],
            [
                "benefits.care_hours.hours_per_week (input value)",
                "Output (£)",
            ],
        ),
        (
            vec![
                "track",
                SCENARIO4,
                "actuals/leicestershire-2021-22-q1-q3.csv",
                "--format",
                "svg",
            ],
            ["Financial year", "Cumulative net benefit (£)"],
        ),
    ]
}

/// Checks an SVG's structure: a title and description first, the axis labels, £ ticks, and
/// nothing fetched from outside.
pub(crate) fn check_svg(svg: &str, axes: &[&str], what: &str) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{what}: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{what}");
    assert_eq!(root.attribute("role"), Some("img"), "{what}");
    let children: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(children[0].tag_name().name(), "title", "{what}");
    assert_eq!(children[1].tag_name().name(), "desc", "{what}");
    assert!(children[0].text().is_some_and(|t| t.len() > 5), "{what}");
    assert!(children[1].text().is_some_and(|t| t.len() > 20), "{what}");
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect();
    for axis in axes {
        assert!(
            texts.iter().any(|t| t == axis),
            "{what}: no axis label {axis:?} in {texts:?}"
        );
    }
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with('£') || t.starts_with("-£")),
        "{what}: no £ tick"
    );
    for node in doc.descendants() {
        for attribute in node.attributes() {
            assert!(
                !attribute.name().contains("href") && !attribute.value().contains("url(http"),
                "{what}: external reference {}={}",
                attribute.name(),
                attribute.value()
            );
        }
        assert!(
            !node.has_tag_name("script") && !node.has_tag_name("image"),
            "{what}"
        );
    }
}

#[test]
fn every_chart_has_a_title_axes_a_text_alternative_and_no_external_reference() {
    for (args, axes) in charts() {
        let what = args.join(" ");
        let first = tec()
            .args(&args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let second = tec()
            .args(&args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        assert_eq!(first, second, "{what}: the same chart twice");
        check_svg(&String::from_utf8(first).unwrap(), &axes, &what);
    }
}

#[test]
fn a_chart_by_extension_and_the_charts_that_do_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.svg");
    tec()
        .args(["tornado", SCENARIO4, "-o"])
        .arg(&path)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&path).unwrap().starts_with("<svg"));
    tec()
        .args([
            "sweep",
            SCENARIO4,
            "--vary",
            "benefits.care_hours.hours_per_week=4..10:3",
            "--vary",
            "benefits.care_hours.share=0.5..0.7:3",
            "--format",
            "svg",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("exactly one --vary"));
    tec()
        .args([
            "simulate",
            "scenarios/leicestershire/scenario4-uncertain.yaml",
            "--chart",
            "cdf",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--chart draws an SVG chart"));
}

#[test]
fn the_html_report_holds_every_section_fetches_nothing_and_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    let args = [
        "report",
        "scenarios/leicestershire/scenario4-uncertain.yaml",
        "--simulate",
        "2000",
        "--seed",
        "5",
        "--fixtures",
        "fixtures/leicestershire.yaml",
    ];
    tec().args(args).arg("-o").arg(&path).assert().success();
    let html = std::fs::read_to_string(&path).unwrap();
    let again = tec()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        html.as_bytes(),
        again.as_slice(),
        "byte-identical for the same seed"
    );
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
    let sections: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("section"))
        .filter_map(|n| n.attribute("id"))
        .collect();
    for id in [
        "headline",
        "years",
        "cohorts",
        "benefit",
        "charts",
        "inputs",
        "checks",
        "conventions",
    ] {
        assert!(sections.contains(&id), "section {id} missing: {sections:?}");
    }
    for node in doc.descendants() {
        assert!(
            !node.has_tag_name("script") && !node.has_tag_name("link") && !node.has_tag_name("img")
        );
        for a in node.attributes() {
            assert!(
                !a.name().contains("href") && !a.name().eq("src"),
                "{}",
                a.name()
            );
        }
    }
    assert!(
        !html.contains("https://"),
        "no address is fetched or linked"
    );
    assert!(html.contains("@media print") && html.contains("size:A4"));
    let text: String = doc.descendants().filter_map(|n| n.text()).collect();
    for fragment in [
        "P(cumulative net benefit at least £0)",
        "Monte Carlo standard error",
        "SHA-256",
        "Monte Carlo seed: 5 (2000 iterations)",
        "benefits.care_hours.share",
        "Return per £1 of cost",
    ] {
        assert!(text.contains(fragment), "report lacks {fragment:?}");
    }
    // Every chart in the report passes the same checks as a chart on its own.
    let svgs: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("svg"))
        .collect();
    assert_eq!(
        svgs.len(),
        6,
        "cumulative, benefit and cost, fan, histogram, S-curve, tornado"
    );
    for svg in svgs {
        let range = svg.range();
        super::reports::check_svg(&html[range], &[], "report chart");
    }
}

/// The report's "benefit and cost by year" chart is stacked by line: a band for each line's
/// amount in each year, in that line's colour, and a legend entry per line.
#[test]
fn the_benefit_and_cost_chart_stacks_every_line() {
    let file = "scenarios/leicestershire/option2-business-case.yaml";
    let html = String::from_utf8(
        tec()
            .args(["report", file])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    let run: serde_json::Value =
        serde_json::from_str(&super::stdout_of(&["run", file, "-f", "json"])).unwrap();
    let at = html.find("aria-labelledby=\"benefit-cost-title").unwrap();
    let start = html[..at].rfind("<svg").unwrap();
    let svg = &html[start..start + html[start..].find("</svg>").unwrap() + 6];
    check_svg(
        svg,
        &["Financial year", "Pounds a year (£; costs below zero)"],
        "benefit and cost",
    );
    let doc = roxmltree::Document::parse(svg).unwrap();
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect();
    let years = run["years"].as_array().unwrap();
    let lines = |key: &str| -> Vec<(String, usize)> {
        let first = years[0][key].as_array().unwrap();
        (0..first.len())
            .map(|k| {
                let nonzero = years
                    .iter()
                    .filter(|y| y[key][k]["amount"].as_str().unwrap() != "0")
                    .count();
                (first[k]["label"].as_str().unwrap().to_string(), nonzero)
            })
            .collect()
    };
    let (benefits, costs) = (lines("benefit_lines"), lines("cost_lines"));
    assert!(
        !benefits.is_empty() && costs.len() >= 4,
        "{benefits:?} {costs:?}"
    );
    let (blue, orange) = tec_model::chart::stacked::palette(benefits.len(), costs.len());
    let colours = blue.iter().chain(&orange);
    for ((label, nonzero), colour) in benefits.iter().chain(&costs).zip(colours) {
        assert!(
            texts.contains(label),
            "no legend entry {label:?} in {texts:?}"
        );
        let fill = format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2);
        let bands = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some(fill.as_str()))
            .count();
        // One band a year the line has an amount, and its legend swatch.
        assert_eq!(bands, nonzero + 1, "{label}: {fill}");
    }
    assert!(texts.iter().any(|t| t == "Net benefit to the council"));
    let desc = doc
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .unwrap();
    for (label, _) in benefits.iter().chain(&costs) {
        assert!(desc.contains(label.as_str()), "{desc}");
    }
}
