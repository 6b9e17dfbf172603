//! No cassette holds anything that looks like a secret.

use contract_tests::{cassette, secrets};

#[test]
fn no_cassette_holds_a_secret() {
    let dir = cassette::default_dir();
    let mut findings = Vec::new();
    let mut scanned = 0;
    for api in cassette::Api::ALL {
        let Ok(entries) = std::fs::read_dir(dir.join(api.stem())) else {
            continue;
        };
        for entry in entries.flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            scanned += 1;
            for finding in secrets::scan(&text) {
                findings.push(format!("{}: {finding}", entry.path().display()));
            }
        }
    }
    assert!(scanned > 0, "no cassettes scanned");
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}
