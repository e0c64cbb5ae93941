//! Planning: walk the given trees (never following symlinks, never leaving their
//! filesystem), apply the refusals, and describe what a wipe would touch.

use std::collections::{HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::mounts::{self, FsInfo};
use crate::record::Problem;
use crate::{guard, Caveat, Method, RefuseReason, VerifyMode, WipeError};

/// What the caller wants. `WipeOptions::new` fills safe defaults.
#[derive(Debug, Clone)]
pub struct WipeOptions {
    pub method: Method,
    pub verify: VerifyMode,
    /// Allow what a careful user may need: wiping inside a non-vital system directory,
    /// files another process has open for writing.
    pub force: bool,
    /// Paths that must survive (the tool's home with keys and ledger); a wipe of one of
    /// them or of a directory containing one is refused.
    pub protected: Vec<PathBuf>,
    /// The user's home directory; `new` takes it from `$HOME`.
    pub home: Option<PathBuf>,
    /// The caller declares the passphrase notice of wiped payloads destroyed or returned.
    pub notice_destroyed: bool,
    pub operator: String,
    /// Journal for interrupted runs; a re-run with the same journal completes the job.
    pub journal: Option<PathBuf>,
    /// Waited on once before the first destructive step; `None` means go ahead.
    pub gate: Option<crate::GateRef>,
}

impl WipeOptions {
    pub fn new(operator: impl Into<String>) -> Self {
        WipeOptions {
            method: Method::Random,
            verify: VerifyMode::Full,
            force: false,
            protected: Vec::new(),
            home: std::env::var_os("HOME").map(PathBuf::from),
            notice_destroyed: false,
            operator: operator.into(),
            journal: None,
            gate: None,
        }
    }
}

/// Things the user should know before confirming.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Warning {
    /// A filesystem in the plan has a caveat.
    Filesystem { mount_point: PathBuf, caveat: Caveat },
    /// A file has names outside the tree: it will be left alone and reported as reachable.
    #[serde(alias = "hard_linked")]
    HardLinked { path: PathBuf, links: u64 },
    /// Another filesystem is mounted inside the tree: it will not be entered.
    #[serde(alias = "mount_point_skipped")]
    MountPointSkipped { path: PathBuf },
    /// A path given is itself a mount point (a USB stick's root): what is on it is
    /// erased, the mount point itself stays.
    #[serde(alias = "mount_point_emptied")]
    MountPointEmptied { path: PathBuf },
    /// Forced past a writer (`force`).
    #[serde(alias = "open_for_writing")]
    OpenForWriting { path: PathBuf, pid: u32, process: String },
    /// Forced inside a system directory.
    #[serde(alias = "forced_system_directory")]
    ForcedSystemDirectory { path: PathBuf },
}

/// One thing the wipe will handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedItem {
    pub path: PathBuf,
    pub kind: crate::ItemKind,
    pub size: u64,
    pub(crate) dev: u64,
    pub(crate) ino: u64,
    pub(crate) mtime: (i64, i64),
    pub(crate) ctime: (i64, i64),
    pub(crate) blksize: u64,
    pub(crate) blocks: u64,
    /// Known at plan time not to be wipeable (hard link with outside names, mount point).
    pub(crate) skip: Option<Problem>,
    /// Another name of a file already in the plan: only the name is removed.
    pub(crate) alias: bool,
    /// An `.age` payload with its label beside it.
    pub(crate) payload: bool,
}

/// What a wipe would do; `plan` changes nothing.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Files first, then other names, then directories deepest first: the order of work.
    pub items: Vec<PlannedItem>,
    pub files: u64,
    pub dirs: u64,
    pub symlinks: u64,
    pub bytes: u64,
    pub filesystems: Vec<FsInfo>,
    pub warnings: Vec<Warning>,
    pub(crate) roots: Vec<PathBuf>,
}

fn inspect(path: &Path) -> impl FnOnce(std::io::Error) -> WipeError + '_ {
    move |source| WipeError::Inspect { path: path.to_owned(), source }
}

/// Absolute path with every parent resolved, the last component left as is (so a
/// symlink given on the command line is removed, not followed).
fn resolve(path: &Path) -> Result<PathBuf, WipeError> {
    let abs =
        if path.is_absolute() { path.to_owned() } else { std::env::current_dir().map_err(inspect(path))?.join(path) };
    let name = match abs.file_name() {
        Some(n) => n.to_owned(),
        None => {
            // "/", "/..", or a trailing "..": canonicalize whole.
            return abs
                .canonicalize()
                .map_err(|_| WipeError::Refused { path: path.to_owned(), reason: RefuseReason::NotFound });
        }
    };
    let parent = abs.parent().unwrap_or(Path::new("/"));
    let parent = parent
        .canonicalize()
        .map_err(|_| WipeError::Refused { path: path.to_owned(), reason: RefuseReason::NotFound })?;
    if name == "." {
        return Ok(parent);
    }
    Ok(parent.join(name))
}

fn item_from(path: PathBuf, md: &std::fs::Metadata) -> PlannedItem {
    let ft = md.file_type();
    let kind = if ft.is_symlink() {
        crate::ItemKind::Symlink
    } else if ft.is_dir() {
        crate::ItemKind::Directory
    } else if ft.is_file() {
        crate::ItemKind::File
    } else {
        crate::ItemKind::Special
    };
    PlannedItem {
        path,
        kind,
        size: if ft.is_file() { md.len() } else { 0 },
        dev: md.dev(),
        ino: md.ino(),
        mtime: (md.mtime(), md.mtime_nsec()),
        ctime: (md.ctime(), md.ctime_nsec()),
        blksize: md.blksize().max(512),
        blocks: md.blocks(),
        skip: None,
        alias: false,
        payload: false,
    }
}

/// Walk one tree; directories are pushed after their contents.
fn walk(
    root: &Path,
    root_dev: u64,
    mount_points: &HashSet<PathBuf>,
    out: &mut Vec<(usize, PlannedItem)>,
    warnings: &mut Vec<Warning>,
) -> Result<(), WipeError> {
    let mut stack = vec![(root.to_owned(), 0usize, false)];
    while let Some((dir, depth, visited)) = stack.pop() {
        let md = std::fs::symlink_metadata(&dir).map_err(inspect(&dir))?;
        if visited {
            out.push((depth, item_from(dir, &md)));
            continue;
        }
        stack.push((dir.clone(), depth, true));
        let rd = std::fs::read_dir(&dir).map_err(inspect(&dir))?;
        for e in rd {
            let e = e.map_err(inspect(&dir))?;
            let p = e.path();
            let md = std::fs::symlink_metadata(&p).map_err(inspect(&p))?;
            // st_dev alone does not see a bind mount of the same filesystem: the mount
            // table does.
            if md.dev() != root_dev || mount_points.contains(&p) {
                let mut it = item_from(p.clone(), &md);
                it.skip = Some(Problem::MountPoint);
                out.push((depth + 1, it));
                warnings.push(Warning::MountPointSkipped { path: p });
                continue;
            }
            if md.file_type().is_dir() {
                stack.push((p, depth + 1, false));
            } else {
                out.push((depth + 1, item_from(p, &md)));
            }
        }
    }
    Ok(())
}

/// Whether a directory is a mount point: in the mount table, or on another device
/// than its parent.
fn is_mount_point(path: &Path, md: &std::fs::Metadata, mount_points: &HashSet<PathBuf>) -> bool {
    if mount_points.contains(path) {
        return true;
    }
    match path.parent().map(std::fs::metadata) {
        Some(Ok(parent)) => parent.dev() != md.dev(),
        _ => false,
    }
}

/// Walk and check `paths`; nothing is changed.
pub fn plan(paths: &[PathBuf], opts: &WipeOptions) -> Result<Plan, WipeError> {
    let mounts = mounts::read_mounts()?;
    let mount_points = mounts::mount_points(&mounts);
    let mut roots = Vec::new();
    for p in paths {
        let r = resolve(p)?;
        let refuse = |reason| WipeError::Refused { path: p.clone(), reason };
        let md = std::fs::symlink_metadata(&r).map_err(|_| refuse(RefuseReason::NotFound))?;
        if let Some(h) = &opts.home {
            let h = h.canonicalize().unwrap_or_else(|_| h.clone());
            if h != Path::new("/") && h.starts_with(&r) {
                return Err(refuse(RefuseReason::HomeDirectory));
            }
        }
        guard::check_path(&r, &opts.protected, opts.force).map_err(refuse)?;
        if guard::touches_protected(&r, &opts.protected) {
            return Err(refuse(RefuseReason::ToolHome));
        }
        if roots.iter().any(|(x, _): &(PathBuf, _)| x.starts_with(&r) || r.starts_with(x)) {
            return Err(refuse(RefuseReason::Overlapping));
        }
        roots.push((r, md));
    }

    let mut raw: Vec<(usize, PlannedItem)> = Vec::new();
    let mut warnings = Vec::new();
    for (r, md) in &roots {
        if md.file_type().is_dir() {
            walk(r, md.dev(), &mount_points, &mut raw, &mut warnings)?;
            // A mount point given as a root (the USB stick's root) is emptied, never
            // removed: it cannot be renamed or unlinked while mounted anyway.
            if is_mount_point(r, md, &mount_points) {
                raw.retain(|(d, it)| !(*d == 0 && it.path == *r));
                warnings.push(Warning::MountPointEmptied { path: r.clone() });
            }
        } else {
            raw.push((0, item_from(r.clone(), md)));
        }
    }

    // Hard links: wipe data only when every name of it is in the plan.
    let mut names: HashMap<(u64, u64), u64> = HashMap::new();
    let mut nlinks: HashMap<(u64, u64), u64> = HashMap::new();
    for (_, it) in &raw {
        if it.kind == crate::ItemKind::File {
            *names.entry((it.dev, it.ino)).or_default() += 1;
            let md = std::fs::symlink_metadata(&it.path).map_err(inspect(&it.path))?;
            nlinks.insert((it.dev, it.ino), md.nlink());
        }
    }
    let mut seen = HashSet::new();
    let all_paths: HashSet<PathBuf> = raw.iter().map(|(_, i)| i.path.clone()).collect();
    for (_, it) in raw.iter_mut() {
        if it.kind != crate::ItemKind::File || it.skip.is_some() {
            continue;
        }
        let key = (it.dev, it.ino);
        let links = nlinks[&key];
        if links > names[&key] {
            it.skip = Some(Problem::HardLinked { links });
            warnings.push(Warning::HardLinked { path: it.path.clone(), links });
        } else if !seen.insert(key) {
            it.alias = true;
        }
        if let Some(name) = it.path.file_name().and_then(|n| n.to_str()) {
            if let Some(stem) = name.strip_suffix(".age") {
                it.payload = all_paths.contains(&it.path.with_file_name(format!("{stem}.label.json")));
            }
        }
    }

    // Refuse while another process writes into the plan; with force, warn.
    let files: HashSet<(u64, u64)> =
        raw.iter().filter(|(_, i)| i.kind == crate::ItemKind::File).map(|(_, i)| (i.dev, i.ino)).collect();
    if let Some((pid, process)) = guard::find_writer(&files) {
        let path = roots.first().map(|r| r.0.clone()).unwrap_or_default();
        if !opts.force {
            return Err(WipeError::Refused { path, reason: RefuseReason::OpenForWriting { pid, process } });
        }
        warnings.push(Warning::OpenForWriting { path, pid, process });
    }
    if opts.force {
        for (r, _) in &roots {
            if guard::check_path(r, &opts.protected, false).is_err() {
                warnings.push(Warning::ForcedSystemDirectory { path: r.clone() });
            }
        }
    }

    // Filesystems touched.
    let mut filesystems: Vec<FsInfo> = Vec::new();
    for (_, it) in &raw {
        if it.skip == Some(Problem::MountPoint) || filesystems.iter().any(|f| f.dev == it.dev) {
            continue;
        }
        if let Some(m) = mounts::mount_for(&mounts, &it.path, it.dev) {
            let f = mounts::fs_info(m, it.dev);
            for c in &f.caveats {
                warnings.push(Warning::Filesystem { mount_point: f.mount_point.clone(), caveat: c.clone() });
            }
            filesystems.push(f);
        }
    }

    // Order of work: data first, other names next, directories deepest first.
    let rank = |it: &PlannedItem| match it.kind {
        crate::ItemKind::File if !it.alias => 0,
        crate::ItemKind::Directory => 2,
        _ => 1,
    };
    raw.sort_by(|(da, a), (db, b)| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| if rank(a) == 2 { db.cmp(da) } else { std::cmp::Ordering::Equal })
            .then_with(|| a.path.cmp(&b.path))
    });
    let items: Vec<PlannedItem> = raw.into_iter().map(|(_, i)| i).collect();
    let count = |k| items.iter().filter(|i| i.kind == k).count() as u64;
    Ok(Plan {
        files: count(crate::ItemKind::File),
        dirs: count(crate::ItemKind::Directory),
        symlinks: count(crate::ItemKind::Symlink),
        bytes: items.iter().filter(|i| i.kind == crate::ItemKind::File && !i.alias).map(|i| i.size).sum(),
        filesystems,
        warnings,
        items,
        roots: roots.into_iter().map(|r| r.0).collect(),
    })
}
