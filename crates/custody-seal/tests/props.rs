//! Property tests for everything that reads untrusted bytes.

use std::path::{Component, Path};

use custody_seal::{check_rel_path, fuzzing, Manifest};
use proptest::prelude::*;

fn pathish() -> impl Strategy<Value = String> {
    // Mostly separators, dots and the characters parsers trip on, plus any Unicode.
    prop::collection::vec(
        prop_oneof![
            Just("/".to_owned()),
            Just("..".to_owned()),
            Just(".".to_owned()),
            Just("\\".to_owned()),
            Just(":".to_owned()),
            Just("\0".to_owned()),
            Just("C:".to_owned()),
            Just("con".to_owned()),
            "[a-zA-Z0-9 ._-]{1,4}",
            any::<String>(),
        ],
        0..12,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// Any path the validator accepts stays inside the staging directory.
    #[test]
    fn accepted_paths_never_escape(p in pathish()) {
        if check_rel_path(&p).is_ok() {
            let staging = Path::new("/srv/.custody-staging-x");
            let joined = staging.join(&p);
            prop_assert!(joined.starts_with(staging));
            prop_assert!(Path::new(&p).components().all(|c| matches!(c, Component::Normal(_))));
            prop_assert!(!p.contains('\\') && !p.contains(':') && !p.contains('\0'));
            prop_assert_eq!(joined.components().count(), staging.components().count() + p.split('/').count());
        }
    }

    #[test]
    fn tar_checks_never_panic(data in prop::collection::vec(any::<u8>(), 0..4096)) {
        fuzzing::tar_entries(&data);
    }

    #[test]
    fn manifest_parse_never_panics_and_round_trips(data in prop::collection::vec(any::<u8>(), 0..512)) {
        fuzzing::manifest_parse(&data);
    }

    #[test]
    fn label_parse_never_panics_and_round_trips(data in prop::collection::vec(any::<u8>(), 0..512)) {
        fuzzing::label_parse(&data);
    }

    /// Valid manifests with arbitrary (valid) names survive serialise → parse unchanged.
    #[test]
    fn manifests_round_trip(names in prop::collection::btree_set("[a-zA-Z0-9_山田太郎申請書]{1,12}", 0..8), size in 0u64..(1 << 53)) {
        let files = names.iter().map(|n| custody_seal::ManifestFile { path: n.clone(), size, sha256: [7; 32] }).collect::<Vec<_>>();
        let mut files = files;
        files.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
        let m = Manifest {
            v: 1,
            payload_id: "20261124-0123ABCD".parse().unwrap(),
            created: chrono::DateTime::parse_from_rfc3339("2026-11-24T09:30:00+09:00").unwrap(),
            categories: vec!["氏名".into()],
            files,
            dirs: vec![],
        };
        let b = m.to_jcs();
        prop_assert_eq!(Manifest::parse(&b).unwrap(), m);
    }
}
