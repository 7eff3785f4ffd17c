//! `tec-model init`: writes a commented starter scenario for a new council, in one of the
//! common shapes, that runs as it is; every input is calibrated with a placeholder reason.

use crate::output::OutputError;
use std::io::Write;
use std::path::Path;

/// The shapes of case a starter scenario can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Template {
    /// Home care hours avoided (`kind: care_hours`), equipment per install.
    CareHours,
    /// A cost avoided per user per week (`kind: per_user`), equipment and monitoring.
    PerUser,
    /// A provider contract's yearly price, offset by grants, against care hours avoided.
    Contract,
}

impl Template {
    pub const ALL: [Template; 3] = [Template::CareHours, Template::PerUser, Template::Contract];

    /// The scenario text.
    pub fn text(self) -> &'static str {
        match self {
            Template::CareHours => include_str!("care-hours.yaml"),
            Template::PerUser => include_str!("per-user.yaml"),
            Template::Contract => include_str!("contract.yaml"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{}: already exists; init never overwrites a file (choose another name or remove it)", .0.display())]
    Exists(std::path::PathBuf),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("{}: cannot write: {error}", path.display())]
    Write {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
}

/// Writes `template` to `path`, which must not exist: the text goes to a temporary file beside
/// it that is then linked into place only if nothing is there, so that a file appearing
/// meanwhile is not overwritten either, and nothing partial is ever left.
pub fn write(template: Template, path: &Path) -> Result<(), InitError> {
    if path.symlink_metadata().is_ok() {
        return Err(InitError::Exists(path.to_path_buf()));
    }
    let failed = |error: std::io::Error| InitError::Write {
        path: path.to_path_buf(),
        error,
    };
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(failed)?;
    file.write_all(template.text().as_bytes()).map_err(failed)?;
    file.as_file().sync_all().map_err(failed)?;
    file.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            InitError::Exists(path.to_path_buf())
        } else {
            failed(e.error)
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_loads_and_runs_with_only_calibrated_inputs() {
        let folder = tempfile::tempdir().unwrap();
        for template in Template::ALL {
            let path = folder.path().join(format!("{template:?}.yaml"));
            write(template, &path).unwrap();
            let scenario = crate::scenario::load(&path).unwrap();
            crate::report::Report::build(&scenario).unwrap();
            for info in &scenario.params.info {
                let shown = info.provenance.to_string();
                assert!(
                    shown.starts_with("default") || shown.contains("PLACEHOLDER"),
                    "{template:?}: {} is {shown}",
                    info.path
                );
            }
        }
    }

    #[test]
    fn an_existing_file_is_never_overwritten() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("mine.yaml");
        std::fs::write(&path, "mine").unwrap();
        assert!(matches!(
            write(Template::CareHours, &path),
            Err(InitError::Exists(_))
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
    }
}
