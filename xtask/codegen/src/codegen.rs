//! Writing generated files: one code path that writes and that checks.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// What [`ensure_file_contents`] found or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The file already held exactly the expected contents.
    Current,
    /// The file was (re)written.
    Written,
    /// Check mode: the file is missing or differs; nothing was written.
    Stale {
        /// A bounded unified diff, on disk to expected.
        diff: String,
    },
}

/// Makes `path` hold `contents`. With `check`, writes nothing and reports a
/// difference as [`Outcome::Stale`] with a bounded unified diff.
pub fn ensure_file_contents(path: &Path, contents: &str, check: bool) -> Result<Outcome> {
    let current = match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    if current.as_deref() == Some(contents) {
        return Ok(Outcome::Current);
    }
    if check {
        return Ok(Outcome::Stale {
            diff: bounded_diff(path, current.as_deref().unwrap_or(""), contents),
        });
    }
    write_atomically(path, contents.as_bytes())?;
    Ok(Outcome::Written)
}

/// Writes through a temporary file in the same directory and renames it into
/// place, so a reader never sees a half-written file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))?;
    file.as_file()
        .sync_all()
        .with_context(|| format!("flushing {}", path.display()))?;
    keep_permissions(path, file.as_file())?;
    file.persist(path)
        .with_context(|| format!("renaming into {}", path.display()))?;
    Ok(())
}

const DIFF_LINES: usize = 60;

/// Gives a temporary file the permissions of the file it replaces, or the
/// usual `rw-r--r--` for a new file (temporary files start out private).
pub fn keep_permissions(path: &Path, file: &std::fs::File) -> Result<()> {
    let permissions = match std::fs::metadata(path) {
        Ok(metadata) => metadata.permissions(),
        Err(_) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::Permissions::from_mode(0o644)
            }
            #[cfg(not(unix))]
            {
                file.metadata()?.permissions()
            }
        }
    };
    file.set_permissions(permissions)
        .with_context(|| format!("setting the permissions of {}", path.display()))
}

/// A unified diff of `old` to `new`, cut after [`DIFF_LINES`] lines.
pub fn bounded_diff(path: &Path, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("{} (on disk)", path.display()),
            &format!("{} (expected)", path.display()),
        )
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut out: String = lines.iter().take(DIFF_LINES).map(|l| format!("{l}\n")).collect();
    if lines.len() > DIFF_LINES {
        out.push_str(&format!("... {} more diff lines\n", lines.len() - DIFF_LINES));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_then_reports_current_then_stale_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.rs");
        assert!(matches!(
            ensure_file_contents(&path, "a\n", true).unwrap(),
            Outcome::Stale { .. }
        ));
        assert!(!path.exists(), "check mode must not write");
        assert_eq!(ensure_file_contents(&path, "a\n", false).unwrap(), Outcome::Written);
        assert_eq!(ensure_file_contents(&path, "a\n", true).unwrap(), Outcome::Current);
        let Outcome::Stale { diff } = ensure_file_contents(&path, "b\n", true).unwrap() else {
            panic!("a different file is stale");
        };
        assert!(diff.contains("-a\n+b\n"), "{diff}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a\n");
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }
}
