//! `cargo xtask vendor --walk HISTORY --as NAME --from DATE`: the published
//! history as a test of the merge.
//!
//! Starting from the release our spec follows, the walk merges the
//! published releases into a copy of our spec one by one, back to the first
//! release on or after `--from`, then forward again to the newest. Each step
//! is the merge `cargo xtask vendor` makes, in memory; nothing in `spec/` is
//! touched. A merge that loses nothing must bring our spec back to exactly
//! the facts it started with, with every `x-deviation` where it was: so the
//! walk ends by comparing the two, fact by fact, through the caller diff and
//! deviation by deviation.
//!
//! A step fails when the merge stops, or when the merged spec no longer
//! reads as the generator reads it (normalization, the names of enum
//! variants); a failed step changes nothing, as `cargo xtask vendor` would
//! write nothing. With `generate`, the spec the walk ends with is also
//! generated, in memory.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::facts::{Facts, extract};
use super::key::Key;
use super::{Conflict, Known, merge_knowing};
use crate::diff::{self, Severity};
use crate::generate;

/// What to walk.
pub struct WalkRequest<'a> {
    /// A folder of releases, or a `.tar.xz` of them, named
    /// `NAME.YYYYMMDD.COMMIT.yml` (the published history keeps them so).
    pub history: &'a Path,
    /// The spec they are releases of (`carts.v3`).
    pub name: &'a str,
    /// The earliest release date to walk back to, `YYYY-MM` or `YYYY-MM-DD`.
    pub from: &'a str,
    /// Also generate the SDK from the spec the walk ends with.
    pub generate: bool,
    /// Where to write the spec the walk ends with, if anywhere.
    pub out: Option<&'a Path>,
}

/// Which way a step goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// To an older release.
    Back,
    /// To a newer release.
    Forward,
}

/// One merge of the walk.
#[derive(Debug)]
pub struct Step {
    /// Which way it went.
    pub direction: Direction,
    /// The release merged (its file name).
    pub release: String,
    /// Facts the release changed against the one before it in the walk.
    pub upstream_changes: usize,
    /// Facts taken into our spec.
    pub taken: usize,
    /// Conflicts, our side kept.
    pub conflicts: Vec<Conflict>,
    /// Why the step failed; a failed step changes nothing.
    pub error: Option<String>,
}

/// How the spec the walk ends with compares with the one it started with.
#[derive(Debug, Default)]
pub struct Ending {
    /// Facts whose value, or whose `x-deviation` mark, differs (`key: before -> after`).
    pub facts: Vec<String>,
    /// The caller diff's breaking and additive changes from the start to the end.
    pub caller: Vec<diff::Change>,
    /// `x-deviation`s of the start that the end lacks, by JSON pointer.
    pub deviations_lost: Vec<String>,
    /// `x-deviation`s of the end that the start lacks, by JSON pointer.
    pub deviations_gained: Vec<String>,
}

impl Ending {
    /// Whether the end states exactly what the start stated.
    pub fn same(&self) -> bool {
        self.facts.is_empty()
            && self.caller.is_empty()
            && self.deviations_lost.is_empty()
            && self.deviations_gained.is_empty()
    }
}

/// What the walk did.
#[derive(Debug)]
pub struct WalkReport {
    /// The spec name.
    pub name: String,
    /// The release the walk started from (the one our spec follows).
    pub start: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// The comparison of the end with the start.
    pub ending: Ending,
    /// The generated files' figures, when asked to generate.
    pub generated: Option<String>,
    /// How long the walk took.
    pub elapsed: Duration,
}

impl WalkReport {
    /// Steps that failed.
    pub fn failed(&self) -> usize {
        self.steps.iter().filter(|s| s.error.is_some()).count()
    }

    /// Conflicts over all steps.
    pub fn conflicts(&self) -> usize {
        self.steps.iter().map(|s| s.conflicts.len()).sum()
    }

    /// Whether every step succeeded and the end equals the start.
    pub fn clean(&self) -> bool {
        self.failed() == 0 && self.ending.same()
    }
}

/// A release of the history: its file name and its document.
pub(crate) struct Release {
    pub file: String,
    pub doc: Value,
    pub bytes: Vec<u8>,
}

/// Reads the releases of `history` (a folder, or a `.tar.xz` unpacked with
/// `tar` into a temporary folder), ordered by the date in their names, and
/// by commit within a day.
pub(crate) fn releases(history: &Path, name: &str) -> Result<Vec<Release>> {
    let unpacked;
    let folder = if history.is_dir() {
        history.to_path_buf()
    } else {
        unpacked = tempfile::tempdir().context("creating a folder to unpack the history into")?;
        let status = std::process::Command::new("tar")
            .arg("-xJf")
            .arg(history)
            .arg("-C")
            .arg(unpacked.path())
            .status()
            .context("running tar to unpack the history")?;
        if !status.success() {
            bail!("tar -xJf {} failed ({status})", history.display());
        }
        unpacked.path().to_path_buf()
    };
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(&folder).with_context(|| format!("listing {}", folder.display()))? {
        let path = entry?.path();
        let file = path.file_name().unwrap_or_default().to_string_lossy().to_string();
        if file.starts_with(&format!("{name}.")) && date_of(&file).is_some() {
            found.push((file, path));
        }
    }
    if found.is_empty() {
        bail!(
            "{} holds no release of {name} named {name}.YYYYMMDD.COMMIT.yml",
            history.display()
        );
    }
    found.sort();
    found
        .into_iter()
        .map(|(file, path)| {
            let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let doc = carts_openapi::parse(&bytes)
                .with_context(|| format!("reading {file}"))?
                .doc;
            Ok(Release { file, doc, bytes })
        })
        .collect()
}

/// The date in a release's file name (`carts.v3.20240610.53875763.yml` is `20240610`).
fn date_of(file: &str) -> Option<&str> {
    file.split('.')
        .find(|part| part.len() == 8 && part.chars().all(|c| c.is_ascii_digit()))
}

/// Walks the history of `spec/<name>.yaml` of the workspace at `root`.
pub fn walk(root: &Path, request: &WalkRequest<'_>) -> Result<WalkReport> {
    let started = Instant::now();
    let name = request.name;
    let from: String = request.from.chars().filter(char::is_ascii_digit).collect();
    if !(from.len() == 6 || from.len() == 8) {
        bail!("--from {:?}: give a date as YYYY-MM or YYYY-MM-DD", request.from);
    }
    let releases = releases(request.history, name)?;
    let ours_path = root.join(format!("spec/{name}.yaml"));
    let ours_text = std::fs::read_to_string(&ours_path).with_context(|| format!("reading {}", ours_path.display()))?;
    let followed_path = root.join(format!("spec/upstream/{name}.yml"));
    let followed = std::fs::read(&followed_path).with_context(|| format!("reading {}", followed_path.display()))?;
    let start = releases.iter().position(|r| r.bytes == followed).with_context(|| {
        format!(
            "the release spec/{name}.yaml follows (spec/upstream/{name}.yml) is not in {}",
            request.history.display()
        )
    })?;
    let first = releases
        .iter()
        .position(|r| date_of(&r.file).is_some_and(|d| d >= from.as_str()))
        .filter(|&first| first <= start)
        .with_context(|| format!("no release between {} and the one our spec follows", request.from))?;
    let mut path: Vec<(Direction, usize)> = (first..start).rev().map(|i| (Direction::Back, i)).collect();
    path.extend((first + 1..releases.len()).map(|i| (Direction::Forward, i)));

    let (text, steps) = walk_path(&releases, start, &path, &ours_text)?;
    let before = carts_openapi::parse(ours_text.as_bytes())?.doc;
    let after = carts_openapi::parse(text.as_bytes())?.doc;
    let ending = compare(&before, &after)?;
    if let Some(out) = request.out {
        std::fs::write(out, &text).with_context(|| format!("writing {}", out.display()))?;
    }
    let generated = if request.generate {
        let staging = tempfile::tempdir().context("creating a staging folder")?;
        for entry in std::fs::read_dir(root.join("spec")).context("listing spec/")? {
            let spec = entry?.path();
            if spec.extension().is_some_and(|e| e == "yaml") && spec != ours_path {
                std::fs::copy(&spec, staging.path().join(spec.file_name().unwrap_or_default()))?;
            }
        }
        std::fs::write(staging.path().join(format!("{name}.yaml")), &text)?;
        let plan = generate::plan(root, staging.path()).context("generating the SDK from the walked spec")?;
        Some(format!("{} files generated in memory", plan.files.len()))
    } else {
        None
    };
    Ok(WalkReport {
        name: name.to_string(),
        start: releases[start].file.clone(),
        steps,
        ending,
        generated,
        elapsed: started.elapsed(),
    })
}

/// Merges the releases of `path` into `ours_text` one by one, starting from
/// release `start`; returns the spec at the end and the steps.
pub(crate) fn walk_path(
    releases: &[Release],
    start: usize,
    path: &[(Direction, usize)],
    ours_text: &str,
) -> Result<(String, Vec<Step>)> {
    let mut text = ours_text.to_string();
    let mut doc = carts_openapi::parse(text.as_bytes())?.doc;
    let mut base = start;
    let mut known = Known::default();
    let mut steps = Vec::new();
    for &(direction, index) in path {
        let release = &releases[index];
        let mut step = Step {
            direction,
            release: release.file.clone(),
            upstream_changes: 0,
            taken: 0,
            conflicts: Vec::new(),
            error: None,
        };
        let known_now = std::mem::take(&mut known);
        let merged =
            merge_knowing(&releases[base].doc, &release.doc, &text, &doc, "the walk", known_now).and_then(|merged| {
                let new_doc = carts_openapi::parse(merged.text.as_bytes())?.doc;
                generate::check_variant_names(&new_doc)?;
                diff::diff_docs(doc.clone(), new_doc.clone())?;
                Ok((merged, new_doc))
            });
        match merged {
            Ok((mut merged, new_doc)) => {
                known = std::mem::take(&mut merged.known);
                step.upstream_changes = merged.upstream_changes;
                step.taken = merged.taken.len();
                step.conflicts = merged.conflicts;
                text = merged.text;
                doc = new_doc;
                base = index;
            }
            Err(error) => step.error = Some(format!("{error:#}")),
        }
        steps.push(step);
    }
    Ok((text, steps))
}

/// Compares the spec the walk ends with (`after`) with the one it started with.
pub(crate) fn compare(before: &Value, after: &Value) -> Result<Ending> {
    let (old, new) = (extract(before), extract(after));
    let show = |facts: &Facts, key: &Key| match facts.get(key) {
        Some(fact) if fact.deviates => format!("{} (x-deviation)", fact.value),
        Some(fact) => fact.value.to_string(),
        None => "absent".to_string(),
    };
    let keys: BTreeSet<&Key> = old.keys().chain(new.keys()).collect();
    let facts = keys
        .into_iter()
        .filter(|key| {
            let (a, b) = (old.get(*key), new.get(*key));
            a.map(|f| (&f.value, f.deviates)) != b.map(|f| (&f.value, f.deviates))
        })
        .map(|key| format!("{key}: {} -> {}", show(&old, key), show(&new, key)))
        .collect();
    let caller = diff::diff_docs(before.clone(), after.clone())?
        .into_iter()
        .filter(|c| c.severity != Severity::Cosmetic)
        .collect();
    let (was, is) = (deviations(before), deviations(after));
    let lost = was
        .iter()
        .filter(|(pointer, reason)| is.get(*pointer) != Some(reason))
        .map(|(pointer, _)| pointer.clone())
        .collect();
    let gained = is
        .iter()
        .filter(|(pointer, reason)| was.get(*pointer) != Some(reason))
        .map(|(pointer, _)| pointer.clone())
        .collect();
    Ok(Ending {
        facts,
        caller,
        deviations_lost: lost,
        deviations_gained: gained,
    })
}

/// Every `x-deviation` of `doc`, by the JSON pointer of the object that has it.
pub(crate) fn deviations(doc: &Value) -> BTreeMap<String, Value> {
    fn visit(value: &Value, pointer: &str, out: &mut BTreeMap<String, Value>) {
        match value {
            Value::Object(map) => {
                if let Some(reason) = map.get("x-deviation") {
                    out.insert(pointer.to_string(), reason.clone());
                }
                for (key, child) in map {
                    visit(child, &carts_openapi::child(pointer, key), out);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    visit(child, &format!("{pointer}/{index}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    visit(doc, "", &mut out);
    out
}

impl fmt::Display for WalkReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "walk of spec/{}.yaml from {}: {} steps ({} back, {} forward), {} failed, {} conflicts",
            self.name,
            self.start,
            self.steps.len(),
            self.steps.iter().filter(|s| s.direction == Direction::Back).count(),
            self.steps.iter().filter(|s| s.direction == Direction::Forward).count(),
            self.failed(),
            self.conflicts()
        )?;
        for (number, step) in self.steps.iter().enumerate() {
            let arrow = match step.direction {
                Direction::Back => "back to",
                Direction::Forward => "forward to",
            };
            match &step.error {
                Some(error) => writeln!(f, "{:>3}. {arrow} {}: FAILED: {error}", number + 1, step.release)?,
                None => writeln!(
                    f,
                    "{:>3}. {arrow} {}: {} facts changed, {} taken, {} conflicts",
                    number + 1,
                    step.release,
                    step.upstream_changes,
                    step.taken,
                    step.conflicts.len()
                )?,
            }
            for conflict in &step.conflicts {
                writeln!(
                    f,
                    "       conflict {} (at {}): {}",
                    conflict.fact, conflict.pointer, conflict.reason
                )?;
            }
        }
        let ending = &self.ending;
        if ending.same() {
            writeln!(
                f,
                "\nthe end states exactly the facts of the start, with every x-deviation where it was"
            )?;
        } else {
            writeln!(
                f,
                "\nthe end differs from the start: {} facts, {} breaking or additive changes for callers, \
                 {} x-deviations lost, {} gained",
                ending.facts.len(),
                ending.caller.len(),
                ending.deviations_lost.len(),
                ending.deviations_gained.len()
            )?;
            for fact in &ending.facts {
                writeln!(f, "  fact {fact}")?;
            }
            for change in &ending.caller {
                writeln!(
                    f,
                    "  {} {} {} {}: {}",
                    change.severity.as_str(),
                    change.kind,
                    change.operation,
                    change.location,
                    change.detail
                )?;
            }
            for pointer in &ending.deviations_lost {
                writeln!(f, "  x-deviation lost at {pointer}")?;
            }
            for pointer in &ending.deviations_gained {
                writeln!(f, "  x-deviation gained at {pointer}")?;
            }
        }
        if let Some(generated) = &self.generated {
            writeln!(f, "the walked spec generates: {generated}")?;
        }
        writeln!(f, "took {:.1} s", self.elapsed.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::generate::project_root;

    /// The published history the repository keeps.
    fn history() -> PathBuf {
        project_root().join("spec/upstream/history/carts.v3-history.tar.xz")
    }

    #[test]
    fn the_published_history_walks_back_and_forward_to_the_spec_we_started_with() {
        // From March 2025: three steps back and three forward, through the removal and return
        // of cursor pagination. `.ci/run` walks from June 2024, through the August 2024
        // restructuring, which takes about 85 s in a debug build.
        let report = walk(
            &project_root(),
            &WalkRequest {
                history: &history(),
                name: "carts.v3",
                from: "2025-03",
                generate: false,
                out: None,
            },
        )
        .unwrap();
        let back = report.steps.iter().filter(|s| s.direction == Direction::Back).count();
        assert!(back >= 3, "{report}");
        assert_eq!(report.steps.len(), 2 * back, "{report}");
        assert_eq!(report.failed(), 0, "{report}");
        assert!(report.ending.same(), "{report}");
        // Every release of the walk changes only facts our spec follows.
        assert_eq!(report.conflicts(), 0, "{report}");
        assert!(report.steps.iter().map(|s| s.taken).sum::<usize>() > 0, "{report}");
    }

    #[test]
    fn the_ending_names_every_fact_and_deviation_that_did_not_come_back() {
        let start = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/c": {"get": {"operationId": "getC", "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/C"}}}}}}}},
            "components": {"schemas": {"C": {"type": "object", "properties": {
                "id": {"type": "integer", "x-deviation": "whole"}, "v": {"type": "integer"}}}}}
        });
        assert!(compare(&start, &start).unwrap().same());
        let mut end = start.clone();
        end["components"]["schemas"]["C"]["properties"] = json!({"id": {"type": "integer"}});
        let ending = compare(&start, &end).unwrap();
        assert!(
            ending
                .facts
                .iter()
                .any(|f| f.starts_with("GET /c response 200 application/json field v: true -> absent")),
            "{:?}",
            ending.facts
        );
        assert!(
            ending
                .facts
                .iter()
                .any(|f| f.ends_with("field id: true (x-deviation) -> true")),
            "{:?}",
            ending.facts
        );
        assert_eq!(ending.deviations_lost, ["/components/schemas/C/properties/id"]);
        assert!(
            ending.caller.iter().any(|c| c.kind == "field.removed"),
            "{:?}",
            ending.caller
        );
    }

    #[test]
    fn releases_are_ordered_by_their_date_and_the_start_must_be_among_them() {
        let dir = tempfile::tempdir().unwrap();
        let release = |title: &str| format!("openapi: 3.0.3\ninfo:\n  title: {title}\n  version: '1'\npaths: {{}}\n");
        for (file, title) in [
            ("carts.v3.20240102.bbbb.yml", "b"),
            ("carts.v3.20231231.cccc.yml", "a"),
            ("notes.txt", "x"),
        ] {
            std::fs::write(dir.path().join(file), release(title)).unwrap();
        }
        let found = releases(dir.path(), "carts.v3").unwrap();
        let files: Vec<&str> = found.iter().map(|r| r.file.as_str()).collect();
        assert_eq!(files, ["carts.v3.20231231.cccc.yml", "carts.v3.20240102.bbbb.yml"]);
        let error = walk(
            &project_root(),
            &WalkRequest {
                history: dir.path(),
                name: "carts.v3",
                from: "2023-01",
                generate: false,
                out: None,
            },
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("spec/upstream/carts.v3.yml) is not in"), "{error}");
    }
}
