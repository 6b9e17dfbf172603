//! `cargo xtask generate --spec FILE... --out DIR`: any spec (a release not
//! vendored yet, say) into a crate of its own.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Result;

use super::shared_items::{NoDocs, SharedItems, Sharing};
use super::{Flavour, RUNTIME_DEPENDENCIES, render};
use crate::codegen::write_atomically;

/// What a standalone generation did.
#[derive(Debug, Default)]
pub struct StandaloneReport {
    /// One line per spec generated.
    pub generated: Vec<String>,
    /// Specs whose code is the same as an earlier one's but for its
    /// comments, with that earlier spec: not written again.
    pub same_code: Vec<(String, String)>,
    /// Specs that could not be generated, with why.
    pub failed: Vec<(String, String)>,
    /// The crate's folder.
    pub out_dir: PathBuf,
    /// How many specs were given.
    pub specs: usize,
    /// With `share_items`: how many items later modules took from earlier ones.
    pub sharing: Option<Sharing>,
}

impl fmt::Display for StandaloneReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.generated {
            writeln!(f, "{line}")?;
        }
        for (spec, first) in &self.same_code {
            writeln!(
                f,
                "{spec}: the same code as {first} but for comments, not written again"
            )?;
        }
        for (spec, why) in &self.failed {
            writeln!(f, "{spec}: FAILED: {why}")?;
        }
        if self.specs > 1 {
            writeln!(
                f,
                "{} of {} specs generated into {} ({} more generate the same code as one of them)",
                self.generated.len(),
                self.specs,
                self.out_dir.display(),
                self.same_code.len()
            )?;
        }
        if let Some(sharing) = self.sharing {
            writeln!(
                f,
                "{} of their {} items are the same as an earlier module's and re-export it",
                sharing.shared, sharing.items
            )?;
        }
        Ok(())
    }
}

/// Generates spec files into a standalone crate at `out_dir`: one spec
/// becomes `src/lib.rs`; several become one module each, so one `cargo
/// check` compiles them all. With several, a spec that fails is reported and
/// the others are still written; with one, its failure is the error. The
/// caller decides what failures in the report mean.
///
/// With several, a spec whose code is the same as an earlier one's once
/// comments are left out (many releases change only descriptions) is
/// generated but not written again: compiling the first copy proves it, and
/// each copy would cost the compiler as much again.
///
/// With `share_items` and several specs, an item a module defines exactly as
/// an earlier module did is a re-export of that one
/// ([`super::shared_items`]): the crate is then for compiling the releases,
/// not for use, as types of different modules can be one.
pub fn generate_standalone(specs: &[PathBuf], out_dir: &Path, share_items: bool) -> Result<StandaloneReport> {
    let single = specs.len() == 1;
    let mut report = StandaloneReport {
        out_dir: out_dir.to_path_buf(),
        specs: specs.len(),
        ..StandaloneReport::default()
    };
    let mut modules = Vec::new();
    let mut shared = (share_items && !single).then(SharedItems::default);
    let mut written: HashMap<String, String> = HashMap::new();
    for (spec_path, (rendered, elapsed)) in specs.iter().zip(render_all(specs)) {
        let display = spec_path.display().to_string();
        let (rendered, without_comments) = match rendered {
            Ok(rendered) => rendered,
            Err(error) if !single => {
                report.failed.push((display, format!("{error:#}")));
                continue;
            }
            Err(error) => return Err(error),
        };
        if !single {
            match written.entry(without_comments) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    report.same_code.push((display, first.get().clone()));
                    continue;
                }
                std::collections::hash_map::Entry::Vacant(entry) => {
                    entry.insert(display.clone());
                }
            }
        }
        let module = crate_name(spec_path).replace('-', "_");
        let file = if single {
            "src/lib.rs".to_string()
        } else {
            format!("src/{module}.rs")
        };
        let code = match &mut shared {
            Some(shared) => {
                let mut syntax = syn::parse_file(&rendered.code)?;
                shared.add(&module, &mut syntax);
                // The header is a plain comment, which the syntax tree does not keep.
                let header: String = rendered
                    .code
                    .lines()
                    .take_while(|line| line.starts_with("//"))
                    .map(|line| format!("{line}\n"))
                    .collect();
                header + &prettyplease::unparse(&syntax)
            }
            None => rendered.code,
        };
        write_atomically(&out_dir.join(&file), code.as_bytes())?;
        modules.push(module);
        report.generated.push(format!(
            "{display}: {} operations, {} types, {} lines -> {} ({} ms)",
            rendered.operations,
            rendered.types,
            rendered.lines,
            out_dir.join(&file).display(),
            elapsed.as_millis()
        ));
    }
    report.sharing = shared.map(|shared| shared.sharing());
    let name = if single {
        crate_name(&specs[0])
    } else {
        crate_name(out_dir)
    };
    let source = if single {
        specs[0].display().to_string()
    } else {
        format!("{} specs", specs.len())
    };
    let mut manifest = format!(
        "# @generated by `cargo xtask generate --spec ... --out ...` from {source}\n\
         [package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         # A workspace of its own, so the crate builds wherever it is put.\n[workspace]\n\n[dependencies]\n"
    );
    for (dependency, requirement) in RUNTIME_DEPENDENCIES {
        manifest.push_str(&format!("{dependency} = {requirement}\n"));
    }
    write_atomically(&out_dir.join("Cargo.toml"), manifest.as_bytes())?;
    if !single {
        let mut lib =
            String::from("// @generated by `cargo xtask generate --spec ... --out ...`: one module per spec.\n");
        for module in &modules {
            lib.push_str(&format!("pub mod {module};\n"));
        }
        write_atomically(&out_dir.join("src/lib.rs"), lib.as_bytes())?;
    }
    Ok(report)
}

/// Renders each spec in standalone flavour, on as many threads as there are
/// cores (each spec is independent, and a history of them takes minutes on
/// one): in order, each result with the code's tokens without doc comments
/// (empty for one spec, which is not compared) and how long it took.
fn render_all(specs: &[PathBuf]) -> Vec<(Result<(super::Rendered, String)>, Duration)> {
    let one = |spec: &PathBuf| {
        let started = Instant::now();
        let rendered = render(spec, &spec.display().to_string(), Flavour::Standalone, None).and_then(|rendered| {
            let without_comments = if specs.len() > 1 {
                code_without_comments(&rendered.code)?
            } else {
                String::new()
            };
            Ok((rendered, without_comments))
        });
        (rendered, started.elapsed())
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(specs.len());
    if threads <= 1 {
        return specs.iter().map(one).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<_>>> = Mutex::new((0..specs.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(spec) = specs.get(index) else { break };
                    let result = one(spec);
                    results.lock().unwrap_or_else(PoisonError::into_inner)[index] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .map(|result| result.expect("every spec is rendered by one of the threads"))
        .collect()
}

/// The generated code's tokens without its doc comments (plain comments are
/// not tokens): what the compiler checks.
fn code_without_comments(code: &str) -> Result<String> {
    use syn::visit_mut::VisitMut;
    let mut file = syn::parse_file(code)?;
    NoDocs.visit_file_mut(&mut file);
    Ok(quote::ToTokens::to_token_stream(&file).to_string())
}

fn crate_name(spec_path: &Path) -> String {
    let stem = spec_path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_lowercase();
    let name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let name = name.trim_matches('-');
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("generated-{name}")
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn releases_that_differ_only_in_prose_are_written_once() {
        let dir = tempfile::tempdir().unwrap();
        let spec = |name: &str, summary: &str, field: &str| {
            let path = dir.path().join(name);
            let text = format!(
                "{HEAD}paths:\n  /carts:\n    get:\n      operationId: getCarts\n      summary: {summary}\n      \
                 responses: {{'200': {{description: {summary}, content: {{application/json: {{schema: \
                 {{type: object, description: {summary}, properties: {{{field}: {{type: string}}}}}}}}}}}}}}\n"
            );
            std::fs::write(&path, text).unwrap();
            path
        };
        let specs = [
            spec("a.yaml", "Carts.", "id"),
            spec("b.yaml", "All the carts.", "id"),
            spec("c.yaml", "Carts.", "name"),
        ];
        let out = tempfile::tempdir().unwrap();
        let report = generate_standalone(&specs, out.path(), false).unwrap();
        assert_eq!(report.generated.len(), 2, "{report}");
        assert_eq!(report.same_code.len(), 1, "{report}");
        assert!(report.same_code[0].0.ends_with("b.yaml") && report.same_code[0].1.ends_with("a.yaml"));
        let lib = std::fs::read_to_string(out.path().join("src/lib.rs")).unwrap();
        assert_eq!(lib.matches("pub mod").count(), 2, "{lib}");
        assert!(!out.path().join("src/b.rs").exists());
    }

    #[test]
    fn crate_names_are_valid() {
        assert_eq!(
            crate_name(Path::new("x/carts.v3.20220323.a30f9b03.yml")),
            "carts-v3-20220323-a30f9b03"
        );
        assert_eq!(crate_name(Path::new("2024.yml")), "generated-2024");
    }

    #[test]
    fn a_standalone_crate_is_written_with_manifest_and_library() {
        let spec = tempfile::tempdir().unwrap();
        let path = spec.path().join("tiny.yaml");
        let text = format!(
            "{HEAD}paths:\n  /carts/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      \
             responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{type: object}}}}}}}}}}\n"
        );
        std::fs::write(&path, text).unwrap();
        let out = tempfile::tempdir().unwrap();
        generate_standalone(&[path], out.path(), false).unwrap();
        let manifest = std::fs::read_to_string(out.path().join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains("name = \"tiny\"") && manifest.contains("[workspace]"),
            "{manifest}"
        );
        let lib = std::fs::read_to_string(out.path().join("src/lib.rs")).unwrap();
        assert!(
            lib.contains("pub fn get_carts_id(&self)"),
            "an operation without an id is named after its path"
        );
    }
}
