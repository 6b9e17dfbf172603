//! The README's table of rules is the rule table of the code.

use contract_tests::rules::markdown_table;

const START: &str =
    "<!-- rules: generated from contract-tests/checks/src/rules/mod.rs by `cargo xtask conformance rules` -->\n";
const END: &str = "<!-- rules: end -->";

#[test]
fn the_readme_lists_the_rules_of_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start = readme.find(START).map(|at| at + START.len());
    let end = readme.find(END);
    let (Some(start), Some(end)) = (start, end) else {
        panic!("README.md has no rule table between {START:?} and {END:?}");
    };
    let table = markdown_table();
    assert!(
        readme[start..end] == table,
        "README.md's rule table differs from the code's; replace it with the output of \
         `cargo xtask conformance rules`:\n{table}"
    );
}
