//! `generate --spec ... --out DIR --share-items`: many releases in one crate,
//! each item compiled once.
//!
//! Consecutive releases mostly change a few types, yet each generates about
//! 25,000 lines, and compiling the whole history is the slowest check the
//! project runs. Here an item a later module defines exactly as an earlier
//! one did is replaced by a re-export of the earlier one. "Exactly" means
//! more than equal text: a type is shared only when everything it may name
//! is shared too, so a `Cart` whose `LineItem` changed stays a `Cart` of its
//! own. The compiler then checks each distinct item once, and every module
//! still type-checks against definitions that are the same as its own.
//!
//! The unit of sharing is a named item (a struct, enum, type alias,
//! function, constant or trait) together with every `impl` whose self type it
//! is. What an item may name is over-approximated by its identifiers: any
//! item of the module with one of those names counts. Mutually recursive
//! items are shared or kept together (one hash for each strongly connected
//! group). Only `pub` items on `pub` module paths are shared (a re-export
//! must reach them); an `impl` that cannot be attached to an item keeps every
//! item it names where it is, so no trait is implemented twice.

use std::collections::{BTreeSet, HashMap};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use sha2::{Digest, Sha256};
use syn::visit_mut::VisitMut;
use syn::{Item, Visibility};

/// How much the sharing saved.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sharing {
    /// Named items over all modules.
    pub items: usize,
    /// Of those, replaced by a re-export of an earlier module's.
    pub shared: usize,
}

/// A module path inside one spec's module, and an item's name there.
type Place = (Vec<String>, String);

/// The items seen so far, over the modules given in order.
#[derive(Default)]
pub struct SharedItems {
    /// Each shareable item by its closure hash and place: the first module that has it.
    first_seen: HashMap<([u8; 32], Place), String>,
    sharing: Sharing,
}

impl SharedItems {
    /// Rewrites `file`, the module `name` of the crate: every item that an
    /// earlier module defines identically becomes
    /// `pub use crate::<earlier>::<path>::<name>;`.
    pub fn add(&mut self, name: &str, file: &mut syn::File) {
        let units = analyse(file);
        self.sharing.items += units.len();
        let mut replaced: HashMap<Place, String> = HashMap::new();
        for unit in &units {
            if !unit.shareable {
                continue;
            }
            let key = (unit.closure, unit.place.clone());
            match self.first_seen.get(&key) {
                Some(earlier) => {
                    replaced.insert(unit.place.clone(), earlier.clone());
                }
                None => {
                    self.first_seen.insert(key, name.to_string());
                }
            }
        }
        self.sharing.shared += replaced.len();
        let owners: HashMap<(Vec<String>, usize), Place> = units
            .iter()
            .flat_map(|unit| unit.items.iter().map(|item| (item.clone(), unit.place.clone())))
            .collect();
        rewrite(&mut file.items, &mut Vec::new(), &owners, &replaced);
    }

    /// What the sharing saved so far.
    pub fn sharing(&self) -> Sharing {
        self.sharing
    }
}

/// One named item and its impls, as found in a module.
struct Unit {
    place: Place,
    /// Its items: their module and position there, the definition first.
    items: Vec<(Vec<String>, usize)>,
    /// `pub`, on a path of `pub` modules, and named by no unattached impl.
    shareable: bool,
    /// Its own items' tokens (doc comments left out), with its place.
    own: [u8; 32],
    /// Every identifier its items use.
    mentions: BTreeSet<String>,
    /// Its own hash and those of everything it may name, transitively.
    closure: [u8; 32],
}

fn analyse(file: &syn::File) -> Vec<Unit> {
    let mut stripped = file.clone();
    NoDocs.visit_file_mut(&mut stripped);
    let mut found = Found::default();
    collect(&stripped.items, &mut Vec::new(), true, &mut found);
    let Found {
        mut units,
        pinned,
        modules,
        ..
    } = found;
    for unit in &mut units {
        if pinned.contains(&unit.place.1) {
            unit.shareable = false;
        }
        let mut hasher = Sha256::new();
        hasher.update(unit.place.0.join("::"));
        hasher.update("::");
        hasher.update(&unit.place.1);
        for (scope, index) in &unit.items {
            let item = &modules[scope][*index];
            hasher.update([0]);
            hasher.update(item.to_token_stream().to_string());
            unit.mentions.extend(identifiers(item.to_token_stream()));
        }
        unit.own = hasher.finalize().into();
    }
    close(&mut units);
    units
}

/// What [`collect`] gathers over a file.
#[derive(Default)]
struct Found<'a> {
    units: Vec<Unit>,
    /// Each unit by its place.
    places: HashMap<Place, usize>,
    /// Names used by impls attached to no unit, and by macros.
    pinned: BTreeSet<String>,
    /// Each module's items, by path.
    modules: HashMap<Vec<String>, &'a [Item]>,
}

/// Gathers the units of one module and of the inline modules in it: first
/// its definitions, then its impls (attached to the unit of their self type,
/// which may be in an outer module), then the modules inside.
fn collect<'a>(items: &'a [Item], scope: &mut Vec<String>, public_path: bool, found: &mut Found<'a>) {
    found.modules.insert(scope.clone(), items);
    for (index, item) in items.iter().enumerate() {
        if let Some((name, public)) = definition(item) {
            let place = (scope.clone(), name);
            found.places.insert(place.clone(), found.units.len());
            found.units.push(Unit {
                place,
                items: vec![(scope.clone(), index)],
                shareable: public && public_path,
                own: [0; 32],
                mentions: BTreeSet::new(),
                closure: [0; 32],
            });
        }
    }
    for (index, item) in items.iter().enumerate() {
        match item {
            Item::Impl(block) => {
                let owner = self_type_path(&block.self_ty)
                    .and_then(|path| resolve(scope, path))
                    .and_then(|place| found.places.get(&place).copied());
                match owner {
                    Some(unit) => found.units[unit].items.push((scope.clone(), index)),
                    None => found.pinned.extend(identifiers(item.to_token_stream())),
                }
            }
            Item::Mod(module) => {
                if let Some((_, content)) = &module.content {
                    let public = matches!(module.vis, Visibility::Public(_));
                    scope.push(module.ident.to_string());
                    collect(content, scope, public_path && public, found);
                    scope.pop();
                }
            }
            // A re-export implements nothing, so it cannot clash with a shared item.
            Item::Use(_) => {}
            _ if definition(item).is_some() => {}
            _ => found.pinned.extend(identifiers(item.to_token_stream())),
        }
    }
}

/// The name an item defines, and whether it is `pub`.
fn definition(item: &Item) -> Option<(String, bool)> {
    let (ident, vis) = match item {
        Item::Struct(item) => (&item.ident, &item.vis),
        Item::Enum(item) => (&item.ident, &item.vis),
        Item::Union(item) => (&item.ident, &item.vis),
        Item::Type(item) => (&item.ident, &item.vis),
        Item::Fn(item) => (&item.sig.ident, &item.vis),
        Item::Const(item) => (&item.ident, &item.vis),
        Item::Static(item) => (&item.ident, &item.vis),
        Item::Trait(item) => (&item.ident, &item.vis),
        _ => return None,
    };
    Some((ident.to_string(), matches!(vis, Visibility::Public(_))))
}

/// The path of an impl's self type, through references and parentheses.
fn self_type_path(ty: &syn::Type) -> Option<&syn::Path> {
    match ty {
        syn::Type::Path(ty) if ty.qself.is_none() => Some(&ty.path),
        syn::Type::Reference(ty) => self_type_path(&ty.elem),
        syn::Type::Paren(ty) => self_type_path(&ty.elem),
        syn::Type::Group(ty) => self_type_path(&ty.elem),
        _ => None,
    }
}

/// Where a relative path from `scope` leads; `None` for `crate::` and
/// absolute paths, which generated code does not use for its own items.
fn resolve(scope: &[String], path: &syn::Path) -> Option<Place> {
    if path.leading_colon.is_some() {
        return None;
    }
    let mut place = scope.to_vec();
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let (name, modules) = segments.split_last()?;
    for segment in modules {
        match segment.as_str() {
            "super" => {
                place.pop()?;
            }
            "self" => {}
            "crate" => return None,
            module => place.push(module.to_string()),
        }
    }
    Some((place, name.clone()))
}

fn identifiers(tokens: TokenStream) -> BTreeSet<String> {
    fn walk(tokens: TokenStream, into: &mut BTreeSet<String>) {
        for token in tokens {
            match token {
                TokenTree::Ident(ident) => {
                    into.insert(ident.to_string());
                }
                TokenTree::Group(group) => walk(group.stream(), into),
                TokenTree::Punct(_) | TokenTree::Literal(_) => {}
            }
        }
    }
    let mut found = BTreeSet::new();
    walk(tokens, &mut found);
    found
}

/// Fills each unit's closure hash: its strongly connected group's members and
/// the closures of what the group names, found with Tarjan's algorithm (which
/// finishes a group only after every group it reaches).
fn close(units: &mut [Unit]) {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, unit) in units.iter().enumerate() {
        by_name.entry(unit.place.1.as_str()).or_default().push(index);
    }
    let edges: Vec<Vec<usize>> = units
        .iter()
        .enumerate()
        .map(|(index, unit)| {
            let mut to: Vec<usize> = unit
                .mentions
                .iter()
                .filter_map(|name| by_name.get(name.as_str()))
                .flatten()
                .copied()
                .filter(|&other| other != index)
                .collect();
            to.sort_unstable();
            to.dedup();
            to
        })
        .collect();
    let mut tarjan = Tarjan {
        edges: &edges,
        index: vec![None; units.len()],
        low: vec![0; units.len()],
        on_stack: vec![false; units.len()],
        stack: Vec::new(),
        next: 0,
        groups: Vec::new(),
    };
    for unit in 0..units.len() {
        if tarjan.index[unit].is_none() {
            tarjan.visit(unit);
        }
    }
    let mut group_of = vec![0; units.len()];
    let mut group_hash: Vec<[u8; 32]> = Vec::with_capacity(tarjan.groups.len());
    for (group, members) in tarjan.groups.iter().enumerate() {
        for &member in members {
            group_of[member] = group;
        }
        let mut own: Vec<[u8; 32]> = members.iter().map(|&member| units[member].own).collect();
        own.sort_unstable();
        let mut named: Vec<[u8; 32]> = members
            .iter()
            .flat_map(|&member| &edges[member])
            .filter(|&&other| group_of[other] != group)
            .map(|&other| group_hash[group_of[other]])
            .collect();
        named.sort_unstable();
        named.dedup();
        let mut hasher = Sha256::new();
        for hash in own.iter().chain([[0xff; 32]].iter()).chain(&named) {
            hasher.update(hash);
        }
        group_hash.push(hasher.finalize().into());
        // A group is shared whole or not at all.
        let shareable = members.iter().all(|&member| units[member].shareable);
        for &member in members {
            units[member].shareable = shareable;
        }
    }
    for (unit, group) in units.iter_mut().zip(group_of) {
        unit.closure = group_hash[group];
    }
}

struct Tarjan<'a> {
    edges: &'a [Vec<usize>],
    index: Vec<Option<usize>>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    next: usize,
    /// Finished groups, each after every group it reaches.
    groups: Vec<Vec<usize>>,
}

impl Tarjan<'_> {
    fn visit(&mut self, node: usize) {
        self.index[node] = Some(self.next);
        self.low[node] = self.next;
        self.next += 1;
        self.stack.push(node);
        self.on_stack[node] = true;
        for &next in &self.edges[node] {
            match self.index[next] {
                None => {
                    self.visit(next);
                    self.low[node] = self.low[node].min(self.low[next]);
                }
                Some(index) if self.on_stack[next] => self.low[node] = self.low[node].min(index),
                Some(_) => {}
            }
        }
        if Some(self.low[node]) == self.index[node] {
            let mut group = Vec::new();
            while let Some(member) = self.stack.pop() {
                self.on_stack[member] = false;
                group.push(member);
                if member == node {
                    break;
                }
            }
            self.groups.push(group);
        }
    }
}

/// Drops the items of replaced units and puts a re-export where each
/// definition was.
fn rewrite(
    items: &mut Vec<Item>,
    scope: &mut Vec<String>,
    owners: &HashMap<(Vec<String>, usize), Place>,
    replaced: &HashMap<Place, String>,
) {
    let old = std::mem::take(items);
    for (index, mut item) in old.into_iter().enumerate() {
        if let Some(place) = owners.get(&(scope.clone(), index))
            && let Some(earlier) = replaced.get(place)
        {
            if definition(&item).is_some() && place.0 == *scope {
                let path: Vec<&str> = std::iter::once(earlier.as_str())
                    .chain(place.0.iter().map(String::as_str))
                    .chain(std::iter::once(place.1.as_str()))
                    .collect();
                let reexport = format!("pub use crate::{};", path.join("::"));
                items.push(syn::parse_str(&reexport).expect("a path of identifiers parses"));
            }
            continue;
        }
        if let Item::Mod(module) = &mut item
            && let Some((_, content)) = &mut module.content
        {
            scope.push(module.ident.to_string());
            rewrite(content, scope, owners, replaced);
            scope.pop();
        }
        items.push(item);
    }
}

/// Removes doc comments, which the compiler does not check.
pub(super) struct NoDocs;

impl VisitMut for NoDocs {
    fn visit_attributes_mut(&mut self, attributes: &mut Vec<syn::Attribute>) {
        attributes.retain(|attribute| !attribute.path().is_ident("doc"));
        for attribute in attributes.iter_mut() {
            self.visit_attribute_mut(attribute);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(name: &str, code: &str) -> (String, syn::File) {
        (name.to_string(), syn::parse_file(code).unwrap())
    }

    fn share_items(modules: &mut [(String, syn::File)]) -> Sharing {
        let mut shared = SharedItems::default();
        for (name, file) in modules {
            shared.add(name, file);
        }
        shared.sharing()
    }

    fn text(file: &syn::File) -> String {
        prettyplease::unparse(file)
    }

    const FIRST: &str = "
        pub mod types {
            /// The cart.
            pub struct Cart { pub items: Vec<LineItem>, pub note: Note }
            impl Cart { pub fn builder() -> builder::Cart { builder::Cart } }
            pub struct LineItem { pub id: u64 }
            pub struct Note(pub String);
            impl From<&Note> for Note { fn from(value: &Note) -> Self { Note(value.0.clone()) } }
            pub mod builder {
                pub struct Cart;
                impl From<Cart> for super::Cart { fn from(_: Cart) -> Self { todo!() } }
            }
            fn private() {}
        }
    ";

    #[test]
    fn an_item_and_its_impls_are_shared_only_when_everything_it_names_is_the_same() {
        // The second release changes LineItem and a doc comment of Cart.
        let second = FIRST
            .replace("pub id: u64", "pub id: u64, pub sku: String")
            .replace("The cart.", "A cart.");
        let mut modules = vec![module("a", FIRST), module("b", &second)];
        let sharing = share_items(&mut modules);
        let b = text(&modules[1].1);
        // Note (and its impl) is shared; LineItem changed, so Cart and its builder (which
        // names Cart) stay; the private function is never shared.
        assert!(b.contains("pub use crate::a::types::Note;"), "{b}");
        assert!(!b.contains("impl From<&Note>"), "{b}");
        assert!(b.contains("pub struct Cart {"), "{b}");
        assert!(b.contains("pub struct LineItem"), "{b}");
        assert!(b.contains("fn private()"), "{b}");
        assert_eq!(sharing, Sharing { items: 10, shared: 1 });
    }

    #[test]
    fn the_same_module_again_is_all_re_exports_but_private_items() {
        let mut modules = vec![module("a", FIRST), module("b", FIRST)];
        let sharing = share_items(&mut modules);
        let b = text(&modules[1].1);
        assert_eq!(sharing, Sharing { items: 10, shared: 4 }, "{b}");
        for place in ["types::Cart", "types::LineItem", "types::Note", "types::builder::Cart"] {
            assert!(b.contains(&format!("pub use crate::a::{place};")), "{place}: {b}");
        }
        assert!(!b.contains("impl"), "{b}");
    }

    #[test]
    fn an_impl_of_no_item_keeps_what_it_names() {
        let code = "pub struct Cart; pub struct Other; impl Trait for Vec<Cart> {}";
        let mut modules = vec![module("a", code), module("b", code)];
        share_items(&mut modules);
        let b = text(&modules[1].1);
        assert!(
            b.contains("pub struct Cart;") && b.contains("pub use crate::a::Other;"),
            "{b}"
        );
    }

    #[test]
    fn mutually_recursive_items_are_shared_together() {
        let first = "pub struct A { pub b: Option<Box<B>> } pub struct B { pub a: Option<Box<A>> }";
        let changed = first.replace("pub a:", "pub other:");
        let mut modules = vec![module("a", first), module("b", first), module("c", &changed)];
        let sharing = share_items(&mut modules);
        let b = text(&modules[1].1);
        let c = text(&modules[2].1);
        assert!(
            b.contains("pub use crate::a::A;") && b.contains("pub use crate::a::B;"),
            "{b}"
        );
        // B changed, so A (which names it) is not shared either.
        assert!(c.contains("pub struct A") && c.contains("pub struct B"), "{c}");
        assert_eq!(sharing.shared, 2);
    }
}
