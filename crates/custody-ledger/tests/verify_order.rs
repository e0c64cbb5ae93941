//! Signatures are checked on a second thread: the first problem in line order is still
//! the one reported, across batch boundaries, whichever thread found it.

mod common;

use common::{example_key, make_ledger};
use custody_ledger::{verify, Problem};

/// Flip one base64 character in the middle of line `n`'s signature (1-based): the line
/// still parses, the signature no longer verifies.
fn break_sig(lines: &mut [String], n: usize) {
    let l = &mut lines[n - 1];
    let at = l.find("\"sig\":\"").unwrap() + 7 + 20;
    let c = if &l[at..at + 1] == "A" { "B" } else { "A" };
    l.replace_range(at..at + 1, c);
}

fn check(lines: &[String]) -> Result<u64, (u64, Problem)> {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    verify(text.as_bytes(), &example_key().public_key()).map(|v| v.size).map_err(|e| (e.line, e.problem))
}

#[test]
fn the_first_problem_in_line_order_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let l = make_ledger(dir.path(), 700, &example_key());
    let lines: Vec<String> = std::fs::read_to_string(l.path()).unwrap().lines().map(str::to_owned).collect();
    assert_eq!(check(&lines), Ok(700));

    for n in [1, 256, 257, 513, 700] {
        let mut bad = lines.clone();
        break_sig(&mut bad, n);
        assert_eq!(check(&bad), Err((n as u64, Problem::BadSignature)), "bad signature at {n}");
    }
    // a bad signature before a line that does not parse: the signature is first
    let mut bad = lines.clone();
    break_sig(&mut bad, 5);
    bad[299] = "not json".into();
    assert_eq!(check(&bad), Err((5, Problem::BadSignature)));
    // a line that does not parse before a bad signature: the line is first
    let mut bad = lines.clone();
    bad[4] = "not json".into();
    break_sig(&mut bad, 300);
    assert_eq!(check(&bad).unwrap_err().0, 5);
    // two bad signatures: the earlier
    let mut bad = lines;
    break_sig(&mut bad, 600);
    break_sig(&mut bad, 20);
    assert_eq!(check(&bad), Err((20, Problem::BadSignature)));
}
