//! `cargo xtask vendor FILE --as NAME`: brings a spec release in as
//! `spec/NAME.yaml`, regenerates the SDK, says what changed for callers and
//! which recorded responses no longer fit. All or nothing: every file is
//! prepared first, and nothing in `spec/` or `sdk/src/generated/` changes
//! unless everything could be.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::codegen::write_atomically;
use crate::generate::{self, Flavour};
use crate::{diff, normalize};
use carts_openapi::{hex, match_path, operation_pointer, response_for_status};

/// Where a vendored spec came from, as kept in `spec/vendor.lock`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LockEntry {
    /// The file it was read from.
    pub source: String,
    /// The day it was vendored (UTC).
    pub vendored: String,
    /// The sha256 of the source file.
    pub source_sha256: String,
    /// The sha256 of the `spec/NAME.yaml` written.
    pub sha256: String,
}

/// A cassette that no longer fits the vendored spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Misfit {
    /// The cassette, relative to the cassettes folder.
    pub cassette: String,
    /// Why.
    pub reason: String,
}

/// Vendors `file` as `spec/<name>.yaml` in the workspace at `root`.
pub fn vendor(root: &Path, file: &Path, name: &str, today: &str) -> Result<()> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        bail!("--as {name:?}: a spec name is letters, digits, '.', '_' and '-' (like carts.v3)");
    }
    let spec_dir = root.join("spec");
    let target = spec_dir.join(format!("{name}.yaml"));
    let source = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let source_sha256 = hex(&Sha256::digest(&source));

    // 1. The spec as it will be stored: normalized, pretty-printed.
    let mut doc = carts_openapi::load(file)?.doc;
    normalize::normalize(&mut doc).with_context(|| format!("normalizing {}", file.display()))?;
    let header = format!(
        "# Vendored by `cargo xtask vendor` from {} on {today} (sha256 {source_sha256}),\n\
         # normalized for the generator. spec/vendor.lock records it.\n",
        file.display()
    );
    let text = format!(
        "{header}{}",
        serde_yaml_ng::to_string(&doc).context("writing the spec as YAML")?
    );
    let sha256 = hex(&Sha256::digest(text.as_bytes()));

    // 2. The SDK generated from spec/ with the new spec in place, all in memory.
    let staging = tempfile::tempdir().context("creating a staging folder")?;
    let staged_specs = staging.path().join("spec");
    std::fs::create_dir_all(&staged_specs)?;
    for entry in std::fs::read_dir(&spec_dir).with_context(|| format!("listing {}", spec_dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "yaml") && path != target {
            std::fs::copy(&path, staged_specs.join(path.file_name().unwrap_or_default()))?;
        }
    }
    let staged_spec = staged_specs.join(format!("{name}.yaml"));
    std::fs::write(&staged_spec, &text)?;
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![(target.clone(), text.into_bytes())];
    let mut module_file = String::new();
    for (spec_path, out) in generate::sdk_targets(staging.path(), &staging.path().join("spec"))? {
        let display = format!("spec/{}", spec_path.file_name().unwrap_or_default().to_string_lossy());
        let rendered = generate::render(&spec_path, &display, Flavour::Sdk)
            .with_context(|| format!("generating the SDK from {display}; nothing was changed"))?;
        let file_name = out.file_name().unwrap_or_default();
        if spec_path == staged_spec {
            module_file = format!("generated/{}", file_name.to_string_lossy());
        }
        files.push((
            root.join("sdk/src/generated").join(file_name),
            rendered.code.into_bytes(),
        ));
    }

    // 3. The lock entry.
    let lock_path = spec_dir.join("vendor.lock");
    let mut lock: BTreeMap<String, LockEntry> = match std::fs::read_to_string(&lock_path) {
        Ok(text) => serde_yaml_ng::from_str(&text).with_context(|| format!("reading {}", lock_path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
        Err(e) => return Err(e).context("reading spec/vendor.lock"),
    };
    lock.insert(
        name.to_string(),
        LockEntry {
            source: file.display().to_string(),
            vendored: today.to_string(),
            source_sha256,
            sha256,
        },
    );
    let lock_text = format!(
        "# Written by `cargo xtask vendor`: where each vendored spec came from.\n{}",
        serde_yaml_ng::to_string(&lock).context("writing the lock")?
    );
    files.push((lock_path, lock_text.into_bytes()));

    // 4. What changes for callers, and which recordings no longer fit.
    let report = if target.exists() {
        let changes = diff::diff_files(&target, &staged_spec)?;
        Some(diff::report(changes, &diff::sdk_version(root)?))
    } else {
        None
    };
    let misfits = misfits(root, name, &staged_spec)?;

    // 5. Everything or nothing.
    write_all(&files)?;
    println!(
        "vendored {} as spec/{name}.yaml and regenerated the SDK",
        file.display()
    );
    let declared = std::fs::read_to_string(root.join("sdk/src/lib.rs")).is_ok_and(|lib| lib.contains(&module_file));
    if !declared {
        println!("note: sdk/src/lib.rs declares no module for {name}; add one to use it");
    }
    match report {
        Some(report) => print!("\nchanges for SDK callers:\n{}", diff::to_text(&report)),
        None => println!("\nspec/{name}.yaml is new: every operation is an addition"),
    }
    if misfits.is_empty() {
        println!("\nevery recorded response of {name} still fits the spec");
    } else {
        println!(
            "\n{} recorded responses of {name} no longer fit the spec:",
            misfits.len()
        );
        for misfit in &misfits {
            println!("  {}: {}", misfit.cassette, misfit.reason);
        }
    }
    Ok(())
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

/// The cassettes of API `name` that no longer fit the spec at `spec_path`:
/// their operation is gone or moved, or their response body does not
/// validate against the schema the spec gives for its status.
pub fn misfits(root: &Path, name: &str, spec_path: &Path) -> Result<Vec<Misfit>> {
    let folder = root.join("contract-tests/cassettes").join(name);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Ok(Vec::new());
    };
    let mut doc = carts_openapi::load(spec_path)?.doc;
    normalize::normalize(&mut doc)?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let label = format!("{name}/{}", path.file_name().unwrap_or_default().to_string_lossy());
        let text = std::fs::read_to_string(&path)?;
        let cassette: Value = serde_yaml_ng::from_str(&text).with_context(|| format!("reading {label}"))?;
        let operation = path.file_stem().unwrap_or_default().to_string_lossy();
        let operation = operation.split("--").next().unwrap_or_default();
        if let Some(reason) = misfit(&doc, operation, &cassette) {
            out.push(Misfit {
                cassette: label,
                reason,
            });
        }
    }
    Ok(out)
}

fn misfit(doc: &Value, operation: &str, cassette: &Value) -> Option<String> {
    let found = carts_openapi::operations(doc)
        .into_iter()
        .find(|op| op.id.as_deref() == Some(operation));
    let Some(carts_openapi::Operation { path, method, .. }) = found else {
        return Some(format!("the spec has no operation {operation} any more"));
    };
    let recorded_method = cassette
        .pointer("/request/method")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !recorded_method.eq_ignore_ascii_case(&method) {
        return Some(format!(
            "{operation} is now {} (recorded {recorded_method})",
            method.to_uppercase()
        ));
    }
    let recorded_path = cassette
        .pointer("/request/path")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if match_path(&path, recorded_path).is_none() {
        return Some(format!("{operation} is now at {path} (recorded {recorded_path})"));
    }
    let status = cassette
        .pointer("/response/status")
        .and_then(Value::as_u64)
        .and_then(|status| u16::try_from(status).ok())
        .unwrap_or_default();
    let body = cassette.pointer("/response/body").filter(|b| !b.is_null())?;
    let responses = doc.pointer(&format!("{}/responses", operation_pointer(&path, &method)))?;
    let response = response_for_status(responses, status).map(|r| carts_openapi::deref(doc, r));
    let Some(schema) = response.and_then(|r| r.pointer("/content/application~1json/schema")) else {
        return Some(format!("the spec documents no JSON body for status {status}"));
    };
    let schema = carts_openapi::self_contained(doc, schema);
    let validator = match jsonschema::draft7::new(&schema) {
        Ok(validator) => validator,
        Err(e) => return Some(format!("the spec's schema for status {status} does not compile: {e}")),
    };
    let errors: Vec<String> = validator
        .iter_errors(body)
        .take(3)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    (!errors.is_empty()).then(|| format!("the {status} body no longer validates: {}", errors.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /carts/{id}:\n    get:\n      \
        operationId: getCart\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      \
        responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              \
        schema: {type: object, properties: {id: {type: string}, total: {type: number}}}\n";

    /// A workspace with one spec, its generated code, and one cassette.
    fn workspace() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("spec")).unwrap();
        std::fs::create_dir_all(root.path().join("sdk/src/generated")).unwrap();
        std::fs::write(
            root.path().join("sdk/Cargo.toml"),
            "[package]\nname = \"x\"\nversion = \"0.4.0\"\n",
        )
        .unwrap();
        std::fs::write(
            root.path().join("sdk/src/lib.rs"),
            "#[path = \"generated/shop.rs\"] mod shop;\n",
        )
        .unwrap();
        std::fs::write(root.path().join("spec/shop.yaml"), SPEC).unwrap();
        let cassettes = root.path().join("contract-tests/cassettes/shop");
        std::fs::create_dir_all(&cassettes).unwrap();
        std::fs::write(
            cassettes.join("getCart--ok.yaml"),
            "request: {method: GET, path: /carts/42}\nresponse: {status: 200, body: {id: '42', total: 9.5}}\n",
        )
        .unwrap();
        root
    }

    #[test]
    fn vendoring_writes_spec_code_and_lock_and_finds_misfits() {
        let root = workspace();
        let release = root.path().join("release.yaml");
        // The new release types `total` as a string: the recorded 9.5 no longer fits.
        std::fs::write(&release, SPEC.replace("total: {type: number}", "total: {type: string}")).unwrap();
        vendor(root.path(), &release, "shop", "2026-11-23").unwrap();
        let stored = std::fs::read_to_string(root.path().join("spec/shop.yaml")).unwrap();
        assert!(
            stored.starts_with("# Vendored by `cargo xtask vendor` from"),
            "{stored}"
        );
        assert!(stored.contains("2XX"), "stored normalized");
        let lock: BTreeMap<String, LockEntry> =
            serde_yaml_ng::from_str(&std::fs::read_to_string(root.path().join("spec/vendor.lock")).unwrap()).unwrap();
        assert_eq!(lock["shop"].vendored, "2026-11-23");
        assert_eq!(lock["shop"].sha256, hex(&Sha256::digest(stored.as_bytes())));
        let code = std::fs::read_to_string(root.path().join("sdk/src/generated/shop.rs")).unwrap();
        assert!(code.contains("pub fn get_cart(&self)"));
        let misfits = misfits(root.path(), "shop", &root.path().join("spec/shop.yaml")).unwrap();
        assert_eq!(misfits.len(), 1);
        assert!(misfits[0].reason.contains("no longer validates"), "{:?}", misfits[0]);
    }

    #[test]
    fn a_release_that_cannot_be_generated_changes_nothing() {
        let root = workspace();
        let before = std::fs::read_to_string(root.path().join("spec/shop.yaml")).unwrap();
        let release = root.path().join("broken.yaml");
        std::fs::write(&release, SPEC.replace("in: path", "in: cookie")).unwrap();
        let error = format!("{:#}", vendor(root.path(), &release, "shop", "2026-11-23").unwrap_err());
        assert!(
            error.contains("nothing was changed") && error.contains("cookie"),
            "{error}"
        );
        assert_eq!(
            std::fs::read_to_string(root.path().join("spec/shop.yaml")).unwrap(),
            before
        );
        assert!(!root.path().join("spec/vendor.lock").exists());
        assert!(!root.path().join("sdk/src/generated/shop.rs").exists());
    }

    #[test]
    fn names_are_checked() {
        let root = workspace();
        let error = vendor(root.path(), Path::new("x.yaml"), "../evil", "2026-11-23")
            .unwrap_err()
            .to_string();
        assert!(error.contains("a spec name is"), "{error}");
    }
}
