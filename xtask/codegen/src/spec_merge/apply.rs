//! Applying accepted changes to our spec, one edit at a time, each verified
//! by extracting the facts again: an edit may change only facts the release
//! changed, to the release's values (or, for a fact the release adds, to what
//! our `x-deviation` there says, reported), and facts the release does not
//! state at all (ours alone, reported). An edit that would change anything else, such
//! as a shared component feeding another operation the release leaves as it
//! was, is undone and its changes become conflicts; unless the component
//! carries no `x-deviation` and the places the release changes reach it
//! through references of their own, which then name a copy of it that takes
//! the edit ([`split`]).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result, anyhow, bail};
use carts_openapi::{child, escape, unescape};
use serde_json::{Value, json};

use super::edit::YamlDocument;
use super::facts::{Fact, Facts, Kind, extract};
use super::key::{Attribute, Key, Place};
use super::merge::{Change, Conflict, member_for};
use super::split;
use super::translate::Translator;

/// What applying the accepted changes did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Our spec's text after the edits.
    pub text: String,
    /// Its facts, as `extract` reads them from the text.
    pub facts: Facts,
    /// The keys the edits brought to the release's value.
    pub taken: Vec<Key>,
    /// Changes that could not be taken, with why.
    pub conflicts: Vec<Conflict>,
    /// Facts the release does not state (ours alone) that an edit changed.
    pub consequences: Vec<Key>,
    /// Facts the release adds that an added place states as our deviation
    /// says (`x-deviation`), not as the release does: an added operation whose
    /// answer uses our meta, which also accepts an empty list.
    pub deviating: Vec<Key>,
    /// One line per edit applied.
    pub edits: Vec<String>,
}

/// One change of our document, derived from one change of the release.
#[derive(Debug, Clone, PartialEq)]
enum Edit {
    /// Add the operation at `path` (ours when we have the path, else theirs) from the release.
    AddOperation {
        path: String,
        method: String,
        theirs: String,
    },
    /// Remove our operation.
    RemoveOperation {
        pointer: String,
    },
    /// Set a value at `key` of the mapping at `at`.
    Set {
        at: String,
        key: String,
        value: Value,
    },
    /// Remove `key` of the mapping at `at`.
    Remove {
        at: String,
        key: String,
    },
    /// Append to (or remove from) the list at `at`.
    Push {
        at: String,
        value: Value,
    },
    RemoveItem {
        at: String,
        value: Value,
    },
    /// Remove the list entry at `at` (a parameter).
    RemoveEntry {
        at: String,
    },
    /// Add a parameter, response, body or field from the release: `value` is
    /// the release's node at `theirs`, translated when the edit is built.
    Add {
        at: String,
        key: String,
        theirs: String,
        what: Adding,
        required: bool,
    },
}

/// What an [`Edit::Add`] copies from the release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Adding {
    Parameter,
    Response,
    RequestBody,
    Media,
    Field,
}

impl Edit {
    fn describe(&self) -> String {
        match self {
            Edit::AddOperation { path, method, .. } => format!("add operation {} {path}", method.to_uppercase()),
            Edit::RemoveOperation { pointer } => format!("remove operation {pointer}"),
            Edit::Set { at, key, value } => format!("set {} to {value}", child(at, key)),
            Edit::Remove { at, key } => format!("remove {}", child(at, key)),
            Edit::Push { at, value } => format!("add {value} to {at}"),
            Edit::RemoveItem { at, value } => format!("remove {value} from {at}"),
            Edit::RemoveEntry { at } => format!("remove {at}"),
            // A parameter's index is known once it is placed ([`try_edit`]).
            Edit::Add { at, key, what, .. } if key.is_empty() => {
                format!("add {} to {at}", format!("{what:?}").to_lowercase())
            }
            Edit::Add { at, key, what, .. } => {
                format!("add {} {}", format!("{what:?}").to_lowercase(), child(at, key))
            }
        }
    }
}

/// The sides the edits are derived from.
pub struct Sides<'a> {
    /// The new release.
    pub theirs: &'a Value,
    /// Its facts.
    pub theirs_facts: &'a Facts,
    /// The previous release's facts.
    pub base_facts: &'a Facts,
    /// Our spec's text.
    pub ours_text: &'a str,
    /// Our spec's facts.
    pub ours_facts: &'a Facts,
}

/// Applies `accepted` (and, where an accepted edit brings them, `guarded`)
/// changes to our spec.
pub fn apply(
    sides: &Sides<'_>,
    accepted: &[Change],
    guarded: &[Change],
    conflicting: &[Change],
    note: &str,
) -> Result<Applied> {
    let ours_doc: Value = carts_openapi::parse(sides.ours_text.as_bytes())
        .context("reading our spec")?
        .doc;
    let mut translator = Translator::new(
        sides.theirs,
        sides.theirs_facts,
        &ours_doc,
        sides.ours_facts,
        note.to_string(),
    );
    let changed: BTreeMap<&Key, &Change> = accepted
        .iter()
        .chain(guarded)
        .map(|change| (&change.key, change))
        .collect();
    // A fact the release removes goes with the operation or field that held it, our deviation included.
    let removed: BTreeSet<&Key> = conflicting
        .iter()
        .filter(|change| change.theirs.is_none())
        .map(|change| &change.key)
        .collect();
    let mut applied = Applied {
        text: sides.ours_text.to_string(),
        facts: sides.ours_facts.clone(),
        ..Applied::default()
    };
    let mut planned: Vec<(Edit, Vec<&Change>)> = Vec::new();
    for change in accepted {
        if covered(&change.key, &changed) {
            continue;
        }
        match edit_for(sides, change) {
            Ok(edit) => match planned.iter_mut().find(|(e, _)| *e == edit) {
                Some((_, changes)) => changes.push(change),
                None => planned.push((edit, vec![change])),
            },
            Err(why) => applied
                .conflicts
                .push(conflict(sides, change, &format!("cannot be placed: {why:#}"))),
        }
    }
    // Components split off in this merge, as (original, copy): a later edit the release makes to
    // the same places lands in the copy.
    let mut splits: Vec<(String, String)> = Vec::new();
    for (edit, changes) in planned {
        let purpose = purpose(&edit, &changes);
        let check = Check {
            sides,
            before: &applied.facts,
            changed: &changed,
            removed: &removed,
        };
        let on_copy = on_split_copy(
            &check,
            &applied.text,
            &edit,
            &changes,
            &purpose,
            &splits,
            &mut translator,
        );
        let attempt = match on_copy {
            Some(done) => Ok(done),
            None => try_edit(&applied.text, &edit, &purpose, sides, &mut translator),
        };
        let (mut text, mut facts, mut described) = match attempt {
            Ok(done) => done,
            Err(why) => {
                for change in changes {
                    applied
                        .conflicts
                        .push(conflict(sides, change, &format!("cannot be placed: {why:#}")));
                }
                continue;
            }
        };
        let mut verdict = check.judge(&facts);
        if !verdict.bad.is_empty()
            && let Some((done, split)) = split_for(&check, &applied.text, &edit, &changes, &purpose, &mut translator)
        {
            (text, facts, described) = done;
            verdict = check.judge(&facts);
            splits.push(split);
        }
        let Verdict {
            bad,
            consequences,
            deviating,
        } = verdict;
        if !bad.is_empty() {
            let shown: Vec<String> = bad.iter().take(3).map(Key::to_string).collect();
            let more = if bad.len() > 3 {
                format!(" and {} more", bad.len() - 3)
            } else {
                String::new()
            };
            let why = format!(
                "the edit ({}) would also change {}{more}, which the release does not change",
                described.join(", "),
                shown.join(", ")
            );
            for change in changes {
                applied.conflicts.push(conflict(sides, change, &why));
            }
            continue;
        }
        applied.edits.extend(described);
        applied.consequences.extend(consequences);
        applied.deviating.extend(deviating);
        applied.text = text;
        applied.facts = facts;
    }
    // A copy split off before that states its original's facts again goes back into it.
    let (text, folded) = split::fold(&applied.text)?;
    if !folded.is_empty() {
        // Folding changes no fact's value, but the places that state them: read them again.
        applied.facts = extract(&carts_openapi::parse(text.as_bytes())?.doc);
        applied.text = text;
        applied.edits.extend(folded);
    }
    // A change an edit elsewhere brought to the release's value is no conflict.
    let reached = |key: &Key, facts: &Facts| {
        let theirs = sides.theirs_facts.get(key).map(|f| &f.value);
        facts.get(key).map(|f| &f.value) == theirs
    };
    let facts = applied.facts.clone();
    applied.conflicts.retain(|c| !reached(&c.fact, &facts));
    for change in accepted.iter().chain(guarded) {
        let now = applied.facts.get(&change.key).map(|f| &f.value);
        let reached = now == change.theirs.as_ref();
        if reached {
            applied.taken.push(change.key.clone());
        } else if applied.deviating.contains(&change.key) {
            // Kept as our deviation says, and reported so.
        } else if !applied.conflicts.iter().any(|c| c.fact == change.key) && !covered_by_conflict(&change.key, &applied)
        {
            let why = if guarded.contains(change) {
                "our spec deviates here (x-deviation); a person decides whether the deviation still holds"
            } else {
                "no edit reached it"
            };
            applied.conflicts.push(conflict(sides, change, why));
        }
    }
    Ok(applied)
}

/// What an edit's effect on our facts is checked against.
struct Check<'s, 'a> {
    sides: &'s Sides<'a>,
    /// Our facts before the edit.
    before: &'s Facts,
    /// The changes the release makes (accepted and guarded), by key.
    changed: &'s BTreeMap<&'s Key, &'s Change>,
    /// Facts the release removes where we deviate.
    removed: &'s BTreeSet<&'s Key>,
}

/// How an edit's changes of our facts read.
struct Verdict {
    /// Facts the release leaves alone (or sets otherwise) that the edit changes.
    bad: Vec<Key>,
    /// Facts of ours alone that follow the edit.
    consequences: Vec<Key>,
    /// Facts the release adds that an added place states as our deviation says.
    deviating: Vec<Key>,
}

impl Check<'_, '_> {
    /// Sorts the facts an edit changed, leaving `after`, into those it may change and those it
    /// may not.
    fn judge(&self, after: &Facts) -> Verdict {
        let sides = self.sides;
        let mut verdict = Verdict {
            bad: Vec::new(),
            consequences: Vec::new(),
            deviating: Vec::new(),
        };
        for key in changed_keys(self.before, after) {
            let now = after.get(&key).map(|f| &f.value);
            let in_release = stated_by_release(sides, &key, after.get(&key).or_else(|| self.before.get(&key)));
            if self.changed.contains_key(&key) && now == sides.theirs_facts.get(&key).map(|f| &f.value) {
                continue;
            }
            if self.removed.contains(&key) && now.is_none() {
                continue;
            }
            if !in_release {
                // The release says nothing of this fact: it is our own (a field of our error
                // envelope, a deviation's wrapper), and it follows our component where the
                // release's change lands.
                verdict.consequences.push(key);
                continue;
            }
            let new_deviation = !self.before.contains_key(&key) && after.get(&key).is_some_and(|f| f.deviates);
            if self.changed.contains_key(&key) && new_deviation {
                // The release adds this fact; the place that now states it is a component of ours
                // that deviates there, as it does for every operation that uses it.
                verdict.deviating.push(key);
                continue;
            }
            verdict.bad.push(key);
        }
        verdict
    }

    /// Whether `after` brings one of `changes` to the release's value.
    fn reaches(&self, after: &Facts, changes: &[&Change]) -> bool {
        changes.iter().any(|change| {
            let now = after.get(&change.key).map(|f| &f.value);
            now != self.before.get(&change.key).map(|f| &f.value) && now == change.theirs.as_ref()
        })
    }
}

/// The component an edit lands in, when it lands in one.
fn component_of_edit(edit: &Edit) -> Option<String> {
    split::component(edit_target(edit)?)
}

/// The pointer an edit changes things at, for the edits that change a node of our spec.
fn edit_target(edit: &Edit) -> Option<&str> {
    match edit {
        Edit::AddOperation { .. } | Edit::RemoveOperation { .. } => None,
        Edit::Set { at, .. }
        | Edit::Remove { at, .. }
        | Edit::Push { at, .. }
        | Edit::RemoveItem { at, .. }
        | Edit::RemoveEntry { at }
        | Edit::Add { at, .. } => Some(at),
    }
}

/// `edit` made to the schema component `copy` rather than to `original`, where it lands.
fn retarget(edit: &Edit, original: &str, copy: &str) -> Option<Edit> {
    let (from, to) = (split::pointer(original), split::pointer(copy));
    let moved = |at: &str| -> Option<String> {
        let rest = at.strip_prefix(&from)?;
        (rest.is_empty() || rest.starts_with('/')).then(|| format!("{to}{rest}"))
    };
    let mut edit = edit.clone();
    match &mut edit {
        Edit::AddOperation { .. } | Edit::RemoveOperation { .. } => return None,
        Edit::Set { at, .. }
        | Edit::Remove { at, .. }
        | Edit::Push { at, .. }
        | Edit::RemoveItem { at, .. }
        | Edit::RemoveEntry { at }
        | Edit::Add { at, .. } => *at = moved(at)?,
    }
    Some(edit)
}

/// An edit and what it gives: our spec's text and facts, and one line per change made.
type Done = (String, Facts, Vec<String>);

/// `edit` made to the copy of its component that this merge split off before, when that takes
/// one of `changes` to the release's value and changes nothing the release leaves alone: the
/// release changes the same places again.
fn on_split_copy(
    check: &Check<'_, '_>,
    text: &str,
    edit: &Edit,
    changes: &[&Change],
    purpose: &str,
    splits: &[(String, String)],
    translator: &mut Translator<'_>,
) -> Option<Done> {
    let original = component_of_edit(edit)?;
    splits
        .iter()
        .filter(|(from, _)| *from == original)
        .find_map(|(_, copy)| {
            let moved = retarget(edit, &original, copy)?;
            let done = try_edit(text, &moved, purpose, check.sides, translator).ok()?;
            (check.judge(&done.1).bad.is_empty() && check.reaches(&done.1, changes)).then_some(done)
        })
}

/// `edit`, which would also change facts the release leaves alone, made to a copy of the
/// component it lands in that only the places the release changes refer to: when the
/// component carries no `x-deviation` and the copy leaves nothing else changed. Also returns
/// the component and its copy.
fn split_for(
    check: &Check<'_, '_>,
    text: &str,
    edit: &Edit,
    changes: &[&Change],
    purpose: &str,
    translator: &mut Translator<'_>,
) -> Option<(Done, (String, String))> {
    let original = component_of_edit(edit)?;
    let doc: Value = carts_openapi::parse(text.as_bytes()).ok()?.doc;
    if split::deviates(doc.pointer(&split::pointer(&original))?) {
        return None;
    }
    let refs = split::references_to(&doc, &original);
    if refs.len() < 2 {
        return None;
    }
    let copy = translator.components.free_name(&original);
    let made = (|| {
        let moved = retarget(edit, &original, &copy)?;
        // The references through which the edit reaches the places the release changes.
        let through: Vec<String> = refs
            .iter()
            .filter(|at| {
                let Ok((trial, _)) = split::split(text, &original, &copy, std::slice::from_ref(*at)) else {
                    return false;
                };
                try_edit(&trial, &moved, purpose, check.sides, translator)
                    .is_ok_and(|(_, facts, _)| check.reaches(&facts, changes))
            })
            .cloned()
            .collect();
        if through.is_empty() || through.len() == refs.len() {
            return None;
        }
        let (split_text, mut described) = split::split(text, &original, &copy, &through).ok()?;
        let (text, facts, edited) = try_edit(&split_text, &moved, purpose, check.sides, translator).ok()?;
        if !check.judge(&facts).bad.is_empty() {
            return None;
        }
        described.extend(edited);
        Some((text, facts, described))
    })();
    match made {
        Some(done) => Some((done, (original, copy))),
        None => {
            translator.components.unclaim(&copy);
            None
        }
    }
}

/// Whether the release says something of `key`: it states the fact, or it
/// states the closed list the fact would belong to (an operation's
/// parameters and statuses, an enum's values), so that its absence there is
/// a statement too. Fields are not such a list: objects take other fields,
/// and our spec adds some (our one error envelope).
fn stated_by_release(sides: &Sides<'_>, key: &Key, fact: Option<&Fact>) -> bool {
    if sides.base_facts.contains_key(key) || sides.theirs_facts.contains_key(key) {
        return true;
    }
    let closed = fact.is_some_and(|f| {
        matches!(
            f.kind,
            Kind::Operation | Kind::Parameter | Kind::ParameterEnum | Kind::FieldEnum | Kind::Status | Kind::Body
        )
    });
    closed
        && key
            .parent()
            .is_some_and(|parent| sides.base_facts.contains_key(&parent) || sides.theirs_facts.contains_key(&parent))
}

/// Whether an ancestor of `key` is added or removed as a whole by the release.
fn covered(key: &Key, changed: &BTreeMap<&Key, &Change>) -> bool {
    let mut current = key.clone();
    while let Some(parent) = current.parent() {
        if let Some(change) = changed.get(&parent)
            && (change.base.is_none() || change.theirs.is_none())
        {
            return true;
        }
        current = parent;
    }
    false
}

/// Whether an ancestor of `key` is already a conflict (so `key` need not be listed).
fn covered_by_conflict(key: &Key, applied: &Applied) -> bool {
    let mut current = key.clone();
    while let Some(parent) = current.parent() {
        if applied.conflicts.iter().any(|c| c.fact == parent) {
            return true;
        }
        current = parent;
    }
    false
}

/// The keys whose values differ between two sets of facts.
fn changed_keys(before: &Facts, after: &Facts) -> BTreeSet<Key> {
    let keys: BTreeSet<&Key> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|k| before.get(*k).map(|f| &f.value) != after.get(*k).map(|f| &f.value))
        .cloned()
        .collect()
}

/// A conflict record for `change`.
pub fn conflict(sides: &Sides<'_>, change: &Change, reason: &str) -> Conflict {
    let pointer = sides
        .ours_facts
        .get(&change.key)
        .map(|f| {
            if f.at.attribute.is_empty() {
                f.at.node.clone()
            } else {
                f.at.attribute.clone()
            }
        })
        .or_else(|| {
            change
                .key
                .parent()
                .and_then(|parent| sides.ours_facts.get(&parent))
                .map(|f| f.at.children.first().cloned().unwrap_or_else(|| f.at.node.clone()))
        })
        .unwrap_or_default();
    Conflict {
        fact: change.key.clone(),
        pointer,
        ours: change.ours.clone().unwrap_or(Value::Null),
        base: change.base.clone().unwrap_or(Value::Null),
        theirs: change.theirs.clone().unwrap_or(Value::Null),
        reason: reason.to_string(),
    }
}

/// The edit that makes our spec state the release's value of `change`: the
/// kind of fact and whether the release adds it, removes it or changes its
/// value choose the edit.
fn edit_for(sides: &Sides<'_>, change: &Change) -> Result<Edit> {
    let key = &change.key;
    let theirs = sides.theirs_facts.get(key);
    let ours = sides.ours_facts.get(key);
    let known = theirs
        .or(ours)
        .or_else(|| sides.base_facts.get(key))
        .ok_or_else(|| anyhow!("unknown fact"))?;
    match (&known.kind, theirs, ours) {
        (Kind::Operation, Some(theirs), None) => add_operation(sides, theirs),
        (Kind::Operation, None, Some(ours)) => Ok(remove_operation(ours)),
        (Kind::OperationId, Some(theirs), Some(ours)) => Ok(set_operation_id(theirs, ours)),
        (Kind::Parameter, Some(theirs), None) => add_parameter(sides, key, theirs),
        (Kind::Parameter, None, Some(ours)) => Ok(remove_parameter(ours)),
        (Kind::ParameterAttribute(attribute), Some(theirs), Some(ours)) => {
            Ok(set_parameter_attribute(attribute, theirs, ours))
        }
        (Kind::ParameterType { .. } | Kind::FieldType, Some(theirs), Some(ours)) => set_type(theirs, ours),
        (Kind::ParameterEnum | Kind::FieldEnum, Some(_), None) => add_enum_value(sides, key),
        (Kind::ParameterEnum | Kind::FieldEnum, None, Some(ours)) => remove_enum_value(key, ours),
        (Kind::ParameterEnum | Kind::FieldEnum, _, _) => {
            enum_value(key)?;
            bail!("an enum value is either listed or not")
        }
        (Kind::Status, Some(theirs), None) => add_status(sides, key, theirs),
        (Kind::Status, None, Some(ours)) => remove_status(key, ours),
        (Kind::Body, Some(theirs), None) => add_body(sides, key, theirs),
        (Kind::Body, None, Some(ours)) => remove_body(key, ours),
        (Kind::Field, Some(theirs), None) if key.is_items() => add_items(sides, key, theirs),
        (Kind::Field, None, Some(ours)) if key.is_items() => remove_items(ours),
        (Kind::Field, Some(theirs), None) => add_field(sides, key, theirs),
        (Kind::Field, None, Some(ours)) => remove_field(key, ours),
        (Kind::FieldRequired, Some(theirs), Some(ours)) => set_required(key, theirs, ours),
        (Kind::FieldNullable, Some(theirs), Some(ours)) => set_nullable(theirs, ours),
        (kind, theirs, ours) => bail!(
            "a change of {kind} from {} to {} is not something the merge edits",
            ours.map(|f| f.value.to_string()).unwrap_or_else(|| "absent".into()),
            theirs.map(|f| f.value.to_string()).unwrap_or_else(|| "absent".into())
        ),
    }
}

/// The fact of our spec one step above `key` (a parameter's operation, a
/// field's parent field).
fn our_parent<'a>(sides: &Sides<'a>, key: &Key) -> Option<&'a Fact> {
    key.parent().and_then(|parent| sides.ours_facts.get(&parent))
}

/// An operation the release adds is copied from it, under our path when we
/// already have the path (so the path item's shared parameters and its
/// spelling stay ours), else under the release's.
fn add_operation(sides: &Sides<'_>, theirs: &Fact) -> Result<Edit> {
    let (path, method) = operation_of(&theirs.at.operation)?;
    let template = carts_openapi::template(&path);
    let our_path = sides
        .ours_facts
        .values()
        .filter(|f| f.kind == Kind::Operation)
        .filter_map(|f| operation_of(&f.at.operation).ok())
        .find(|(p, _)| carts_openapi::template(p) == template)
        .map(|(p, _)| p)
        .unwrap_or(path);
    Ok(Edit::AddOperation {
        path: our_path,
        method,
        theirs: theirs.at.operation.clone(),
    })
}

/// An operation the release removes goes from our spec, with everything in it.
fn remove_operation(ours: &Fact) -> Edit {
    Edit::RemoveOperation {
        pointer: ours.at.operation.clone(),
    }
}

/// A new operation id replaces ours: the id names the SDK's method.
fn set_operation_id(theirs: &Fact, ours: &Fact) -> Edit {
    Edit::Set {
        at: ours.at.operation.clone(),
        key: "operationId".into(),
        value: theirs.value.clone(),
    }
}

/// A parameter the release adds is appended to our operation's own list,
/// which is where the release's change lands whatever list it uses.
fn add_parameter(sides: &Sides<'_>, key: &Key, theirs: &Fact) -> Result<Edit> {
    let operation = our_parent(sides, key)
        .map(|f| f.at.operation.clone())
        .ok_or_else(|| anyhow!("our spec has no such operation"))?;
    Ok(Edit::Add {
        at: child(&operation, "parameters"),
        key: String::new(),
        theirs: theirs.at.node.clone(),
        what: Adding::Parameter,
        required: false,
    })
}

/// A parameter the release removes leaves the list entry that declares it
/// for this operation.
fn remove_parameter(ours: &Fact) -> Edit {
    Edit::RemoveEntry {
        at: ours.at.holder.clone(),
    }
}

/// A parameter's `required`, `style` or `explode` is set on our parameter
/// object, as the release now states it.
fn set_parameter_attribute(attribute: &str, theirs: &Fact, ours: &Fact) -> Edit {
    Edit::Set {
        at: ours.at.node.clone(),
        key: attribute.to_string(),
        value: theirs.value.clone(),
    }
}

/// A new type of a parameter or field is written where our spec writes the
/// type: only one type, as a schema of ours states one.
fn set_type(theirs: &Fact, ours: &Fact) -> Result<Edit> {
    let [single] = theirs.value.as_array().map(Vec::as_slice).unwrap_or_default() else {
        bail!("the release states the types {}, which is not one type", theirs.value);
    };
    if ours.at.attribute.is_empty() {
        bail!("our spec states no `type` here to change");
    }
    Ok(Edit::Set {
        at: ours.at.attribute.clone(),
        key: "type".into(),
        value: single.clone(),
    })
}

/// The enum value a key names, as JSON.
fn enum_value(key: &Key) -> Result<Value> {
    key.enum_value()
        .and_then(|value| serde_json::from_str(value).ok())
        .ok_or_else(|| anyhow!("the enum value does not read as JSON"))
}

/// An enum value the release adds joins the list our spec already keeps
/// for that parameter or field; when our spec lists none (the release
/// dropped them all before), the list starts in the schema that states the
/// type, an array parameter's items'.
fn add_enum_value(sides: &Sides<'_>, key: &Key) -> Result<Edit> {
    let value = enum_value(key)?;
    let owner = key
        .parent()
        .ok_or_else(|| anyhow!("an enum value belongs to a field or parameter"))?;
    let first = owner.with(Attribute::Enum(String::new()));
    let listed = sides
        .ours_facts
        .range(&first..)
        .take_while(|(k, _)| k.enum_value().is_some() && k.parent().as_ref() == Some(&owner))
        .find(|(_, f)| !f.at.attribute.is_empty())
        .map(|(_, f)| f.at.attribute.clone());
    let at = listed
        .or_else(|| {
            [owner.with(Attribute::ItemsType), owner.with(Attribute::Type)]
                .iter()
                .find_map(|k| sides.ours_facts.get(k))
                .map(|f| f.at.attribute.clone())
                .filter(|at| !at.is_empty())
        })
        .ok_or_else(|| anyhow!("our spec lists no values here to add to"))?;
    Ok(Edit::Push {
        at: child(&at, "enum"),
        value,
    })
}

/// An enum value the release removes leaves the list that names it.
fn remove_enum_value(key: &Key, ours: &Fact) -> Result<Edit> {
    Ok(Edit::RemoveItem {
        at: child(&ours.at.attribute, "enum"),
        value: enum_value(key)?,
    })
}

/// The status a response key names.
fn status_of(key: &Key) -> Result<&str> {
    match &key.place {
        Place::Response { status, .. } => Ok(status),
        _ => bail!("{key} is no response"),
    }
}

/// A status the release adds is copied into our operation's responses,
/// its body and all.
fn add_status(sides: &Sides<'_>, key: &Key, theirs: &Fact) -> Result<Edit> {
    let operation = our_parent(sides, key).ok_or_else(|| anyhow!("our spec has no such operation"))?;
    Ok(Edit::Add {
        at: child(&operation.at.operation, "responses"),
        key: status_of(key)?.to_string(),
        theirs: theirs.at.node.clone(),
        what: Adding::Response,
        required: false,
    })
}

/// A status the release removes leaves our operation's responses.
fn remove_status(key: &Key, ours: &Fact) -> Result<Edit> {
    Ok(Edit::Remove {
        at: ours.at.holder.clone(),
        key: status_of(key)?.to_string(),
    })
}

/// A body the release adds: a request body is copied whole into our
/// operation (ours has none, or the fact would not be new); a response's
/// body in a new media type joins our response's `content`.
fn add_body(sides: &Sides<'_>, key: &Key, theirs: &Fact) -> Result<Edit> {
    match &key.place {
        Place::Request { .. } => {
            let operation = our_parent(sides, key).ok_or_else(|| anyhow!("our spec has no such operation"))?;
            let body = theirs.at.holder.trim_end_matches("/content").to_string();
            Ok(Edit::Add {
                at: operation.at.operation.clone(),
                key: "requestBody".into(),
                theirs: body,
                what: Adding::RequestBody,
                required: false,
            })
        }
        Place::Response { media: Some(media), .. } => {
            let response = our_parent(sides, key).ok_or_else(|| anyhow!("our spec has no such response"))?;
            Ok(Edit::Add {
                at: child(&response.at.node, "content"),
                key: media.clone(),
                theirs: theirs.at.node.clone(),
                what: Adding::Media,
                required: false,
            })
        }
        _ => bail!("{key} is no body"),
    }
}

/// A body the release removes: our operation's whole request body, or the
/// media type of our response.
fn remove_body(key: &Key, ours: &Fact) -> Result<Edit> {
    match &key.place {
        Place::Request { .. } => Ok(Edit::Remove {
            at: ours.at.operation.clone(),
            key: "requestBody".into(),
        }),
        Place::Response { media: Some(media), .. } => Ok(Edit::Remove {
            at: ours.at.holder.clone(),
            key: media.clone(),
        }),
        _ => bail!("{key} is no body"),
    }
}

/// A field that becomes a list gets its items, in the schema that states
/// its type (the type fact of the list carries that change).
fn add_items(sides: &Sides<'_>, key: &Key, theirs: &Fact) -> Result<Edit> {
    let list = key.parent().ok_or_else(|| anyhow!("items belong to a list"))?;
    let at = sides
        .ours_facts
        .get(&list.with(Attribute::Type))
        .map(|f| f.at.attribute.clone())
        .filter(|at| !at.is_empty())
        .ok_or_else(|| anyhow!("our spec states no type for the list here"))?;
    Ok(Edit::Add {
        at,
        key: "items".into(),
        theirs: theirs.at.node.clone(),
        what: Adding::Field,
        required: false,
    })
}

/// A list that is no longer one loses its items.
fn remove_items(ours: &Fact) -> Result<Edit> {
    let at = ours
        .at
        .node
        .strip_suffix("/items")
        .ok_or_else(|| anyhow!("our spec declares these items in no list schema"))?;
    Ok(Edit::Remove {
        at: at.to_string(),
        key: "items".into(),
    })
}

/// A field the release adds is copied into the object schema of ours that
/// declares its parent's fields: the one such schema; for a parent that
/// becomes an object, the schema that states its type; for a union, the
/// member that declares the release's other fields there. It is listed as
/// required when the release requires it.
fn add_field(sides: &Sides<'_>, key: &Key, theirs: &Fact) -> Result<Edit> {
    let parent = our_parent(sides, key).ok_or_else(|| anyhow!("our spec has no parent field here"))?;
    let name = key
        .field_name()
        .ok_or_else(|| anyhow!("only named fields can be added"))?;
    let parent_key = key
        .parent()
        .ok_or_else(|| anyhow!("our spec has no parent field here"))?;
    let holder = match parent.at.children.as_slice() {
        [one] => one.clone(),
        [] => becoming_object(sides, &parent_key)?,
        _ => member_for(sides.theirs_facts, sides.ours_facts, &parent_key).ok_or_else(|| {
            anyhow!(
                "our parent field is a union of several objects, none of which alone declares the release's \
                 other fields there; which one takes the field is a choice"
            )
        })?,
    };
    let required = sides
        .theirs_facts
        .get(&key.with(Attribute::Required))
        .is_some_and(|f| f.value == json!(true));
    Ok(Edit::Add {
        at: child(&holder, "properties"),
        key: name.to_string(),
        theirs: theirs.at.node.clone(),
        what: Adding::Field,
        required,
    })
}

/// Where a field that the release turns into an object gets its
/// properties: the schema of ours that states its type.
fn becoming_object(sides: &Sides<'_>, field: &Key) -> Result<String> {
    let type_key = field.with(Attribute::Type);
    let object = sides
        .theirs_facts
        .get(&type_key)
        .is_some_and(|f| f.value == json!(["object"]));
    sides
        .ours_facts
        .get(&type_key)
        .filter(|_| object)
        .map(|f| f.at.attribute.clone())
        .filter(|at| !at.is_empty())
        .ok_or_else(|| anyhow!("our parent field is not an object with properties"))
}

/// A field the release removes leaves the object schema that declares it
/// (and its `required` list, see [`perform`]).
fn remove_field(key: &Key, ours: &Fact) -> Result<Edit> {
    let name = key
        .field_name()
        .ok_or_else(|| anyhow!("only named fields can be removed"))?;
    if ours.at.holder.is_empty() {
        bail!("our spec declares this field in no object");
    }
    Ok(Edit::Remove {
        at: child(&ours.at.holder, "properties"),
        key: name.to_string(),
    })
}

/// A field that becomes required (or optional) joins (or leaves) the
/// `required` list of the object schema that declares it.
fn set_required(key: &Key, theirs: &Fact, ours: &Fact) -> Result<Edit> {
    let name = key
        .field_name()
        .ok_or_else(|| anyhow!("only named fields can be required"))?;
    if ours.at.attribute.is_empty() {
        bail!("our spec declares this field in no object");
    }
    let at = child(&ours.at.attribute, "required");
    Ok(if theirs.value == json!(true) {
        Edit::Push { at, value: json!(name) }
    } else {
        Edit::RemoveItem { at, value: json!(name) }
    })
}

/// A field that may become null (or no longer) gets (or loses) `nullable`
/// on the schema of ours that says it.
fn set_nullable(theirs: &Fact, ours: &Fact) -> Result<Edit> {
    if ours.at.attribute.is_empty() {
        bail!("our spec has no schema here to mark");
    }
    Ok(if theirs.value == json!(true) {
        Edit::Set {
            at: ours.at.attribute.clone(),
            key: "nullable".into(),
            value: json!(true),
        }
    } else {
        Edit::Remove {
            at: ours.at.attribute.clone(),
            key: "nullable".into(),
        }
    })
}

/// `(path, method)` of an operation pointer.
fn operation_of(pointer: &str) -> Result<(String, String)> {
    let rest = pointer
        .strip_prefix("/paths/")
        .ok_or_else(|| anyhow!("{pointer} is no operation"))?;
    let (path, method) = rest
        .rsplit_once('/')
        .ok_or_else(|| anyhow!("{pointer} is no operation"))?;
    Ok((unescape(path), method.to_string()))
}

/// Applies `edit` to `text` and extracts the facts of the result. The
/// carried components the result refers to and lacks are written with it,
/// each with our note and what it came for (`purpose`). Also returns the
/// edit's description, with the pointer of what it placed, and one line
/// per component carried.
fn try_edit(
    text: &str,
    edit: &Edit,
    purpose: &str,
    sides: &Sides<'_>,
    translator: &mut Translator<'_>,
) -> Result<(String, Facts, Vec<String>)> {
    let document = YamlDocument::parse(text)?;
    let mut described = vec![match edit {
        Edit::Add {
            at,
            what: Adding::Parameter,
            ..
        } => {
            // A parameter is appended: its pointer ends in the index it gets.
            let ours: Value = carts_openapi::parse(text.as_bytes())?.doc;
            let index = ours.pointer(at).and_then(Value::as_array).map_or(0, Vec::len);
            format!("add parameter {}", child(at, &index.to_string()))
        }
        _ => edit.describe(),
    }];
    perform(&document, edit, sides, translator)?;
    let read = |document: &YamlDocument| -> Result<Value> {
        Ok(carts_openapi::parse(document.text().as_bytes())
            .context("the edited spec does not read back")?
            .doc)
    };
    let mut value = read(&document)?;
    let missing = translator.components.missing_in(&value);
    if !missing.is_empty() {
        let description = format!("{} It came with the release's {purpose}.", translator.note);
        for (name, mut schema) in missing {
            if let Some(object) = schema.as_object_mut() {
                object.insert("description".into(), json!(description));
            }
            document.set("/components/schemas", &name, &schema)?;
            let origin = translator.components.origin(&name).unwrap_or_default();
            described.push(format!(
                "add component {} (the release's {origin})",
                child("/components/schemas", &name)
            ));
        }
        value = read(&document)?;
    }
    Ok((document.text(), extract(&value), described))
}

/// What an edit's carried components come for, in their description: the
/// release's operation, or the fact the edit takes.
fn purpose(edit: &Edit, changes: &[&Change]) -> String {
    match edit {
        Edit::AddOperation { method, theirs, .. } => match operation_of(theirs) {
            Ok((path, _)) => format!("{} {path}", method.to_uppercase()),
            Err(_) => theirs.clone(),
        },
        _ => changes.first().map(|c| c.key.to_string()).unwrap_or_default(),
    }
}

fn perform(document: &YamlDocument, edit: &Edit, sides: &Sides<'_>, translator: &mut Translator<'_>) -> Result<()> {
    let theirs_node = |pointer: &str| {
        sides
            .theirs
            .pointer(pointer)
            .cloned()
            .ok_or_else(|| anyhow!("{pointer} is not in the release"))
    };
    match edit {
        Edit::AddOperation { path, method, theirs } => {
            let operation = translator.operation(&theirs_node(theirs)?)?;
            let item = format!("/paths/{}", escape(path));
            let ours_doc: Value = carts_openapi::parse(document.text().as_bytes())?.doc;
            if ours_doc.pointer(&item).is_some() {
                document.set(&item, method, &operation)
            } else {
                let (their_path, _) = operation_of(theirs)?;
                let mut new_item = serde_json::Map::new();
                let their_item = theirs_node(&format!("/paths/{}", escape(&their_path)))?;
                if let Some(shared) = their_item.get("parameters").and_then(Value::as_array) {
                    let shared: Vec<Value> = shared.iter().map(|p| translator.parameter(p)).collect::<Result<_>>()?;
                    new_item.insert("parameters".into(), Value::Array(shared));
                }
                new_item.insert(method.clone(), operation);
                document.set("/paths", path, &Value::Object(new_item))
            }
        }
        Edit::RemoveOperation { pointer } => {
            let (path, method) = operation_of(pointer)?;
            let item = format!("/paths/{}", escape(&path));
            document.remove(&item, &method)?;
            let ours_doc: Value = carts_openapi::parse(document.text().as_bytes())?.doc;
            let others = carts_openapi::METHODS
                .iter()
                .any(|m| ours_doc.pointer(&child(&item, m)).is_some());
            if !others {
                document.remove("/paths", &path)?;
            }
            Ok(())
        }
        Edit::Set { at, key, value } => document.set(at, key, value),
        Edit::Remove { at, key } => {
            document.remove(at, key)?;
            // A removed field leaves the `required` list of its object too.
            if let Some(holder) = at.strip_suffix("/properties") {
                let ours_doc: Value = carts_openapi::parse(document.text().as_bytes())?.doc;
                let listed = ours_doc
                    .pointer(&child(holder, "required"))
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.contains(&json!(key)));
                if listed {
                    document.remove_item(&child(holder, "required"), &json!(key))?;
                }
            }
            Ok(())
        }
        Edit::Push { at, value } => {
            let before: Value = carts_openapi::parse(document.text().as_bytes())?.doc;
            document.push(at, value)?;
            match at.strip_suffix("/enum") {
                Some(schema) => name_added_value(document, &before, schema, value),
                None => Ok(()),
            }
        }
        Edit::RemoveItem { at, value } => {
            let before: Value = carts_openapi::parse(document.text().as_bytes())?.doc;
            document.remove_item(at, value)?;
            match at.strip_suffix("/enum") {
                Some(schema) => retire_name(document, &before, schema, value),
                None => Ok(()),
            }
        }
        Edit::RemoveEntry { at } => {
            let (list, index) = at.rsplit_once('/').ok_or_else(|| anyhow!("{at} is no list entry"))?;
            document.remove_index(list, index.parse().context("a list index")?)
        }
        Edit::Add {
            at,
            key,
            theirs,
            what,
            required,
        } => {
            let node = theirs_node(theirs)?;
            match what {
                Adding::Parameter => document.push(at, &translator.parameter(&node)?),
                Adding::Response => {
                    let response = translator.response(key, &node)?;
                    document.set(at, key, &response)
                }
                Adding::RequestBody => document.set(at, key, &translator.request_body(&node)?),
                Adding::Media => {
                    let content = translator.content(&json!({ key.as_str(): node }))?;
                    document.set(at, key, &content[key.as_str()])
                }
                Adding::Field => {
                    let schema = translator.added_schema(&node)?;
                    set_creating(document, at, key, &schema)?;
                    if *required {
                        let holder = at.trim_end_matches("/properties");
                        document.push(&child(holder, "required"), &json!(key))?;
                    }
                    Ok(())
                }
            }
        }
    }
}

/// Our Rust names of a schema's enum values, in the order of its `enum`.
const VARNAMES: &str = "x-enum-varnames";
/// Our names of values the release no longer lists, by value, so that a
/// value that comes back gets its name back.
const RETIRED: &str = "x-enum-varnames-retired";

/// The key a value has in [`RETIRED`]: a string as it is, else its JSON.
fn value_key(value: &Value) -> String {
    value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string())
}

/// After the enum value `value` was added to the schema at `schema`: gives
/// it a name in our `x-enum-varnames` when the schema names its values (the
/// name it had before the release dropped it, else one made from the value),
/// so that the names follow the values.
fn name_added_value(document: &YamlDocument, before: &Value, schema: &str, value: &Value) -> Result<()> {
    let Some(node) = before.pointer(schema) else {
        return Ok(());
    };
    let names: Vec<String> = node
        .get(VARNAMES)
        .and_then(Value::as_array)
        .map(|n| n.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    let listed = node.get("enum").and_then(Value::as_array).map_or(0, Vec::len);
    let key = value_key(value);
    let retired = node.get(RETIRED).and_then(|r| r.get(&key)).and_then(Value::as_str);
    // Values are named when the schema names them; a schema whose values all went keeps the
    // names in [`RETIRED`] only.
    if names.is_empty() && (listed > 0 || retired.is_none()) {
        return Ok(());
    }
    let name = match retired {
        Some(name) => name.to_string(),
        None => {
            let mut base = heck::AsUpperCamelCase(&key).to_string();
            if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
                base = format!("Value{base}");
            }
            let mut name = base.clone();
            let mut number = 2;
            while names.contains(&name) {
                name = format!("{base}{number}");
                number += 1;
            }
            name
        }
    };
    document.push(&child(schema, VARNAMES), &json!(name))?;
    if retired.is_some() {
        let left = node.get(RETIRED).and_then(Value::as_object).map_or(0, |m| m.len());
        if left == 1 {
            document.remove(schema, RETIRED)?;
        } else {
            document.remove(&child(schema, RETIRED), &key)?;
        }
    }
    Ok(())
}

/// After the enum value `value` was removed from the schema at `schema`:
/// removes its name from our `x-enum-varnames` and keeps it in
/// `x-enum-varnames-retired`, so the names still follow the values and a
/// value that comes back is named as before.
fn retire_name(document: &YamlDocument, before: &Value, schema: &str, value: &Value) -> Result<()> {
    let Some(node) = before.pointer(schema) else {
        return Ok(());
    };
    let index = node
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|values| values.iter().position(|v| v == value));
    let names = node.get(VARNAMES).and_then(Value::as_array);
    let (Some(index), Some(names)) = (index, names) else {
        return Ok(());
    };
    let Some(name) = names.get(index).cloned() else {
        return Ok(());
    };
    document.remove_index(&child(schema, VARNAMES), index)?;
    if node.get(RETIRED).is_some() {
        document.set(&child(schema, RETIRED), &value_key(value), &name)
    } else {
        let mut retired = serde_json::Map::new();
        retired.insert(value_key(value), name);
        document.set(schema, RETIRED, &Value::Object(retired))
    }
}

/// Sets `key` of the mapping at `at` to `value`, creating the mapping (a
/// `properties` our schema does not have yet) when it is missing.
fn set_creating(document: &YamlDocument, at: &str, key: &str, value: &Value) -> Result<()> {
    let ours: Value = carts_openapi::parse(document.text().as_bytes())?.doc;
    if ours.pointer(at).is_some() {
        return document.set(at, key, value);
    }
    let (parent, last) = at.rsplit_once('/').ok_or_else(|| anyhow!("{at} has no parent"))?;
    document.set(parent, &unescape(last), &json!({ key: value }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_merge::merge_release;

    /// A spec whose one operation answers with `answer`, with `schemas` as its components.
    fn spec(answer: Value, schemas: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/carts/{id}": {"delete": {"operationId": "deleteItem", "responses": {"200": {
                "description": "ok", "content": {"application/json": {"schema": answer}}
            }}}}},
            "components": {"schemas": schemas}
        })
    }

    /// The release's bare cart, with `fields`.
    fn bare(fields: Value) -> Value {
        spec(
            json!({"$ref": "#/components/schemas/Cart_Full"}),
            json!({"Cart_Full": {"type": "object", "properties": fields}}),
        )
    }

    /// Ours: the bare cart or the wrapped one, a deviation, with `fields` in the cart.
    fn ours(fields: Value) -> String {
        block_yaml_of(&spec(
            json!({"$ref": "#/components/schemas/DeleteAnswer"}),
            json!({
                "DeleteAnswer": {"x-deviation": "both shapes arrive", "anyOf": [
                    {"$ref": "#/components/schemas/Wrapped"}, {"$ref": "#/components/schemas/Cart"}]},
                "Wrapped": {"type": "object", "required": ["data"], "properties": {
                    "data": {"$ref": "#/components/schemas/Cart"}}},
                "Cart": {"type": "object", "properties": fields}
            }),
        ))
    }

    fn block_yaml_of(doc: &Value) -> String {
        super::super::edit::block_yaml(doc)
    }

    #[test]
    fn our_names_of_enum_values_follow_the_values_and_come_back_with_them() {
        let release = |values: Value| {
            spec(
                json!({"$ref": "#/components/schemas/Kind"}),
                json!({"Kind": {"type": "string", "enum": values}}),
            )
        };
        let ours_with = |values: Value, names: Value| {
            block_yaml_of(&spec(
                json!({"$ref": "#/components/schemas/Kind"}),
                json!({"Kind": {"type": "string", "enum": values, "x-enum-varnames": names}}),
            ))
        };
        let text = ours_with(json!(["0", "1", "2"]), json!(["Zero", "One", "Two"]));
        let mut steps = vec![text.clone()];
        // Back: the release drops `1`, then every value; forward: they come back one by one.
        for (from, to) in [
            (json!(["0", "1", "2"]), json!(["0", "2"])),
            (json!(["0", "2"]), json!([])),
            (json!([]), json!(["0", "2"])),
            (json!(["0", "2"]), json!(["0", "2", "1", "3"])),
        ] {
            let current = steps.last().unwrap().clone();
            let doc = carts_openapi::parse(current.as_bytes()).unwrap().doc;
            let merged = merge_release(&release(from), &release(to), &current, &doc, "today").unwrap();
            assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
            let after = carts_openapi::parse(merged.text.as_bytes()).unwrap().doc;
            crate::generate::check_variant_names(&after).unwrap();
            steps.push(merged.text);
        }
        let kind =
            |text: &str| carts_openapi::parse(text.as_bytes()).unwrap().doc["components"]["schemas"]["Kind"].clone();
        assert_eq!(
            kind(&steps[1]),
            json!({"type": "string", "enum": ["0", "2"], "x-enum-varnames": ["Zero", "Two"],
                "x-enum-varnames-retired": {"1": "One"}})
        );
        assert_eq!(
            kind(&steps[2]),
            json!({"type": "string", "x-enum-varnames-retired": {"0": "Zero", "1": "One", "2": "Two"}})
        );
        // `3` is new: its name is made from the value.
        assert_eq!(
            kind(&steps[4]),
            json!({"type": "string", "enum": ["0", "2", "1", "3"], "x-enum-varnames": ["Zero", "Two", "One", "Value3"]})
        );
    }

    #[test]
    fn a_release_with_the_server_prefix_in_its_paths_merges_into_the_same_operations() {
        let prefixed = |fields: Value| {
            let mut doc = bare(fields);
            let item = doc["paths"]["/carts/{id}"].take();
            doc["paths"] = json!({ "/stores/{store_hash}/v3/carts/{id}": item });
            doc["paths"]["/stores/{store_hash}/v3/carts/{id}"]["parameters"] =
                json!([{"name": "store_hash", "in": "path", "required": true, "schema": {"type": "string"}}]);
            doc["servers"] = json!([{"url": "https://api.example.com"}]);
            doc
        };
        let without = json!({"id": {"type": "string"}});
        let with = json!({"id": {"type": "string"}, "version": {"type": "integer"}});
        let mut doc = carts_openapi::parse(ours(without.clone()).as_bytes()).unwrap().doc;
        doc["servers"] = json!([{"url": "https://api.example.com/stores/{store_hash}/v3"}]);
        let text = block_yaml_of(&doc);
        let merged = merge_release(&prefixed(without), &prefixed(with), &text, &doc, "today").unwrap();
        assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
        assert_eq!(merged.edits, ["add field /components/schemas/Cart/properties/version"]);
    }

    #[test]
    fn a_field_that_turns_from_a_list_into_an_object_and_back_loses_and_regains_its_items() {
        let list = json!({"errors": {"type": "array", "items": {"type": "object", "properties": {
            "status": {"type": "integer"}}}}});
        let object = json!({"errors": {"type": "object", "properties": {"title": {"type": "string"}}}});
        let text = ours(list.clone());
        let doc = carts_openapi::parse(text.as_bytes()).unwrap().doc;
        let back = merge_release(&bare(list.clone()), &bare(object.clone()), &text, &doc, "today").unwrap();
        assert!(back.conflicts.is_empty(), "{:?}", back.conflicts);
        let after = carts_openapi::parse(back.text.as_bytes()).unwrap().doc;
        assert!(
            after
                .pointer("/components/schemas/Cart/properties/errors/items")
                .is_none(),
            "{}",
            back.text
        );
        let forward = merge_release(&bare(object), &bare(list), &back.text, &after, "today").unwrap();
        assert!(forward.conflicts.is_empty(), "{:?}", forward.conflicts);
        let end = carts_openapi::parse(forward.text.as_bytes()).unwrap().doc;
        assert_eq!(
            crate::spec_merge::walk::compare(&doc, &end).unwrap().facts,
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_conflict_at_a_deviation_says_so() {
        let (old, new) = (
            bare(json!({"id": {"type": "string"}, "n": {"type": "string"}})),
            bare(json!({"id": {"type": "number"}, "n": {"type": "number"}})),
        );
        // Ours states both otherwise; only `id` is marked as a deviation.
        let text = ours(json!({
            "id": {"type": "integer", "x-deviation": "a whole number"},
            "n": {"type": "boolean"}
        }));
        let doc = carts_openapi::parse(text.as_bytes()).unwrap().doc;
        let merged = merge_release(&old, &new, &text, &doc, "today").unwrap();
        let reason = |field: &str| {
            merged
                .conflicts
                .iter()
                .find(|c| {
                    c.fact.to_string() == format!("DELETE /carts/{{}} response 200 application/json field {field} type")
                })
                .map(|c| c.reason.clone())
                .unwrap_or_else(|| panic!("no conflict at {field}: {:?}", merged.conflicts))
        };
        assert!(
            reason("id").starts_with("our spec deviates here (x-deviation)"),
            "{}",
            reason("id")
        );
        assert_eq!(reason("n"), "our spec already differed from the previous release here");
        assert_eq!(merged.text, text, "our side is kept");
    }

    #[test]
    fn a_field_added_under_a_deviating_union_goes_to_the_member_that_holds_its_siblings() {
        let without = json!({"id": {"type": "string"}});
        let with = json!({"id": {"type": "string"}, "version": {"type": "integer"}});
        let (old, new) = (bare(without.clone()), bare(with.clone()));
        // Forward: the release adds the field; our bare cart takes it, and the wrapped one with it.
        let text = ours(without.clone());
        let doc = carts_openapi::parse(text.as_bytes()).unwrap().doc;
        let merged = merge_release(&old, &new, &text, &doc, "today").unwrap();
        assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
        let after = carts_openapi::parse(merged.text.as_bytes()).unwrap().doc;
        assert_eq!(
            after.pointer("/components/schemas/Cart/properties/version/type"),
            Some(&json!("integer"))
        );
        assert_eq!(merged.edits, ["add field /components/schemas/Cart/properties/version"]);
        // Back: the release removes it again, and our spec is as it was.
        let merged_back = merge_release(&new, &old, &merged.text, &after, "today").unwrap();
        assert!(merged_back.conflicts.is_empty(), "{:?}", merged_back.conflicts);
        assert_eq!(merged_back.text, text);
    }

    #[test]
    fn an_added_field_is_named_by_its_pointer_as_written() {
        let edit = Edit::Add {
            at: "/components/schemas/DigitalItem/properties".into(),
            key: "download_size".into(),
            theirs: String::new(),
            what: Adding::Field,
            required: false,
        };
        assert_eq!(
            edit.describe(),
            "add field /components/schemas/DigitalItem/properties/download_size"
        );
    }
}
