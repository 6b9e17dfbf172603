//! `cargo xtask vendor FILE --as NAME`: brings a published release in.
//!
//! The release is kept byte for byte as `spec/upstream/NAME.yml`; our own
//! `spec/NAME.yaml` stays the SDK's only source. What the release changed
//! against the previous one (a three-way merge of facts, [`merge`]) is
//! applied to our spec at the same API locations, following our names and
//! `$ref`s ([`apply`]), in our words ([`translate`]), editing the YAML in
//! place so that every comment stays ([`edit`]). What an addition refers to
//! is our component where one states the same facts, else the release's
//! component carried under a name of ours ([`carry`]). A shared component
//! the release changes for some of the places that use it only is split, and
//! folded back once it states its original's facts again ([`split`]). A
//! change where our spec deviates, or already differed from the previous
//! release, is a conflict: our side is kept and the conflict is listed, and
//! kept in `spec/vendor.lock`, for a person to settle.
//!
//! Then the SDK is regenerated, and the report gives the caller diff of our
//! spec, the conflicts, the recorded responses that no longer fit and the
//! added operations no cassette records yet ([`uncovered`]). All or nothing:
//! every file is prepared first, and nothing changes unless everything
//! could; `--dry-run` writes nothing.

mod apply;
mod carry;
mod edit;
pub(crate) mod facts;
mod identity;
pub(crate) mod key;
mod lock;
mod merge;
mod misfits;
mod split;
mod translate;
mod uncovered;
mod walk;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::codegen::{keep_permissions, write_atomically};
use crate::diff;
use crate::generate;
use key::Key;
pub use merge::Conflict;
pub use misfits::Misfit;
pub use walk::{WalkRequest, walk};

/// What to vendor.
pub struct Request<'a> {
    /// The release file (YAML or JSON).
    pub file: &'a Path,
    /// The spec it is a release of (`carts.v3`).
    pub name: &'a str,
    /// Today (UTC), for the lock and the notes on added places.
    pub today: &'a str,
    /// Write nothing, only report.
    pub dry_run: bool,
}

/// How the release relates to what we had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// No release was vendored for this spec before: the release becomes
    /// the base of later merges and our spec is left as it is.
    Baseline {
        /// Facts of the release our spec states otherwise, or not at all (our deviations and choices).
        differing: usize,
        /// Facts of the release.
        facts: usize,
    },
    /// The release is the one already vendored.
    Unchanged,
    /// A new release, merged.
    Merged,
}

/// What vendoring did (or, with `--dry-run`, would do).
#[derive(Debug)]
pub struct Report {
    /// The spec name.
    pub name: String,
    /// The release file.
    pub release: PathBuf,
    /// How the release relates to what we had.
    pub kind: Kind,
    /// Facts the release changed against the previous one.
    pub upstream_changes: usize,
    /// Facts taken into our spec.
    pub taken: Vec<Key>,
    /// Facts our spec already stated as the release now does.
    pub already: Vec<Key>,
    /// The edits made to our spec, in order.
    pub edits: Vec<String>,
    /// Changes left for a person, our side kept: this merge's, or, when
    /// nothing was merged, those the lock keeps.
    pub conflicts: Vec<lock::Unsettled>,
    /// Places where our `x-deviation` is no longer needed.
    pub redundant_deviations: Vec<Key>,
    /// Facts the release does not state (ours alone) that an edit changed.
    pub consequences: Vec<Key>,
    /// Facts of added places that keep our deviation (`x-deviation`) rather
    /// than the release's value: an added operation that uses our meta.
    pub deviating: Vec<Key>,
    /// Operations the merge added that no cassette records yet, as
    /// `NAME operationId (METHOD /path)`.
    pub uncovered: Vec<String>,
    /// What changes for SDK callers.
    pub caller_diff: Option<diff::Report>,
    /// Recorded responses that no longer fit.
    pub misfits: Vec<Misfit>,
    /// Files written (or, with `--dry-run`, that would be), relative to the workspace.
    pub files: Vec<String>,
    /// Whether nothing was written.
    pub dry_run: bool,
    /// Notes from regeneration.
    pub notes: Vec<String>,
}

/// Vendors `request.file` as release of `spec/<name>.yaml` in the workspace at `root`.
pub fn vendor(root: &Path, request: &Request<'_>) -> Result<Report> {
    let name = request.name;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        bail!("--as {name:?}: a spec name is letters, digits, '.', '_' and '-' (like carts.v3)");
    }
    let ours_path = root.join(format!("spec/{name}.yaml"));
    let upstream_relative = format!("spec/upstream/{name}.yml");
    let upstream_path = root.join(&upstream_relative);
    let lock_path = root.join("spec").join(lock::FILE);

    let release_bytes = std::fs::read(request.file).with_context(|| format!("reading {}", request.file.display()))?;
    let release = carts_openapi::parse(&release_bytes)
        .with_context(|| format!("{} is not valid YAML or JSON", request.file.display()))?;
    release.check_version(request.file)?;
    let ours_text = std::fs::read_to_string(&ours_path).with_context(|| {
        format!(
            "reading {}: vendoring merges a release into our own spec, so write spec/{name}.yaml first \
             (its facts from the release, in our words)",
            ours_path.display()
        )
    })?;
    let ours_doc: Value = carts_openapi::parse(ours_text.as_bytes())
        .with_context(|| format!("reading spec/{name}.yaml"))?
        .doc;
    identity::check(&release.doc, &ours_doc, name, &request.file.display().to_string())?;
    let mut lock = lock::read(&lock_path)?;
    let mut report = Report {
        name: name.to_string(),
        release: request.file.to_path_buf(),
        kind: Kind::Merged,
        upstream_changes: 0,
        taken: Vec::new(),
        already: Vec::new(),
        edits: Vec::new(),
        conflicts: lock.get(name).map(|e| e.conflicts.clone()).unwrap_or_default(),
        redundant_deviations: Vec::new(),
        consequences: Vec::new(),
        deviating: Vec::new(),
        uncovered: Vec::new(),
        caller_diff: None,
        misfits: Vec::new(),
        files: Vec::new(),
        dry_run: request.dry_run,
        notes: Vec::new(),
    };
    let entry = |conflicts: Vec<lock::Unsettled>| lock::Entry {
        upstream: upstream_relative.clone(),
        source: request.file.display().to_string(),
        vendored: request.today.to_string(),
        sha256: release.sha256.clone(),
        conflicts,
    };

    let base_bytes = match std::fs::read(&upstream_path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", upstream_path.display())),
    };
    let Some(base_bytes) = base_bytes else {
        // The first release of a spec: the one our spec was written from.
        let theirs = facts::extract(&release.doc);
        let ours = facts::extract(&ours_doc);
        let differing = theirs
            .iter()
            .filter(|(key, fact)| ours.get(*key).map(|f| &f.value) != Some(&fact.value))
            .count();
        report.kind = Kind::Baseline {
            differing,
            facts: theirs.len(),
        };
        lock.insert(name.to_string(), entry(Vec::new()));
        let files = vec![
            (upstream_path, release_bytes),
            (lock_path, lock::render(&lock)?.into_bytes()),
        ];
        finish(root, &mut report, files)?;
        return Ok(report);
    };
    let base = carts_openapi::parse(&base_bytes).with_context(|| format!("reading {upstream_relative}"))?;
    if base.sha256 == release.sha256 {
        report.kind = Kind::Unchanged;
        return Ok(report);
    }

    // The merge.
    let merged = merge_release(&base.doc, &release.doc, &ours_text, &ours_doc, request.today)?;
    report.upstream_changes = merged.upstream_changes;
    report.already = merged.already;
    report.redundant_deviations = merged.redundant_deviations;
    report.taken = merged.taken;
    report.edits = merged.edits;
    report.consequences = merged.consequences;
    report.deviating = merged.deviating;
    report.conflicts = merged.conflicts.iter().map(lock::Unsettled::from).collect();
    lock.insert(name.to_string(), entry(report.conflicts.clone()));
    let applied_text = merged.text;

    // Regenerate with the merged spec in place, all in memory.
    let staging = tempfile::tempdir().context("creating a staging folder")?;
    for entry in std::fs::read_dir(root.join("spec")).context("listing spec/")? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "yaml") && path != ours_path {
            std::fs::copy(&path, staging.path().join(path.file_name().unwrap_or_default()))?;
        }
    }
    let staged_spec = staging.path().join(format!("{name}.yaml"));
    std::fs::write(&staged_spec, &applied_text)?;
    let plan = generate::plan(root, staging.path()).with_context(|| {
        format!(
            "regenerating the SDK from spec/{name}.yaml merged with {} ({}); nothing was changed",
            request.file.display(),
            report.edits.join("; ")
        )
    })?;
    report.notes = plan.notes;
    let new_doc: Value = carts_openapi::parse(applied_text.as_bytes())?.doc;
    report.uncovered = uncovered::uncovered(root, name, &ours_doc, &new_doc);
    let changes = diff::diff_docs(ours_doc, new_doc)?;
    report.caller_diff = Some(diff::report(changes, &diff::sdk_version(root)?));
    report.misfits = misfits::misfits(root, name, &staged_spec)?;

    let mut files = vec![
        (ours_path, applied_text.into_bytes()),
        (upstream_path, release_bytes),
        (lock_path, lock::render(&lock)?.into_bytes()),
    ];
    files.extend(plan.files.into_iter().map(|(path, code)| (path, code.into_bytes())));
    finish(root, &mut report, files)?;
    Ok(report)
}

/// What merging one release into our spec gives, before anything is
/// regenerated or written.
#[derive(Debug)]
pub(crate) struct Merged {
    /// Our spec's text after the merge.
    pub text: String,
    /// Facts the release changed against the previous one.
    pub upstream_changes: usize,
    /// Facts taken into our spec.
    pub taken: Vec<Key>,
    /// Facts our spec already stated as the release now does.
    pub already: Vec<Key>,
    /// The edits made to our spec, in order.
    pub edits: Vec<String>,
    /// Changes left for a person, our side kept.
    pub conflicts: Vec<Conflict>,
    /// Places where our `x-deviation` is no longer needed.
    pub redundant_deviations: Vec<Key>,
    /// Facts the release does not state (ours alone) that an edit changed.
    pub consequences: Vec<Key>,
    /// Facts of added places kept as our deviations say.
    pub deviating: Vec<Key>,
    /// What a next merge already knows: the release's facts (its base's, then) and the facts of
    /// our spec's new text.
    pub known: Known,
}

/// Facts a caller has read already, so that a walk reads each spec once: the release merged last
/// is the next one's base, and the text a merge wrote is the next one's `ours`. Both are read as
/// the merge reads them, against our spec's server URL, which no merge changes.
#[derive(Debug, Default)]
pub(crate) struct Known {
    /// The facts of the base release.
    pub base: Option<facts::Facts>,
    /// The facts of our spec.
    pub ours: Option<facts::Facts>,
}

/// Merges what `release` changed against `base` (the release our spec
/// followed) into our spec, `ours_text` (read as `ours_doc`): the three-way
/// decision, the edits and the conflicts, in memory.
pub(crate) fn merge_release(
    base: &Value,
    release: &Value,
    ours_text: &str,
    ours_doc: &Value,
    today: &str,
) -> Result<Merged> {
    merge_knowing(base, release, ours_text, ours_doc, today, Known::default())
}

/// [`merge_release`], with the facts of `base` or of our spec when the caller has them.
pub(crate) fn merge_knowing(
    base: &Value,
    release: &Value,
    ours_text: &str,
    ours_doc: &Value,
    today: &str,
    known: Known,
) -> Result<Merged> {
    // A release that keeps the server prefix in every path is read with it in the server URL, as
    // our spec has it: the operations are the same.
    let (mut base, mut release) = (base.clone(), release.clone());
    crate::server_prefix::align(&mut base, ours_doc);
    crate::server_prefix::align(&mut release, ours_doc);
    let (base, release) = (&base, &release);
    let base_facts = known.base.unwrap_or_else(|| facts::extract(base));
    let theirs_facts = facts::extract(release);
    let ours_facts = known.ours.unwrap_or_else(|| facts::extract(ours_doc));
    let decision = merge::decide(&base_facts, &theirs_facts, &ours_facts);
    let upstream_changes =
        decision.accept.len() + decision.already.len() + decision.guarded.len() + decision.conflicts.len();
    let sides = apply::Sides {
        theirs: release,
        theirs_facts: &theirs_facts,
        base_facts: &base_facts,
        ours_text,
        ours_facts: &ours_facts,
    };
    let note = format!("Added by `cargo xtask vendor` from the release vendored on {today}; not described yet.");
    let applied = apply::apply(&sides, &decision.accept, &decision.guarded, &decision.conflicts, &note)?;
    let mut conflicts = applied.conflicts;
    for change in &decision.conflicts {
        if applied.facts.get(&change.key).map(|f| &f.value) == change.theirs.as_ref() {
            // It went with what held it (a removed operation).
            continue;
        }
        // Our value differs from both releases': where our spec marks the place (or the place
        // above it, as the merge guards it) with `x-deviation`, that deviation is why.
        let reason = if merge::guarded(&base_facts, &ours_facts, &change.key) {
            "our spec deviates here (x-deviation) and already differed from the previous release; a person \
             decides whether the deviation still holds"
        } else {
            "our spec already differed from the previous release here"
        };
        conflicts.push(apply::conflict(&sides, change, reason));
    }
    let known = Known {
        base: Some(theirs_facts),
        ours: Some(applied.facts),
    };
    Ok(Merged {
        known,
        text: applied.text,
        upstream_changes,
        taken: applied.taken,
        already: decision.already.iter().map(|c| c.key.clone()).collect(),
        edits: applied.edits,
        conflicts: outermost(conflicts),
        redundant_deviations: decision.redundant_deviations,
        consequences: applied.consequences,
        deviating: applied.deviating,
    })
}

/// Keeps the files whose contents change, lists them in the report and,
/// unless this is a dry run, writes them all or none.
fn finish(root: &Path, report: &mut Report, files: Vec<(PathBuf, Vec<u8>)>) -> Result<()> {
    let changed: Vec<(PathBuf, Vec<u8>)> = files
        .into_iter()
        .filter(|(path, bytes)| std::fs::read(path).ok().as_deref() != Some(bytes.as_slice()))
        .collect();
    report.files = changed
        .iter()
        .map(|(path, _)| path.strip_prefix(root).unwrap_or(path).display().to_string())
        .collect();
    if !report.dry_run {
        write_all(&changed)?;
    }
    Ok(())
}

/// Drops conflicts below another conflict: a field the release adds under
/// a place we deviate is one conflict, not one per attribute.
fn outermost(conflicts: Vec<Conflict>) -> Vec<Conflict> {
    let keys: std::collections::BTreeSet<Key> = conflicts.iter().map(|c| c.fact.clone()).collect();
    let mut kept: Vec<Conflict> = conflicts
        .into_iter()
        .filter(|conflict| {
            let mut current = conflict.fact.clone();
            while let Some(parent) = current.parent() {
                if keys.contains(&parent) {
                    return false;
                }
                current = parent;
            }
            true
        })
        .collect();
    kept.sort_by(|a, b| a.fact.cmp(&b.fact));
    kept.dedup_by(|a, b| a.fact == b.fact);
    kept
}

/// Writes every file through a temporary file; if any rename fails, the
/// files already replaced get their old contents back.
fn write_all(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let mut staged = Vec::new();
    for (path, bytes) in files {
        let dir = path.parent().context("a file has a folder")?;
        std::fs::create_dir_all(dir)?;
        let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
        std::io::Write::write_all(&mut temporary, bytes)?;
        keep_permissions(path, temporary.as_file())?;
        let previous = std::fs::read(path).ok();
        staged.push((path.clone(), temporary, previous));
    }
    let mut done: Vec<(PathBuf, Option<Vec<u8>>)> = Vec::new();
    for (path, temporary, previous) in staged {
        if let Err(error) = temporary.persist(&path) {
            for (written, old) in done.into_iter().rev() {
                let _ = match old {
                    Some(bytes) => write_atomically(&written, &bytes),
                    None => std::fs::remove_file(&written).map_err(Into::into),
                };
            }
            return Err(error.error).with_context(|| format!("writing {}; every file was restored", path.display()));
        }
        done.push((path, previous));
    }
    Ok(())
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.dry_run { "would write" } else { "wrote" };
        match &self.kind {
            Kind::Baseline { differing, facts } => writeln!(
                f,
                "{} is the first release vendored for spec/{}.yaml: kept as spec/upstream/{}.yml, the base of \
                 later merges. Our spec is left as it is: it states {differing} of the release's {facts} facts \
                 otherwise or not at all (our deviations and choices).",
                self.release.display(),
                self.name,
                self.name
            )?,
            Kind::Unchanged => writeln!(
                f,
                "{} is the release spec/{}.yaml already follows: nothing changes.",
                self.release.display(),
                self.name
            )?,
            Kind::Merged => writeln!(
                f,
                "{} merged into spec/{}.yaml: the release changes {} facts; {} taken, {}{} already ours, {} conflicts.",
                self.release.display(),
                self.name,
                self.upstream_changes,
                self.taken.len(),
                if self.deviating.is_empty() {
                    String::new()
                } else {
                    format!("{} kept as our deviations say, ", self.deviating.len())
                },
                self.already.len(),
                self.conflicts.len()
            )?,
        }
        if !self.edits.is_empty() {
            writeln!(f, "\nedits to spec/{}.yaml:", self.name)?;
            for edit in &self.edits {
                writeln!(f, "  {edit}")?;
            }
        }
        if !self.conflicts.is_empty() {
            writeln!(
                f,
                "\nconflicts, our side kept (spec/vendor.lock keeps them until a person settles them):"
            )?;
            for conflict in &self.conflicts {
                writeln!(f, "  {}", conflict.fact)?;
                writeln!(
                    f,
                    "    at {}: ours {}, previous release {}, new release {}",
                    if conflict.pointer.is_empty() {
                        "(nowhere yet)"
                    } else {
                        &conflict.pointer
                    },
                    conflict.ours,
                    conflict.base,
                    conflict.theirs
                )?;
                writeln!(f, "    {}", conflict.reason)?;
            }
        }
        if !self.redundant_deviations.is_empty() {
            writeln!(
                f,
                "\nx-deviations the release now agrees with (consider removing them and their ledger rows):"
            )?;
            for key in &self.redundant_deviations {
                writeln!(f, "  {key}")?;
            }
        }
        if !self.consequences.is_empty() {
            writeln!(
                f,
                "\n{} facts of ours alone (the release does not state them) follow the edits, for example:",
                self.consequences.len()
            )?;
            for key in self.consequences.iter().take(5) {
                writeln!(f, "  {key}")?;
            }
        }
        if !self.deviating.is_empty() {
            writeln!(
                f,
                "\n{} facts the release adds are stated as our x-deviation says where an added place uses \
                 our component, for example:",
                self.deviating.len()
            )?;
            for key in self.deviating.iter().take(5) {
                writeln!(f, "  {key}")?;
            }
        }
        if let Some(report) = &self.caller_diff {
            write!(f, "\nchanges for SDK callers:\n{}", diff::to_text(report))?;
        }
        if self.kind == Kind::Merged {
            if self.misfits.is_empty() {
                writeln!(f, "\nevery recorded interaction of {} still fits the spec", self.name)?;
            } else {
                writeln!(
                    f,
                    "\n{} recorded interaction(s) of {} no longer fit the spec:",
                    self.misfits.len(),
                    self.name
                )?;
                for misfit in &self.misfits {
                    writeln!(f, "  {}: {}", misfit.cassette, misfit.reason)?;
                }
            }
        }
        if !self.uncovered.is_empty() {
            writeln!(
                f,
                "\nnew operations without cassettes (the gate fails until each has a recorded success and \
                 error; see contract-tests/cassettes/README.md):"
            )?;
            for operation in &self.uncovered {
                writeln!(f, "  {operation}")?;
            }
        }
        for note in &self.notes {
            writeln!(f, "note: {note}")?;
        }
        if self.files.is_empty() {
            writeln!(f, "\nno file changes")?;
        } else {
            writeln!(f, "\n{verb} {}", self.files.join(", "))?;
        }
        Ok(())
    }
}
