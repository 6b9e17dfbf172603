//! `spec/vendor.lock`: for each spec, the published release it follows (kept
//! byte for byte in `spec/upstream/`), where it came from, and the conflicts
//! a person has not settled yet.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::merge::Conflict;

/// The lock file's name under `spec/`.
pub const FILE: &str = "vendor.lock";

/// One vendored release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The release as kept, relative to the workspace (`spec/upstream/carts.v3.yml`).
    pub upstream: String,
    /// Where it was read from: the file given to `cargo xtask vendor`, or, for a release kept
    /// before, its published address.
    pub source: String,
    /// The day it was vendored (UTC).
    pub vendored: String,
    /// The sha256 of its bytes.
    pub sha256: String,
    /// Conflicts between it and our spec that a person has not settled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Unsettled>,
}

/// A conflict as the lock keeps it, its fact's key written out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unsettled {
    /// The fact's key (`GET /carts/{} response 200 application/json field data.id type`).
    pub fact: String,
    /// Where our spec states it (a JSON pointer), or where it would go.
    pub pointer: String,
    /// Our value (`null`: our spec does not state it).
    pub ours: Value,
    /// The previous release's value.
    pub base: Value,
    /// The new release's value.
    pub theirs: Value,
    /// Why a person has to decide.
    pub reason: String,
}

impl From<&Conflict> for Unsettled {
    fn from(conflict: &Conflict) -> Self {
        Self {
            fact: conflict.fact.to_string(),
            pointer: conflict.pointer.clone(),
            ours: conflict.ours.clone(),
            base: conflict.base.clone(),
            theirs: conflict.theirs.clone(),
            reason: conflict.reason.clone(),
        }
    }
}

/// The whole lock, by spec name.
pub type Lock = BTreeMap<String, Entry>;

/// Reads the lock at `path`; a missing file is an empty lock.
pub fn read(path: &Path) -> Result<Lock> {
    match std::fs::read_to_string(path) {
        Ok(text) => carts_openapi::from_yaml(text.as_bytes()).with_context(|| format!("reading {}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Lock::new()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// The lock as the text of its file.
pub fn render(lock: &Lock) -> Result<String> {
    Ok(format!(
        "# Written by `cargo xtask vendor`: the published release each spec/<name>.yaml follows, kept byte\n\
         # for byte in spec/upstream/, and the conflicts with it that a person has not settled yet.\n{}",
        serde_yaml_ng::to_string(lock).context("writing the lock")?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use carts_openapi::hex;
    use sha2::{Digest, Sha256};

    /// The lock reads back as `cargo xtask vendor` writes it, so that vendoring a release again
    /// changes no other entry's lines.
    #[test]
    fn the_lock_is_written_as_vendor_writes_it() {
        let path = crate::generate::project_root().join("spec").join(FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(render(&read(&path).unwrap()).unwrap(), text);
    }

    /// Every vendored release is kept byte for byte: its bytes hash to the lock's sha256.
    #[test]
    fn the_vendored_releases_are_the_bytes_the_lock_names() {
        let root = crate::generate::project_root();
        let lock = read(&root.join("spec").join(FILE)).unwrap();
        assert!(!lock.is_empty(), "spec/vendor.lock lists the vendored releases");
        for (name, entry) in &lock {
            let bytes = std::fs::read(root.join(&entry.upstream)).unwrap();
            assert_eq!(hex(&Sha256::digest(&bytes)), entry.sha256, "{name}: {}", entry.upstream);
            assert!(
                root.join(format!("spec/{name}.yaml")).exists(),
                "{name} has a spec of ours"
            );
        }
    }
}
