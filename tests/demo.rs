//! `custody demo` is what a newcomer runs first: it must work end to end.

mod common;

use common::*;

#[test]
fn the_demo_runs_the_whole_lifecycle_and_leaves_nothing_behind() {
    let p = Person::new();
    let keep = p.path("demo");
    let out = p.cmd().args(["--json", "--lang", "en", "demo", "--keep"]).arg(&keep).output().unwrap();
    assert_ok(&out);
    let j = json(&out);
    assert_eq!(j["ok"], true);
    assert_eq!(j["wipe_outcome"], "all-erased");
    assert_eq!(j["left_after_wipe"].as_array().unwrap().len(), 0);
    assert_eq!(j["ward_ledger"]["entries"], 2, "init + sealed");
    assert_eq!(j["contractor_ledger"]["entries"], 4, "init + opened + erased + certified");
    // The ward cosigned and verified the contractor's certificate against its manifest.
    assert_eq!(j["certificate"]["verified"], true, "{j}");
    for c in j["certificate"]["checks"].as_array().unwrap() {
        assert_ne!(c["outcome"], "failed", "{c}");
    }
    for doc in ["notice", "certificate"] {
        let path = std::path::PathBuf::from(j["documents"][doc].as_str().unwrap());
        assert!(path.is_file() && path.starts_with(&keep), "{doc}: {path:?}");
    }
    assert!(j["wipe_assurance"]["cryptographic-erase"].as_u64().unwrap() >= 1);
    assert!(keep.join("erasure-record.json").exists());
    assert!(!p.home.exists(), "the demo never touches the user's own home");

    // The narration is in the language asked for.
    let out = p.cmd().args(["--lang", "ja", "demo"]).output().unwrap();
    assert_ok(&out);
    assert!(stderr(&out).contains("手順 1"), "{}", stderr(&out));
}
