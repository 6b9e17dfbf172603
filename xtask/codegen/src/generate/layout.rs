//! What the SDK's hand-written layer declares and needs, read from its source
//! so that no table repeats it: which module each generated file becomes
//! (`sdk/src/lib.rs`), which client reaches each module (`sdk/src/client.rs`),
//! and which generated types the hand-written code names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// The client types the contract tests know how to build.
pub const CLIENTS: [&str; 2] = ["Client", "StorefrontClient"];

/// One generated module as the SDK exposes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// The module's name in the crate (`carts`).
    pub name: String,
    /// The client type that reaches it (`Client`).
    pub client: String,
    /// The client's method that returns it (`carts`).
    pub accessor: String,
}

/// The SDK's modules, by generated file stem (`carts_v3`).
pub type Layout = BTreeMap<String, Module>;

/// Reads `sdk/src/lib.rs` and `sdk/src/client.rs` under `root`.
pub fn read(root: &Path) -> Result<Layout> {
    let lib = parse(&root.join("sdk/src/lib.rs"))?;
    let client = parse(&root.join("sdk/src/client.rs"))?;
    let mut accessors = BTreeMap::new();
    for item in &client.items {
        let syn::Item::Impl(block) = item else { continue };
        let Some(client_type) = last_ident(&block.self_ty) else {
            continue;
        };
        for impl_item in &block.items {
            let syn::ImplItem::Fn(method) = impl_item else { continue };
            let syn::ReturnType::Type(_, output) = &method.sig.output else {
                continue;
            };
            let syn::Type::Reference(reference) = output.as_ref() else {
                continue;
            };
            let syn::Type::Path(path) = reference.elem.as_ref() else {
                continue;
            };
            let segments: Vec<String> = path.path.segments.iter().map(|s| s.ident.to_string()).collect();
            if let [module, last] = segments.as_slice()
                && last == "Client"
            {
                accessors.insert(module.clone(), (client_type.clone(), method.sig.ident.to_string()));
            }
        }
    }
    let mut layout = Layout::new();
    for (module, _, stem) in generated_modules(&lib) {
        let name = module.ident.to_string();
        let Some((client, accessor)) = accessors.get(&name).cloned() else {
            bail!("sdk/src/client.rs: no client method returns `&{name}::Client`; the contract tests cannot reach it");
        };
        if !CLIENTS.contains(&client.as_str()) {
            bail!(
                "sdk/src/client.rs: `{client}::{accessor}` reaches module {name}, but the contract tests know only {}",
                CLIENTS.join(" and ")
            );
        }
        layout.insert(stem, Module { name, client, accessor });
    }
    Ok(layout)
}

/// The modules of `lib` declared with `#[path = "generated/<stem>.rs"]`: each
/// with its file and the file's stem.
fn generated_modules(lib: &syn::File) -> impl Iterator<Item = (&syn::ItemMod, String, String)> {
    lib.items.iter().filter_map(|item| {
        let syn::Item::Mod(module) = item else { return None };
        let file = module.attrs.iter().find_map(path_attribute)?;
        let stem = file.strip_prefix("generated/")?.strip_suffix(".rs")?.to_string();
        Some((module, file, stem))
    })
}

/// The Cargo feature that gates the module `name`: the name with `-` for `_`
/// (`abandoned_carts` is built with `abandoned-carts`).
pub fn feature_of(name: &str) -> String {
    name.replace('_', "-")
}

/// Checks that each generated module of `sdk/src/lib.rs` is declared under
/// `#[cfg(feature = "...")]` on its `mod` line with the feature named after
/// it ([`feature_of`]), and that `sdk/Cargo.toml` declares that feature and
/// turns it on by default; the feature of each, by generated file stem.
pub fn features(root: &Path) -> Result<BTreeMap<String, String>> {
    let lib = parse(&root.join("sdk/src/lib.rs"))?;
    let manifest_path = root.join("sdk/Cargo.toml");
    let manifest =
        std::fs::read_to_string(&manifest_path).with_context(|| format!("reading {}", manifest_path.display()))?;
    let (declared, default) = manifest_features(&manifest);
    let mut features = BTreeMap::new();
    for (module, file, stem) in generated_modules(&lib) {
        let name = module.ident.to_string();
        let wanted = feature_of(&name);
        let gate: Vec<String> = module.attrs.iter().filter_map(cfg_feature).collect();
        if gate != [wanted.clone()] {
            bail!(
                "sdk/src/lib.rs: module {name} ({file}) must be declared under `#[cfg(feature = \"{wanted}\")]` alone, \
                 so that a build without that API does not compile it; found {gate:?}"
            );
        }
        if !declared.contains(&wanted) {
            bail!("sdk/Cargo.toml: [features] lacks `{wanted} = []`, the feature of module {name}");
        }
        if !default.contains(&wanted) {
            bail!("sdk/Cargo.toml: the default features lack \"{wanted}\"; every API is on by default");
        }
        features.insert(stem, wanted);
    }
    Ok(features)
}

/// The features a manifest's `[features]` table declares, and those of its
/// `default` list (one line, as `sdk/Cargo.toml` writes it).
fn manifest_features(manifest: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut declared = BTreeSet::new();
    let mut default = BTreeSet::new();
    let mut in_features = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_features = line == "[features]";
            continue;
        }
        let Some((name, value)) = line.split_once('=').filter(|_| in_features && !line.starts_with('#')) else {
            continue;
        };
        let name = name.trim();
        declared.insert(name.to_string());
        if name == "default" {
            default.extend(
                value
                    .trim()
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .split(',')
                    .map(|entry| entry.trim().trim_matches('"').to_string())
                    .filter(|entry| !entry.is_empty()),
            );
        }
    }
    (declared, default)
}

/// The feature of a `#[cfg(feature = "...")]` attribute.
fn cfg_feature(attribute: &syn::Attribute) -> Option<String> {
    if !attribute.path().is_ident("cfg") {
        return None;
    }
    let pair: syn::MetaNameValue = attribute.parse_args().ok()?;
    if !pair.path.is_ident("feature") {
        return None;
    }
    match pair.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => Some(text.value()),
        _ => None,
    }
}

fn parse(path: &Path) -> Result<syn::File> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    syn::parse_file(&text).with_context(|| format!("{} does not parse", path.display()))
}

fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The file of a `#[path = "..."]` attribute.
fn path_attribute(attribute: &syn::Attribute) -> Option<String> {
    string_attribute(attribute, "path")
}

/// The text of a `#[name = "..."]` attribute (`#[doc = "..."]`, `#[path = "..."]`).
pub(crate) fn string_attribute(attribute: &syn::Attribute, name: &str) -> Option<String> {
    let syn::Meta::NameValue(pair) = &attribute.meta else {
        return None;
    };
    if !pair.path.is_ident(name) {
        return None;
    }
    match &pair.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => Some(text.value()),
        _ => None,
    }
}

/// Generated type names the hand-written SDK code uses, by module, each with
/// the first file that names it.
pub type Named = BTreeMap<String, BTreeMap<String, PathBuf>>;

/// Scans the hand-written sources of `sdk/src` (not `generated/`) for
/// `<module>::types::<Name>`, also inside `use` groups and macro bodies (a
/// `$module::types::Name` in a macro counts for every module).
pub fn named_types(root: &Path, layout: &Layout) -> Result<Named> {
    let modules: BTreeSet<&str> = layout.values().map(|m| m.name.as_str()).collect();
    let dir = root.join("sdk/src");
    let mut files = Vec::new();
    collect_sources(&dir, &mut files)?;
    files.sort();
    let mut named = Named::new();
    for file in files {
        let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        let tokens: TokenStream = text
            .parse()
            .map_err(|e| anyhow::anyhow!("{} does not lex: {e}", file.display()))?;
        let mut found = Vec::new();
        scan(tokens, &mut found);
        let relative = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
        for (module, name) in found {
            let targets: Vec<&str> = match module {
                Some(module) => match modules.get(module.as_str()) {
                    Some(known) => vec![*known],
                    None => continue,
                },
                None => modules.iter().copied().collect(),
            };
            for target in targets {
                named
                    .entry(target.to_string())
                    .or_default()
                    .entry(name.clone())
                    .or_insert_with(|| relative.clone());
            }
        }
    }
    Ok(named)
}

fn collect_sources(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "generated") {
                collect_sources(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// Finds `module :: types :: Name` (module `None` for `$module`) and
/// `module :: types :: { A, B }` in a token stream, groups included.
fn scan(tokens: TokenStream, found: &mut Vec<(Option<String>, String)>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, tree) in trees.iter().enumerate() {
        if let TokenTree::Group(group) = tree {
            scan(group.stream(), found);
        }
        let TokenTree::Ident(ident) = tree else { continue };
        if ident != "types"
            || index < 3
            || !is_path_separator(&trees, index - 2)
            || !is_path_separator(&trees, index + 1)
        {
            continue;
        }
        let TokenTree::Ident(module) = &trees[index - 3] else {
            continue;
        };
        let is_macro_variable =
            index >= 4 && matches!(&trees[index - 4], TokenTree::Punct(dollar) if dollar.as_char() == '$');
        let module = (!is_macro_variable).then(|| module.to_string());
        match trees.get(index + 3) {
            Some(TokenTree::Ident(name)) if starts_upper(&name.to_string()) => found.push((module, name.to_string())),
            Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                for inner in group.stream() {
                    if let TokenTree::Ident(name) = inner
                        && starts_upper(&name.to_string())
                    {
                        found.push((module.clone(), name.to_string()));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether `trees[at]` and `trees[at + 1]` are the two colons of `::`.
fn is_path_separator(trees: &[TokenTree], at: usize) -> bool {
    matches!(
        (trees.get(at), trees.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':'
    )
}

fn starts_upper(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
}

/// The names the `types` module of generated code declares.
pub fn declared_types(code: &str) -> Result<BTreeSet<String>> {
    let file = syn::parse_file(code).context("generated code does not parse")?;
    let mut names = BTreeSet::new();
    for item in &file.items {
        let syn::Item::Mod(module) = item else { continue };
        if module.ident != "types" {
            continue;
        }
        for item in module.content.iter().flat_map(|(_, items)| items) {
            let name = match item {
                syn::Item::Struct(s) => s.ident.to_string(),
                syn::Item::Enum(e) => e.ident.to_string(),
                syn::Item::Type(t) => t.ident.to_string(),
                _ => continue,
            };
            names.insert(name);
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_sdk_is_read() {
        let root = crate::generate::project_root();
        let layout = read(&root).unwrap();
        let carts = &layout["carts_v3"];
        assert_eq!(
            (carts.name.as_str(), carts.client.as_str(), carts.accessor.as_str()),
            ("carts", "Client", "carts")
        );
        assert_eq!(layout["carts_sf"].client, "StorefrontClient");
        let named = named_types(&root, &layout).unwrap();
        for name in ["Cart", "ErrorBody", "Include", "CartLineItemDeleteResponse"] {
            assert!(named["carts"].contains_key(name), "{name}: {named:?}");
        }
        assert!(
            named["storefront"].contains_key("ErrorBody"),
            "the hooks macro names ErrorBody in every module"
        );
    }

    #[test]
    fn each_generated_module_has_the_feature_named_after_it() {
        let features = features(&crate::generate::project_root()).unwrap();
        assert_eq!(
            features.into_iter().collect::<Vec<_>>(),
            [
                ("abandoned_carts_v3".to_string(), "abandoned-carts".to_string()),
                ("carts_sf".to_string(), "storefront".to_string()),
                ("carts_v3".to_string(), "carts".to_string()),
            ]
        );
    }

    #[test]
    fn a_module_without_its_feature_is_refused() {
        let root = crate::generate::project_root();
        let copy = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(copy.path().join("sdk/src")).unwrap();
        let lib = std::fs::read_to_string(root.join("sdk/src/lib.rs")).unwrap();
        let manifest = std::fs::read_to_string(root.join("sdk/Cargo.toml")).unwrap();
        let write = |lib: &str, manifest: &str| {
            std::fs::write(copy.path().join("sdk/src/lib.rs"), lib).unwrap();
            std::fs::write(copy.path().join("sdk/Cargo.toml"), manifest).unwrap();
            format!("{:#}", features(copy.path()).unwrap_err())
        };
        let ungated = lib.replacen("#[cfg(feature = \"storefront\")]\n#[path", "#[path", 1);
        assert_ne!(ungated, lib, "sdk/src/lib.rs gates the storefront module");
        let error = write(&ungated, &manifest);
        assert!(
            error.contains("module storefront (generated/carts_sf.rs) must be declared under"),
            "{error}"
        );
        let off = manifest.replacen("\"abandoned-carts\", ", "", 1);
        assert_ne!(off, manifest, "the default features list abandoned-carts");
        let error = write(&lib, &off);
        assert!(
            error.contains("the default features lack \"abandoned-carts\""),
            "{error}"
        );
    }

    #[test]
    fn paths_use_groups_and_macro_variables_are_found() {
        let tokens: TokenStream = "use crate::carts::types::{Cart, builder}; fn f(x: abandoned::types::Settings) {} \
             macro_rules! m { ($module:ident) => { crate::$module::types::ErrorBody } }"
            .parse()
            .unwrap();
        let mut found = Vec::new();
        scan(tokens, &mut found);
        assert_eq!(
            found,
            [
                (Some("carts".to_string()), "Cart".to_string()),
                (Some("abandoned".to_string()), "Settings".to_string()),
                (None, "ErrorBody".to_string()),
            ]
        );
    }
}
