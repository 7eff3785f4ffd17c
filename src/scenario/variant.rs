//! What a scenario that `extends` another may say, and where its parent is: the sections a
//! variant cannot have (with how to change them instead), and the parent's path, taken from
//! the folder the variant's file really is in.

use super::error::ScenarioError;
use super::locate::locate;
use std::path::{Path, PathBuf};

/// Why a scenario that `extends` another cannot have `section`, and what to write instead.
pub(super) fn not_in_a_variant(section: &str) -> String {
    let how = match section {
        "users" => {
            "its users are the parent's, changed through `overrides` (a new value) or `scale` (a \
             factor) of `users.opening`, `users.installs` or `users.attrition`, e.g. \
             `scale: { users.installs: { value: 0.75, source: \"...\" } }` for a quarter fewer \
             installs, or `users.installs[2023/24]` under `overrides` for one year; \
             `install_timing` is the parent's"
        }
        "cohorts" => {
            "its cohorts are the parent's, changed through `overrides` or `scale` of \
             `cohorts.<name>.opening`, `.installs`, `.attrition` or `.start`, e.g. \
             `scale: { cohorts.older_people.installs: { value: 0.75, source: \"...\" } }`"
        }
        "appraisal" => {
            "its appraisal is the parent's, changed through `overrides` of \
             `appraisal.discount_rate` or `appraisal.optimism_bias`, e.g. \
             `appraisal.discount_rate: { value: 0.015, source: \"...\" }`; \
             `discount_first_year` and `rounding` are the parent's"
        }
        _ => {
            "its horizon is the parent's; a case over other years is a scenario of its own, \
             without `extends`"
        }
    };
    format!("a scenario that `extends` another has no `{section}` section: {how}")
}

/// For a file that does not parse: if it `extends` another and has a section a variant cannot
/// have, the error for that section (pointing at it) rather than the parser's.
pub(super) fn variant_section(path: &Path, text: &str) -> Option<ScenarioError> {
    #[derive(serde::Deserialize)]
    struct Sections {
        extends: Option<serde::de::IgnoredAny>,
        horizon: Option<serde::de::IgnoredAny>,
        appraisal: Option<serde::de::IgnoredAny>,
        users: Option<serde::de::IgnoredAny>,
    }
    // Only text the parser may safely read again (its nesting and aliases are bounded).
    super::structure::check(text).ok()?;
    let sections: Sections = serde_yaml::from_str(text).ok()?;
    sections.extends?;
    let section = [
        (sections.horizon.is_some(), "horizon"),
        (sections.appraisal.is_some(), "appraisal"),
        (sections.users.is_some(), "users"),
    ]
    .into_iter()
    .find_map(|(present, section)| present.then_some(section))?;
    let keys = [section.to_string()];
    Some(ScenarioError::at(
        path.to_path_buf(),
        locate(text, &keys),
        Some(section.into()),
        not_in_a_variant(section),
    ))
}

/// Where `extends: name` in the file at `path` points: `name` taken relative to the folder of
/// the file itself, after symbolic links are followed (so a scenario means the same however it
/// is reached: a link to it elsewhere still finds its parent beside it), unless `name` is
/// absolute. On failure, the message names the path that was tried.
pub(super) fn parent_of(path: &Path, name: &str) -> Result<PathBuf, String> {
    // Longer than any path the system can open: say so rather than echo it.
    const PATH_MAX: usize = 4096;
    if name.len() > PATH_MAX {
        return Err(format!(
            "`{}` is longer than any file name can be",
            crate::excerpt::excerpt(name)
        ));
    }
    let real = std::fs::canonicalize(path).ok();
    let folder = match &real {
        Some(real) => real.parent().unwrap_or(Path::new("/")).to_path_buf(),
        // Text not read from a file of that name (the fuzz targets, tests): as named.
        None => path.parent().unwrap_or(Path::new(".")).to_path_buf(),
    };
    let tried = folder.join(name);
    // Whatever is there (a directory, a file that cannot be read) is read next, and its own
    // error says what is wrong with it.
    if tried.exists() {
        // Named as the user would name it when that is the same file (errors and listings
        // then show `scenarios/x/parent.yaml`, not an absolute path).
        let named = path.parent().unwrap_or(Path::new(".")).join(name);
        let same = |a: &Path, b: &Path| {
            std::fs::canonicalize(a)
                .ok()
                .is_some_and(|a| std::fs::canonicalize(b).ok() == Some(a))
        };
        return Ok(if same(&named, &tried) { named } else { tried });
    }
    let relative = if Path::new(name).is_absolute() {
        String::new()
    } else if super::load::is_stdin(path) {
        " (a scenario read from standard input finds `extends` in the current folder)".into()
    } else {
        format!(
            " (`extends` is relative to the folder the scenario file is in, links followed: {})",
            folder.display()
        )
    };
    Err(format!(
        "the parent scenario {name} does not exist: looked for {}{relative}",
        tried.display()
    ))
}
