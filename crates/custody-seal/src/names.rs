//! The one rule for which relative paths a payload may hold, applied when scanning a
//! source and again, against untrusted bytes, when opening a payload.

use std::fmt;

/// The name of the manifest entry: the last entry of every payload, at the top level.
pub const MANIFEST_NAME: &str = "MANIFEST.json";

/// Longest component we accept: NAME_MAX on Linux and the FAT/NTFS limit in UTF-16 is
/// lower for non-ASCII, but bytes are what we can check without a filesystem.
const MAX_COMPONENT_BYTES: usize = 255;
/// Longest relative path: PATH_MAX including the terminating NUL.
pub(crate) const MAX_PATH_BYTES: usize = 4095;

/// What is wrong with a relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathProblem {
    /// The path is empty.
    Empty,
    /// The path starts with `/` (absolute).
    Absolute,
    /// A component is `.` or `..`.
    DotComponent,
    /// Two slashes in a row, or a trailing slash where none belongs.
    EmptyComponent,
    /// A character Windows or FAT cannot store, or a path separator of another system.
    ForbiddenChar(char),
    /// A control character (U+0000–U+001F, U+007F).
    ControlChar,
    /// A Windows device name (CON, PRN, AUX, NUL, COM0–9, LPT0–9), with any extension.
    WindowsReservedName,
    /// A component ending in `.` or space, which Windows silently strips.
    TrailingDotOrSpace,
    /// A component longer than 255 bytes.
    ComponentTooLong,
    /// The whole path is longer than PATH_MAX.
    PathTooLong,
    /// The bytes are not UTF-8.
    NotUtf8,
}

impl fmt::Display for PathProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathProblem::Empty => f.write_str("empty path"),
            PathProblem::Absolute => f.write_str("absolute path"),
            PathProblem::DotComponent => f.write_str("`.` or `..` component"),
            PathProblem::EmptyComponent => f.write_str("empty component"),
            PathProblem::ForbiddenChar(c) => write!(f, "forbidden character {c:?}"),
            PathProblem::ControlChar => f.write_str("control character"),
            PathProblem::WindowsReservedName => f.write_str("Windows reserved device name"),
            PathProblem::TrailingDotOrSpace => f.write_str("name ends with a dot or space"),
            PathProblem::ComponentTooLong => f.write_str("name longer than 255 bytes"),
            PathProblem::PathTooLong => f.write_str("path longer than 4095 bytes"),
            PathProblem::NotUtf8 => f.write_str("not UTF-8"),
        }
    }
}

/// Characters no Windows or FAT filesystem can store, `/` excepted (our separator).
const FORBIDDEN: &[char] = &['\\', ':', '<', '>', '"', '|', '?', '*'];

/// Checks one file or directory name (a single component).
pub fn check_component(name: &str) -> Result<(), PathProblem> {
    if name.is_empty() {
        return Err(PathProblem::EmptyComponent);
    }
    if name == "." || name == ".." {
        return Err(PathProblem::DotComponent);
    }
    if name.len() > MAX_COMPONENT_BYTES {
        return Err(PathProblem::ComponentTooLong);
    }
    for c in name.chars() {
        if c < ' ' || c == '\u{7f}' {
            return Err(PathProblem::ControlChar);
        }
        if FORBIDDEN.contains(&c) || c == '/' {
            return Err(PathProblem::ForbiddenChar(c));
        }
    }
    if name.ends_with('.') || name.ends_with(' ') {
        return Err(PathProblem::TrailingDotOrSpace);
    }
    // Windows treats "CON.txt" and "con .tar.gz" as the device too: compare the part
    // before the first dot, trimmed of trailing spaces, case-insensitively.
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    if is_windows_device(stem) {
        return Err(PathProblem::WindowsReservedName);
    }
    Ok(())
}

fn is_windows_device(stem: &str) -> bool {
    let upper = stem.to_ascii_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let b = upper.as_bytes();
            b.len() == 4 && (b.starts_with(b"COM") || b.starts_with(b"LPT")) && b[3].is_ascii_digit()
        }
    }
}

/// Checks a relative path with `/` separators (no trailing slash).
pub fn check_rel_path(path: &str) -> Result<(), PathProblem> {
    if path.is_empty() {
        return Err(PathProblem::Empty);
    }
    if path.starts_with('/') {
        return Err(PathProblem::Absolute);
    }
    if path.len() > MAX_PATH_BYTES {
        return Err(PathProblem::PathTooLong);
    }
    path.split('/').try_for_each(check_component)
}

/// Checks raw bytes from an archive: UTF-8 first, then [`check_rel_path`].
pub fn check_rel_path_bytes(bytes: &[u8]) -> Result<&str, PathProblem> {
    let s = std::str::from_utf8(bytes).map_err(|_| PathProblem::NotUtf8)?;
    check_rel_path(s)?;
    Ok(s)
}

/// The key under which two paths collide on a case-insensitive filesystem (FAT, NTFS,
/// APFS, exFAT as Windows and macOS mount them), or one that does not tell Unicode
/// normalization forms apart (APFS, HFS+): `が` typed as one code point (NFC) and as
/// `か` + U+3099 (NFD) are one name there. Full Unicode lower-casing, between canonical
/// decomposition and composition, so that case twins beyond ASCII (`Ä`/`ä`, Greek,
/// Cyrillic, the Kelvin sign) fold too.
pub fn fold_key(path: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let lower: String = path.nfd().collect::<String>().to_lowercase();
    lower.nfc().collect()
}

/// Whether a top-level name would collide with the manifest on a case-insensitive
/// filesystem.
pub fn is_manifest_name(path: &str) -> bool {
    fold_key(path) == fold_key(MANIFEST_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_names() {
        for ok in ["a", "山田太郎_申請書.pdf", "dir/sub/file.txt", ".hidden", "a..b", "CONSOLE", "COMX", "LPT10"]
        {
            assert_eq!(check_rel_path(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_hostile_names() {
        let cases: &[(&str, PathProblem)] = &[
            ("", PathProblem::Empty),
            ("/etc/passwd", PathProblem::Absolute),
            ("../x", PathProblem::DotComponent),
            ("a/../../x", PathProblem::DotComponent),
            ("./a", PathProblem::DotComponent),
            ("a//b", PathProblem::EmptyComponent),
            ("a/", PathProblem::EmptyComponent),
            ("a\\b", PathProblem::ForbiddenChar('\\')),
            ("C:x", PathProblem::ForbiddenChar(':')),
            ("a\0b", PathProblem::ControlChar),
            ("a\nb", PathProblem::ControlChar),
            ("con", PathProblem::WindowsReservedName),
            ("dir/Nul.txt", PathProblem::WindowsReservedName),
            ("com1 .x", PathProblem::WindowsReservedName),
            ("name.", PathProblem::TrailingDotOrSpace),
            ("name ", PathProblem::TrailingDotOrSpace),
        ];
        for (p, want) in cases {
            assert_eq!(check_rel_path(p).as_ref(), Err(want), "{p:?}");
        }
        assert_eq!(check_rel_path(&"x".repeat(256)), Err(PathProblem::ComponentTooLong));
        assert_eq!(check_rel_path(&"x/".repeat(2049)[..4097]), Err(PathProblem::PathTooLong));
        assert_eq!(check_rel_path_bytes(b"\xff"), Err(PathProblem::NotUtf8));
    }

    #[test]
    fn normalization_and_case_twins_share_a_key() {
        // が: NFC U+304C; NFD U+304B U+3099
        assert_eq!(fold_key("\u{304C}.txt"), fold_key("\u{304B}\u{3099}.txt"));
        assert_eq!(fold_key("\u{C4}rger"), fold_key("a\u{308}RGER"));
        assert_eq!(fold_key("\u{212A}elvin"), fold_key("kelvin"));
        assert_eq!(fold_key("ΣΟΦΙΑ"), fold_key("σοφια"));
        assert_ne!(fold_key("が"), fold_key("か"));
    }

    #[test]
    fn manifest_name_folds() {
        assert!(is_manifest_name("manifest.JSON"));
        assert!(!is_manifest_name("d/MANIFEST.json"));
    }
}
