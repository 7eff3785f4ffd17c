//! Unit tests of the user model and its windows against hand-computed figures.

use super::*;
use crate::model::window::Window;

/// Slots: opening 0, attrition 1, start month 2, installs from 3.
fn cohort(timing: Timing, start: bool) -> CohortSpec {
    CohortSpec {
        name: "users".into(),
        opening: 0,
        installs: SeriesSlot(3),
        attrition: 1,
        timing,
        start: start.then_some(2),
    }
}

fn spec(timing: Timing, start: bool) -> UsersSpec {
    UsersSpec {
        cohorts: vec![cohort(timing, start)],
        offset_years: 0,
    }
}

/// Opening, attrition, start month and installs per year.
fn params(opening: f64, attrition: f64, start: f64, installs: &[f64]) -> Vec<f64> {
    let mut p = vec![opening, attrition, start];
    p.extend_from_slice(installs);
    p
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} is not {b}");
}

const ALL: Cohorts = Cohorts::All;

fn window(from: f64, to: Option<f64>, drop_off: Option<f64>) -> Window<f64> {
    Window { from, to, drop_off }
}

#[test]
fn users_balance_every_year() {
    // opening 1000, installs 100, 200, 300, attrition 10%
    let p = params(1000.0, 0.1, 0.0, &[100.0, 200.0, 300.0]);
    let model = UserModel::build(&spec(Timing::Middle, false), &p, 3);
    for y in &model.years {
        close(y.opening + y.installs - y.leavers, y.closing);
    }
    // Year one: 1000 lose 100; 100 installed mid-year lose 0.1 x 0.5 x 100 = 5.
    close(model.years[0].leavers, 105.0);
    close(model.years[1].opening, 995.0);
    // Baseline user-years: 1000 - 100/2; new group: 0.5 x (100 - 5/2).
    close(model.user_years(0, Counts::All, &ALL), 950.0 + 48.75);
    close(model.user_years(0, Counts::Programme, &ALL), 48.75);
}

#[test]
fn attrition_zero_counts_each_user_for_their_time_present() {
    let p = params(0.0, 0.0, 0.0, &[100.0, 100.0, 100.0]);
    let middle = UserModel::build(&spec(Timing::Middle, false), &p, 3);
    // Mid-year installs: half a year each in their first year, then whole years.
    let years: Vec<f64> = (0..3)
        .map(|t| middle.user_years(t, Counts::Programme, &ALL))
        .collect();
    assert_eq!(years, vec![50.0, 150.0, 250.0]);
    assert_eq!(middle.years[2].closing, 300.0);
}

#[test]
fn each_install_timing_sets_first_year_exposure() {
    // 100 installed, 20% attrition.
    let p = params(0.0, 0.2, 0.0, &[100.0, 0.0]);
    let at = |timing| UserModel::build(&spec(timing, false), &p, 2);
    let (start, middle, end) = (at(Timing::Start), at(Timing::Middle), at(Timing::End));
    // Start: a whole year; 20 leave, half way through on average: 100 - 10 = 90 user-years.
    close(start.years[0].closing, 80.0);
    close(start.user_years(0, Counts::Programme, &ALL), 90.0);
    // Middle: half a year at 20% a year: 10 leave; 0.5 x (100 - 5) = 47.5.
    close(middle.years[0].closing, 90.0);
    close(middle.user_years(0, Counts::Programme, &ALL), 47.5);
    // End: no time in the first year; the next year is whole: 100 - 10 = 90.
    close(end.years[0].closing, 100.0);
    assert_eq!(end.user_years(0, Counts::Programme, &ALL), 0.0);
    close(end.user_years(1, Counts::Programme, &ALL), 90.0);
    close(end.years[1].closing, 80.0);
}

#[test]
fn a_start_month_opens_the_first_year_from_that_month() {
    // Start in July (3 months after April): installs land in July to March.
    let p = params(0.0, 0.0, 3.0, &[120.0, 120.0]);
    let at = |timing| UserModel::build(&spec(timing, true), &p, 2);
    // Start of the window: 1 July, 0.75 of a year; middle: 0.625 + ... = 0.375 of a year.
    close(
        at(Timing::Start).user_years(0, Counts::Programme, &ALL),
        90.0,
    );
    close(
        at(Timing::Middle).user_years(0, Counts::Programme, &ALL),
        45.0,
    );
    assert_eq!(at(Timing::End).user_years(0, Counts::Programme, &ALL), 0.0);
    // Later years open on 1 April as usual: 120 for the whole year, plus the year's own
    // installs from mid-year, 0.5 x 120.
    close(
        at(Timing::Middle).user_years(1, Counts::Programme, &ALL),
        180.0,
    );
    // With 20% attrition from 1 July: 0.2 x 0.75 x 120 = 18 leave; 0.75 x (120 - 9) = 83.25.
    let p = params(0.0, 0.2, 3.0, &[120.0, 0.0]);
    let start = UserModel::build(&spec(Timing::Start, true), &p, 2);
    close(start.years[0].leavers, 18.0);
    close(start.years[0].closing, 102.0);
    close(start.user_years(0, Counts::Programme, &ALL), 83.25);
}

#[test]
fn a_start_in_a_later_year_has_no_installs_before_it() {
    // Starting October of year two (18 months on): year one has none, year two half a year
    // of the window (October to March) at its start: 6 months of 100 users.
    let p = params(0.0, 0.0, 18.0, &[100.0, 100.0, 100.0]);
    let model = UserModel::build(&spec(Timing::Start, true), &p, 3);
    assert_eq!(model.years[0].installs, 0.0);
    assert_eq!(model.years[0].closing, 0.0);
    close(model.user_years(1, Counts::Programme, &ALL), 50.0);
    close(model.user_years(2, Counts::Programme, &ALL), 200.0);
}

#[test]
fn the_whole_window_is_the_user_model_to_the_bit() {
    let p = params(700.0, 0.183, 5.0, &[310.0, 95.5, 412.25, 77.0]);
    for timing in [Timing::Start, Timing::Middle, Timing::End] {
        for start in [false, true] {
            let model = UserModel::build(&spec(timing, start), &p, 4);
            for t in 0..4 {
                for counts in [Counts::Programme, Counts::All] {
                    let whole = window(0.0, None, None);
                    let a = model.user_years(t, counts, &ALL);
                    let b = model.user_years_within(t, counts, &ALL, &whole);
                    assert_eq!(a.to_bits(), b.to_bits(), "{timing:?} {start} {t}");
                    let a = model.closing_users(t, counts, &ALL);
                    let b = model.closing_within(t, counts, &ALL, &whole);
                    assert_eq!(a.to_bits(), b.to_bits());
                }
            }
        }
    }
}

#[test]
fn a_lag_crossing_a_year_end_starts_benefit_the_next_year() {
    // 100 installed mid-year in year one, a 9-month lag: benefit from 1.25 years, so none
    // in year one, 0.75 of a year in year two, all of year three.
    let p = params(0.0, 0.0, 0.0, &[100.0, 0.0, 0.0]);
    let model = UserModel::build(&spec(Timing::Middle, false), &p, 3);
    let lag = window(0.75, None, None);
    let years: Vec<f64> = (0..3)
        .map(|t| model.user_years_within(t, Counts::Programme, &ALL, &lag))
        .collect();
    assert_eq!(years, vec![0.0, 75.0, 100.0]);
    // With 20% attrition: 90 users open year two; from 1.25 to 2.0 is 0.25 to 1 of that year,
    // the integral of 90(1 - 0.2s) over [0.25, 1] = 90 x (0.75 - 0.1 x (1 - 0.0625)) = 59.0625.
    let p = params(0.0, 0.2, 0.0, &[100.0, 0.0, 0.0]);
    let model = UserModel::build(&spec(Timing::Middle, false), &p, 3);
    close(
        model.user_years_within(1, Counts::Programme, &ALL, &lag),
        59.0625,
    );
    // Year-end users past the lag: none at the end of year one (0.5 years since install).
    assert_eq!(model.closing_within(0, Counts::Programme, &ALL, &lag), 0.0);
    close(model.closing_within(1, Counts::Programme, &ALL, &lag), 72.0);
}

#[test]
fn a_fractional_duration_ends_part_way_through_a_year() {
    let p = params(0.0, 0.0, 0.0, &[100.0, 0.0, 0.0]);
    let middle = UserModel::build(&spec(Timing::Middle, false), &p, 3);
    let within = |model: &UserModel<f64>, to: f64| -> Vec<f64> {
        let w = window(0.0, Some(to), None);
        (0..3)
            .map(|t| model.user_years_within(t, Counts::Programme, &ALL, &w))
            .collect()
    };
    // Installed at 0.5; 1.5 years of benefit end at 2.0; 1.25 years at 1.75.
    assert_eq!(within(&middle, 1.5), vec![50.0, 100.0, 0.0]);
    assert_eq!(within(&middle, 1.25), vec![50.0, 75.0, 0.0]);
    // Installed at the year end, a one-year benefit is the whole next year (not nothing).
    let end = UserModel::build(&spec(Timing::End, false), &p, 3);
    assert_eq!(within(&end, 1.0), vec![0.0, 100.0, 0.0]);
    // Users at year end within the duration: installed at 0.5, ended at 1.75.
    let w = window(0.0, Some(1.25), None);
    assert_eq!(middle.closing_within(0, Counts::Programme, &ALL, &w), 100.0);
    assert_eq!(middle.closing_within(1, Counts::Programme, &ALL, &w), 0.0);
}

#[test]
fn drop_off_compounds_by_year_since_install() {
    // Half lost each year after the first: installed at 0.5, the first year since install is
    // 0.5 to 1.5 (weight 1), the second 1.5 to 2.5 (0.5), the third 2.5 on (0.25).
    let p = params(0.0, 0.0, 0.0, &[100.0, 0.0, 0.0]);
    let model = UserModel::build(&spec(Timing::Middle, false), &p, 3);
    let w = window(0.0, None, Some(0.5));
    let years: Vec<f64> = (0..3)
        .map(|t| model.user_years_within(t, Counts::Programme, &ALL, &w))
        .collect();
    assert_eq!(years, vec![50.0, 50.0 + 25.0, 25.0 + 12.5]);
}

#[test]
fn users_there_at_the_start_are_outside_any_profile() {
    let p = params(200.0, 0.0, 0.0, &[100.0, 0.0]);
    let model = UserModel::build(&spec(Timing::Start, false), &p, 2);
    let w = window(1.0, Some(1.5), Some(0.5));
    // Programme: the lag takes all of year one; year two counts 0.5 of a year at weight 0.5.
    close(model.user_years_within(0, Counts::All, &ALL, &w), 200.0);
    close(
        model.user_years_within(1, Counts::All, &ALL, &w),
        200.0 + 25.0,
    );
}

#[test]
fn survivors_and_delayed_weeks() {
    // 100 installed at the start of year one, 20% attrition.
    let p = params(0.0, 0.2, 0.0, &[100.0, 0.0, 0.0]);
    let model = UserModel::build(&spec(Timing::Start, false), &p, 3);
    let cohort = &model.cohorts[0];
    // Six months on: 100 x (1 - 0.2 x 0.5) = 90; 18 months on: 80 x (1 - 0.2 x 0.5) = 72.
    close(cohort.survivors_at(0, 0.5), 90.0);
    close(cohort.survivors_at(0, 1.5), 72.0);
    assert_eq!(cohort.survivors_at(0, 3.5), 0.0);
    // Nine months on, 85 remain; 26 weeks of delay from 0.75 to 1.25: 13 weeks in each year.
    let mut weeks = vec![0.0; 3];
    model.delayed_user_weeks(&ALL, 0.75, 26.0, &mut weeks);
    close(weeks[0], 85.0 * 13.0);
    close(weeks[1], 85.0 * 13.0);
    assert_eq!(weeks[2], 0.0);
}

#[test]
fn cohorts_add_up_and_a_line_can_count_one() {
    let users = UsersSpec {
        cohorts: vec![
            cohort(Timing::Start, false),
            CohortSpec {
                name: "pilot".into(),
                opening: 6,
                installs: SeriesSlot(7),
                attrition: 5,
                timing: Timing::Middle,
                start: Some(2),
            },
        ],
        offset_years: 0,
    };
    // Cohort one: 100 opening, 100 installs a year, 10%; the pilot: from July, 40 a year, 0%.
    let mut p = params(100.0, 0.1, 3.0, &[100.0, 100.0]);
    p.extend([0.0, 0.0, 40.0, 40.0]);
    let model = UserModel::build(&users, &p, 2);
    for t in 0..2 {
        let sum = model.cohorts[0].years[t].closing + model.cohorts[1].years[t].closing;
        close(model.years[t].closing, sum);
    }
    // The pilot's first year: installed at (0.25 + 1) / 2 = 0.625, 0.375 of a year x 40.
    close(
        model.user_years(0, Counts::Programme, &Cohorts::Only(vec![1])),
        15.0,
    );
    close(model.installs(0, &Cohorts::Only(vec![1])), 40.0);
    close(model.installs(0, &ALL), 140.0);
}

#[test]
fn a_start_carries_install_groups_into_a_re_run() {
    // The plan from year one; a re-run from year two starting from the plan's year-one end.
    let p = params(50.0, 0.2, 0.0, &[100.0, 100.0, 100.0]);
    let plan = UserModel::build(&spec(Timing::Start, false), &p, 3);
    let start = plan.start_after(0);
    let mut later = spec(Timing::Start, false);
    later.cohorts[0].installs = SeriesSlot(4);
    later.offset_years = 1;
    let rerun = UserModel::build_from(&later, &p, 2, Some(&start));
    for t in 0..2 {
        assert_eq!(rerun.years[t], plan.years[t + 1]);
    }
    // The earlier group's survivors half a year after install, before the re-run began.
    close(rerun.cohorts[0].survivors_at(0, -0.5), 90.0);
    close(rerun.cohorts[0].survivors_at(0, 0.5), 72.0);
}

#[test]
fn delayed_weeks_from_a_july_start_land_in_the_years_they_fall_in() {
    // From July, mid-window: installed at (0.25 + 1) / 2 = 0.625; 20% attrition.
    let p = params(0.0, 0.2, 3.0, &[100.0, 0.0, 0.0]);
    let model = UserModel::build(&spec(Timing::Middle, true), &p, 3);
    // At the year end: 100 x (1 - 0.2 x 0.375) = 92.5. Six months after install (1.125):
    // 92.5 x (1 - 0.2 x 0.125) = 90.1875.
    close(model.cohorts[0].survivors_at(0, 1.125), 90.1875);
    // A 52-week delay from 1.125 to 2.125: 0.875 x 52 = 45.5 weeks in 2022/23, 6.5 after.
    let mut weeks = vec![0.0; 3];
    model.delayed_user_weeks(&ALL, 0.5, 52.0, &mut weeks);
    assert_eq!(weeks[0], 0.0);
    close(weeks[1], 90.1875 * 45.5);
    close(weeks[2], 90.1875 * 6.5);
}
