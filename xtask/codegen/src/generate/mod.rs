//! `cargo xtask generate`: spec/*.yaml → normalize → progenitor → prettyplease
//! → `sdk/src/generated/<spec>.rs`; or any spec into a standalone crate
//! ([`standalone`]).

pub mod contract;
pub mod layout;
mod passes;
mod render;
mod shared_items;
pub mod standalone;
mod wire;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};

pub use render::render;

use crate::codegen::{Outcome, ensure_file_contents};
use crate::normalize::{self, Applied};

/// Which kind of crate the code is generated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// A module of the `bigcommerce-carts` crate: the generated `Client` carries
    /// the SDK's shared state and must implement the SDK's request hooks.
    Sdk,
    /// A crate of its own with progenitor's default hooks, for trying out a
    /// spec release before it is vendored.
    Standalone,
}

/// The code generated from one spec, with figures for the summary.
pub struct Rendered {
    /// The whole file, header included.
    pub code: String,
    /// Operations in the spec.
    pub operations: usize,
    /// Types in the generated `types` module.
    pub types: usize,
    /// Lines of the file.
    pub lines: usize,
    /// Where the normalization rules acted.
    pub applied: Vec<Applied>,
    /// The usage examples the pass `doc_examples` rewrote, when it ran.
    pub examples: Option<passes::doc_examples::Rewritten>,
    /// How many places each pass changed.
    pub passes: Vec<passes::PassReport>,
    /// The normalized document progenitor read.
    pub doc: serde_json::Value,
}

/// The versions of the runtime crates generated code needs. The standalone
/// crate asks for the same ones as `sdk/Cargo.toml` (a test keeps them in step).
pub const RUNTIME_DEPENDENCIES: &[(&str, &str)] = &[
    ("progenitor-client", r#""0.15.1""#),
    (
        "reqwest",
        r#"{ version = "0.13", default-features = false, features = ["json", "query"] }"#,
    ),
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    ("serde_json", r#""1""#),
    ("schemars", r#"{ version = "0.8.22", features = ["chrono", "uuid1"] }"#),
    (
        "chrono",
        r#"{ version = "0.4", default-features = false, features = ["serde", "std", "clock"] }"#,
    ),
    ("uuid", r#"{ version = "1", features = ["serde"] }"#),
    ("regress", r#""0.10""#),
    (
        "rust_decimal",
        r#"{ version = "1.36", default-features = false, features = ["std", "serde", "serde-float"] }"#,
    ),
];

/// The workspace the command works on: the nearest folder at or above the
/// current one that holds `xtask/Cargo.toml` (so a copy of the workspace is
/// worked on as itself), else the one this xtask was built in.
pub fn project_root() -> PathBuf {
    let here = std::env::current_dir().ok();
    here.as_deref()
        .into_iter()
        .flat_map(Path::ancestors)
        .find(|dir| dir.join("xtask/Cargo.toml").is_file() && dir.join("spec").is_dir())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .nth(2)
                .expect("xtask/codegen sits in the workspace")
                .to_path_buf()
        })
}

/// The specs in `spec_dir` (`*.yaml`, sorted by file name), each with the SDK
/// module file it generates under `root`.
pub fn sdk_targets(root: &Path, spec_dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(spec_dir)
        .with_context(|| format!("listing {}", spec_dir.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    specs.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    specs.sort();
    if specs.is_empty() {
        bail!("no *.yaml spec found in {}", spec_dir.display());
    }
    Ok(specs
        .into_iter()
        .map(|spec| {
            let out = root
                .join("sdk/src/generated")
                .join(format!("{}.rs", module_file_stem(&spec)));
            (spec, out)
        })
        .collect())
}

/// `carts.v3.yaml` generates `carts_v3.rs`.
pub fn module_file_stem(spec: &Path) -> String {
    spec.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .replace(['.', '-'], "_")
}

/// Figures of one spec's generation.
#[derive(Debug)]
pub struct SpecSummary {
    /// The spec, relative to the workspace.
    pub spec: String,
    /// Operations, types and lines of the generated module.
    pub operations: usize,
    /// Types in the `types` module.
    pub types: usize,
    /// Lines of the file.
    pub lines: usize,
    /// How long it took.
    pub millis: u128,
    /// Where the normalization rules acted.
    pub applied: Vec<Applied>,
    /// The usage examples the pass `doc_examples` rewrote.
    pub examples: Option<passes::doc_examples::Rewritten>,
    /// How many places each pass changed.
    pub passes: Vec<passes::PassReport>,
}

/// A file `generate` wrote, found current, or found stale.
#[derive(Debug)]
pub struct FileState {
    /// The file, relative to the workspace.
    pub path: String,
    /// What happened to it.
    pub outcome: Outcome,
}

/// What `cargo xtask generate` did.
#[derive(Debug)]
pub struct GenerateReport {
    /// One entry per spec.
    pub specs: Vec<SpecSummary>,
    /// Every generated file.
    pub files: Vec<FileState>,
    /// Things worth knowing that are not failures.
    pub notes: Vec<String>,
    /// Whether to list every place a normalization rule acted.
    pub verbose: bool,
}

impl GenerateReport {
    /// The files found stale by `--check`.
    pub fn stale(&self) -> Vec<&str> {
        self.files
            .iter()
            .filter(|f| matches!(f.outcome, Outcome::Stale { .. }))
            .map(|f| f.path.as_str())
            .collect()
    }
}

impl fmt::Display for GenerateReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for spec in &self.specs {
            let examples = spec
                .examples
                .as_ref()
                .map(|e| format!(", {} examples call `{}`", e.examples, e.receiver))
                .unwrap_or_default();
            writeln!(
                f,
                "{}: {} operations, {} types, {} lines{examples} ({} ms)",
                spec.spec, spec.operations, spec.types, spec.lines, spec.millis
            )?;
            if self.verbose {
                let passes: Vec<String> = spec.passes.iter().map(ToString::to_string).collect();
                writeln!(f, "  passes changed: {}", passes.join(", "))?;
                write_applied(f, &spec.applied)?;
            }
        }
        for file in &self.files {
            let state = match &file.outcome {
                Outcome::Current => "up to date",
                Outcome::Written => "written",
                Outcome::Stale { .. } => "STALE",
            };
            writeln!(f, "  {} ({state})", file.path)?;
        }
        for note in &self.notes {
            writeln!(f, "note: {note}")?;
        }
        for file in &self.files {
            if let Outcome::Stale { diff } = &file.outcome {
                write!(f, "{diff}")?;
            }
        }
        Ok(())
    }
}

fn write_applied(f: &mut fmt::Formatter<'_>, applied: &[Applied]) -> fmt::Result {
    let names: Vec<&str> = normalize::RULES.iter().map(|r| r.name).collect();
    writeln!(f, "  normalization rules, in order: {}", names.join(", "))?;
    for a in applied {
        writeln!(f, "  {:<22} {}  {}", a.rule, a.pointer, a.detail)?;
    }
    Ok(())
}

/// Every file `cargo xtask generate` writes, with its contents.
pub struct Plan {
    /// The files, by absolute path.
    pub files: Vec<(PathBuf, String)>,
    /// Figures per spec.
    pub specs: Vec<SpecSummary>,
    /// Things worth knowing that are not failures.
    pub notes: Vec<String>,
}

/// Checks the names `doc`'s components give to enum variants
/// (`x-enum-varnames`, `x-variant-names`) the way generation reads them: one
/// distinct Rust identifier per enum value. Cheaper than generating.
pub fn check_variant_names(doc: &serde_json::Value) -> Result<()> {
    passes::variant_names::check(doc)
}

/// Where the contract tests' generated tables go.
pub const CONTRACT_TABLES: &str = "contract-tests/checks/src/generated";

/// Computes every generated file, in memory, from the specs in `spec_dir`
/// for the workspace at `root`: the SDK's modules and the contract tests'
/// tables. Fails, before anything is written, when a spec cannot be
/// generated or no longer declares a type the hand-written SDK names.
pub fn plan(root: &Path, spec_dir: &Path) -> Result<Plan> {
    let layout = layout::read(root)?;
    // Each API is a feature of the SDK; a module declared without its gate
    // would be compiled by every build.
    layout::features(root)?;
    let named = layout::named_types(root, &layout)?;
    let mut files = Vec::new();
    let mut summaries = Vec::new();
    let mut notes = Vec::new();
    let mut rendered_specs = Vec::new();
    for (spec_path, out) in sdk_targets(root, spec_dir)? {
        let started = Instant::now();
        let file_name = spec_path.file_name().unwrap_or_default().to_string_lossy().to_string();
        let display = format!("spec/{file_name}");
        let stem = module_file_stem(&spec_path);
        let rendered = render(&spec_path, &display, Flavour::Sdk, layout.get(&stem))?;
        match layout.get(&stem) {
            Some(module) => check_named(&display, module, named.get(&module.name), &rendered.code)?,
            None => notes.push(format!(
                "sdk/src/lib.rs declares no module for sdk/src/generated/{stem}.rs: add one to use {display}, \
                 under `#[cfg(feature = \"<its name, - for _>\")]` with that feature in sdk/Cargo.toml's \
                 default list; until then the contract tests do not call it"
            )),
        }
        summaries.push(SpecSummary {
            spec: display,
            operations: rendered.operations,
            types: rendered.types,
            lines: rendered.lines,
            millis: started.elapsed().as_millis(),
            applied: rendered.applied.clone(),
            examples: rendered.examples.clone(),
            passes: rendered.passes.clone(),
        });
        files.push((out, rendered.code.clone()));
        let api_stem = spec_path.file_stem().unwrap_or_default().to_string_lossy().to_string();
        rendered_specs.push((api_stem, stem, rendered));
    }
    let apis: Vec<contract::ApiSource<'_>> = rendered_specs
        .iter()
        .filter_map(|(api_stem, stem, rendered)| {
            layout.get(stem).map(|module| contract::ApiSource {
                stem: api_stem.clone(),
                module,
                doc: &rendered.doc,
                code: &rendered.code,
            })
        })
        .collect();
    let sources: Vec<String> = apis.iter().map(|a| format!("spec/{}.yaml", a.stem)).collect();
    for (name, code) in contract::render(&apis)? {
        let header = format!(
            "// @generated by `cargo xtask generate` from {} and the SDK generated from them. Do not edit: \
             change the spec or xtask/ and regenerate.\n",
            sources.join(", ")
        );
        files.push((root.join(CONTRACT_TABLES).join(name), format!("{header}{code}")));
    }
    Ok(Plan {
        files,
        specs: summaries,
        notes,
    })
}

/// Fails naming every type the hand-written SDK uses from `module` that the
/// newly generated code no longer declares.
fn check_named(
    display: &str,
    module: &layout::Module,
    named: Option<&std::collections::BTreeMap<String, PathBuf>>,
    code: &str,
) -> Result<()> {
    let declared = layout::declared_types(code)?;
    let missing: Vec<String> = named
        .into_iter()
        .flatten()
        .filter(|(name, _)| !declared.contains(*name))
        .map(|(name, file)| format!("{}::types::{name} (used in {})", module.name, file.display()))
        .collect();
    if !missing.is_empty() {
        bail!(
            "{display} no longer generates types the hand-written SDK names: {}; nothing was written. \
             Keep them in the spec, or change the hand-written code first",
            missing.join(", ")
        );
    }
    Ok(())
}

/// Generates (or with `check`, verifies) every file generated from `spec/`.
/// Stale files are in the report; the caller decides what they mean.
pub fn generate_sdk(root: &Path, check: bool, verbose: bool) -> Result<GenerateReport> {
    let Plan {
        files: planned,
        specs,
        notes,
    } = plan(root, &root.join("spec"))?;
    let mut files = Vec::new();
    for (path, contents) in planned {
        let outcome = ensure_file_contents(&path, &contents, check)?;
        files.push(FileState {
            path: relative(root, &path),
            outcome,
        });
    }
    Ok(GenerateReport {
        specs,
        files,
        notes,
        verbose,
    })
}

/// The message for files `--check` found stale.
pub fn stale_message(stale: &[&str]) -> String {
    format!(
        "generated code is not up to date with spec/: {}\nrun `cargo xtask generate` and commit the result",
        stale.join(", ")
    )
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_and_standalone_ask_for_the_same_runtime_crates() {
        let manifest = std::fs::read_to_string(project_root().join("sdk/Cargo.toml")).unwrap();
        for (dependency, _) in RUNTIME_DEPENDENCIES {
            assert!(
                manifest
                    .lines()
                    .any(|l| l.starts_with(&format!("{dependency}.workspace = true"))
                        || l.starts_with(&format!("{dependency} = "))),
                "sdk/Cargo.toml lacks {dependency}"
            );
        }
    }
}

#[cfg(test)]
mod generation_tests {
    use super::*;

    /// `cargo test` fails when sdk/src/generated/ has drifted from spec/.
    #[test]
    fn generated_sdk_code_is_current() {
        let report = generate_sdk(&project_root(), true, false).unwrap();
        assert!(report.stale().is_empty(), "{}", stale_message(&report.stale()));
    }

    #[test]
    fn a_spec_change_that_removes_a_type_the_sdk_names_fails_before_writing() {
        let root = project_root();
        let specs = tempfile::tempdir().unwrap();
        for name in ["carts.v3.yaml", "abandoned_carts.v3.yaml", "carts.sf.yaml"] {
            let text = std::fs::read_to_string(root.join("spec").join(name)).unwrap();
            let text = if name == "carts.v3.yaml" {
                text.replace("#/components/schemas/Include'", "#/components/schemas/IncludePart'")
                    .replace(
                        "\n    Include:\n      type: string\n",
                        "\n    IncludePart:\n      type: string\n",
                    )
            } else {
                text
            };
            std::fs::write(specs.path().join(name), text).unwrap();
        }
        let error = format!("{:#}", plan(&root, specs.path()).err().expect("generation refuses"));
        assert!(
            error.contains("spec/carts.v3.yaml no longer generates types the hand-written SDK names")
                && error.contains("carts::types::Include (used in sdk/src/lib.rs)"),
            "{error}"
        );
    }

    #[test]
    fn generation_is_deterministic() {
        let spec = project_root().join("spec/carts.v3.yaml");
        let first = render(&spec, "spec/carts.v3.yaml", Flavour::Sdk, None).unwrap();
        let second = render(&spec, "spec/carts.v3.yaml", Flavour::Sdk, None).unwrap();
        assert!(first.code == second.code, "two runs differ");
        assert!(
            first
                .code
                .starts_with("// @generated by `cargo xtask generate` from spec/carts.v3.yaml (sha256 ")
        );
    }

    fn render_text(name: &str, text: &str) -> Result<Rendered> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        render(&path, name, Flavour::Standalone, None)
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn an_unsupported_construct_is_named_with_its_pointer() {
        let text = format!(
            "{HEAD}paths:\n  /ok:\n    get:\n      operationId: ok\n      responses: {{'200': {{description: ok}}}}\n  \
             /carts:\n    get:\n      operationId: withCookie\n      parameters:\n        - {{name: session, in: cookie, schema: {{type: string}}}}\n      \
             responses: {{'200': {{description: ok}}}}\n"
        );
        let error = format!("{:#}", render_text("cookie.yaml", &text).err().unwrap());
        assert!(
            error.contains("at /paths/~1carts/get: progenitor cannot take this construct"),
            "{error}"
        );
        assert!(error.contains("cookie"), "{error}");
    }

    #[test]
    fn a_malformed_document_is_named_with_its_pointer() {
        let text = format!("{HEAD}paths:\n  /carts:\n    get:\n      responses: [1, 2]\n");
        let error = format!("{:#}", render_text("bad.yaml", &text).err().unwrap());
        assert!(error.contains("at /paths/~1carts/get/responses"), "{error}");
    }

    #[test]
    fn openapi_3_1_is_refused_clearly() {
        let error = format!(
            "{:#}",
            render_text("new.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n")
                .err()
                .unwrap()
        );
        assert!(error.contains("at /openapi: version 3.1.0 is not supported"), "{error}");
    }
}
