//! Refusals: paths that must never be wiped, and files another process is writing.

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::RefuseReason;

/// Directories whose loss breaks the system. A path equal to one of them, or an
/// ancestor of one, is always refused; a path inside one is refused unless forced.
const SYSTEM_DIRS: &[&str] = &[
    "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/opt", "/proc", "/root", "/run", "/sbin",
    "/srv", "/sys", "/tmp", "/usr", "/var", "/var/tmp", "/home", "/media", "/mnt", "/snap",
];

/// Trees inside which nothing is user data: refused even with force.
const NEVER_INSIDE: &[&str] = &["/proc", "/sys", "/dev", "/boot", "/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64"];

/// Inside these, user data legitimately lives (work folders, mounted media).
const DATA_PARENTS: &[&str] =
    &["/tmp", "/var/tmp", "/home", "/media", "/mnt", "/root", "/srv", "/run/media", "/run/user", "/opt"];

/// Check one canonical path against the fixed rules and the caller's protected list.
/// `force` lets a careful user wipe inside a system directory that is not vital.
pub(crate) fn check_path(path: &Path, protected: &[PathBuf], force: bool) -> Result<(), RefuseReason> {
    if path == Path::new("/") {
        return Err(RefuseReason::Root);
    }
    for p in protected {
        let p = p.canonicalize().unwrap_or_else(|_| p.clone());
        if p.starts_with(path) {
            return Err(RefuseReason::ToolHome);
        }
    }
    for s in SYSTEM_DIRS {
        if Path::new(s).starts_with(path) {
            return Err(RefuseReason::SystemDirectory);
        }
    }
    if NEVER_INSIDE.iter().any(|s| path.starts_with(s)) {
        return Err(RefuseReason::SystemDirectory);
    }
    let in_data_parent = DATA_PARENTS.iter().any(|d| path.starts_with(d));
    let in_system = SYSTEM_DIRS.iter().any(|s| path.starts_with(s));
    if in_system && !in_data_parent && !force {
        return Err(RefuseReason::SystemDirectory);
    }
    Ok(())
}

/// (device, inode) of `path` and of every directory above it, without following the
/// last component.
fn identities_up(path: &Path) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut cur = Some(path);
    let mut first = true;
    while let Some(p) = cur {
        let md = if first { std::fs::symlink_metadata(p) } else { std::fs::metadata(p) };
        first = false;
        if let Ok(md) = md {
            out.push((md.dev(), md.ino()));
        }
        cur = p.parent();
    }
    out
}

/// Whether `path` (canonical) is one of the `protected` trees, lies inside one or
/// contains one, compared by device and inode rather than by path: a bind mount or
/// another alias of the custody home has other path strings but the same identity.
pub(crate) fn touches_protected(path: &Path, protected: &[PathBuf]) -> bool {
    let Ok(own) = std::fs::symlink_metadata(path).map(|m| (m.dev(), m.ino())) else {
        return false;
    };
    let above = identities_up(path);
    protected.iter().any(|p| {
        let Ok(canon) = p.canonicalize() else { return false };
        let Ok(pid) = std::fs::metadata(&canon).map(|m| (m.dev(), m.ino())) else { return false };
        above.contains(&pid) || identities_up(&canon).contains(&own)
    })
}

/// The access mode from a /proc/PID/fdinfo/N text ("flags:\t0100002"), octal.
pub fn parse_fdinfo_flags(text: &str) -> Option<u32> {
    text.lines().find_map(|l| l.strip_prefix("flags:")).and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
}

fn opened_for_writing(flags: u32) -> bool {
    // O_ACCMODE is the low two bits: 1 = O_WRONLY, 2 = O_RDWR.
    matches!(flags & 3, 1 | 2)
}

/// Find another process holding one of `files` (dev, ino) open for writing.
/// Processes we may not inspect are skipped: this is a best-effort guard.
pub(crate) fn find_writer(files: &HashSet<(u64, u64)>) -> Option<(u32, String)> {
    if files.is_empty() {
        return None;
    }
    let me = crate::sys::own_pid();
    let procs = std::fs::read_dir("/proc").ok()?;
    for p in procs.flatten() {
        let Some(pid) = p.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(p.path().join("fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            // stat (not lstat) follows the magic link to the open file itself, even
            // when it has been renamed or unlinked.
            let Ok(md) = std::fs::metadata(fd.path()) else {
                continue;
            };
            if !files.contains(&(md.dev(), md.ino())) {
                continue;
            }
            let info = p.path().join("fdinfo").join(fd.file_name());
            let Some(flags) = std::fs::read_to_string(info).ok().and_then(|t| parse_fdinfo_flags(&t)) else {
                continue;
            };
            if opened_for_writing(flags) {
                let comm =
                    std::fs::read_to_string(p.path().join("comm")).map(|s| s.trim().to_owned()).unwrap_or_default();
                return Some((pid, comm));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fixed_refusals() {
        assert_eq!(check_path(Path::new("/"), &[], true), Err(RefuseReason::Root));
        assert_eq!(check_path(Path::new("/usr"), &[], true), Err(RefuseReason::SystemDirectory));
        assert_eq!(check_path(Path::new("/usr/share/x"), &[], true), Err(RefuseReason::SystemDirectory));
        assert_eq!(check_path(Path::new("/var/lib/x"), &[], false), Err(RefuseReason::SystemDirectory));
        assert_eq!(check_path(Path::new("/var/lib/x"), &[], true), Ok(()));
        assert_eq!(check_path(Path::new("/tmp"), &[], true), Err(RefuseReason::SystemDirectory));
        assert_eq!(check_path(Path::new("/tmp/work"), &[], false), Ok(()));
        assert_eq!(
            check_path(Path::new("/tmp/a"), &[PathBuf::from("/tmp/a/b/.custody")], true),
            Err(RefuseReason::ToolHome)
        );
    }

    #[test]
    fn the_protected_tree_is_recognised_by_identity_through_an_alias() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(home.join("records")).unwrap();
        std::fs::write(home.join("ledger.jsonl"), "x").unwrap();
        std::fs::write(dir.path().join("other"), "y").unwrap();
        let prot = [home.clone()];
        let canon = |p: &Path| p.canonicalize().unwrap();
        assert!(touches_protected(&canon(&home.join("ledger.jsonl")), &prot));
        assert!(touches_protected(&canon(&home.join("records")), &prot));
        assert!(touches_protected(&canon(dir.path()), &prot), "a folder that contains the home");
        assert!(!touches_protected(&canon(&dir.path().join("other")), &prot));
        // A symlinked alias resolves to the same directory: its canonical form is the
        // home itself, and the file inside it is caught through its parent's identity.
        std::os::unix::fs::symlink(&home, dir.path().join("alias")).unwrap();
        let via_alias = canon(&dir.path().join("alias")).join("ledger.jsonl");
        assert!(touches_protected(&via_alias, &prot));
    }

    #[test]
    fn fdinfo_flags() {
        let t = "pos:\t0\nflags:\t0100002\nmnt_id:\t29\nino:\t123\n";
        assert_eq!(parse_fdinfo_flags(t), Some(0o100002));
        assert!(opened_for_writing(0o100002));
        assert!(opened_for_writing(0o2001));
        assert!(!opened_for_writing(0o100000));
        assert_eq!(parse_fdinfo_flags("pos: 0\n"), None);
    }

    proptest! {
        #[test]
        fn fdinfo_parser_never_panics(s in ".*") {
            let _ = parse_fdinfo_flags(&s);
        }

        #[test]
        fn fdinfo_round_trip(flags in 0u32..0o7777777) {
            let t = format!("pos:\t0\nflags:\t{flags:o}\n");
            prop_assert_eq!(parse_fdinfo_flags(&t), Some(flags));
        }
    }
}
