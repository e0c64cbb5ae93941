//! Removing names: files after their overwrite is verified, other names, and
//! directories deepest first.

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{par_io, Run, BATCH_FILES, FEW};
use crate::journal::{Entry, Stage};
use crate::record::{ItemResult, Problem};
use crate::{fault, remove, work, ItemKind, Phase, Progress, WipeError};

impl Run<'_> {
    /// Journal the new names, rename, unlink, make durable, journal the results.
    pub(super) fn rename_and_unlink(
        &mut self,
        renames: &[(usize, PathBuf)],
        dirs: bool,
        progress: &dyn Progress,
    ) -> Result<(), WipeError> {
        if renames.is_empty() {
            return Ok(());
        }
        self.pass_gate(&[], progress, &AtomicBool::new(false))?;
        let entries: Vec<Entry> = renames.iter().map(|(i, n)| self.entry(*i, Stage::Renaming, Some(n))).collect();
        self.journal(entries)?;
        self.unlink_journalled(renames, dirs, progress)?;
        // Other names and directories carry no verification that the next run could
        // complete them from: their "done" is written at once.
        self.flush_journal()
    }

    /// Rename and unlink names whose random names are already in the journal, make
    /// that durable, and queue the results for the journal's next append: an item
    /// left at "renaming" whose names are both gone is completed as erased by the next
    /// run, so "done" need not cost an fsync of its own.
    pub(super) fn unlink_journalled(
        &mut self,
        renames: &[(usize, PathBuf)],
        dirs: bool,
        progress: &dyn Progress,
    ) -> Result<(), WipeError> {
        if renames.is_empty() {
            return Ok(());
        }
        let plan = self.plan;
        let mut work: Vec<(usize, &PathBuf, Option<Problem>)> = renames.iter().map(|(i, n)| (*i, n, None)).collect();
        par_io(&mut work, |(i, new, res)| {
            let it = &plan.items[*i];
            let r = remove::rename_noreplace(&it.path, new).and_then(|()| {
                fault::point("renamed");
                remove::unlink(new, dirs)
            });
            match r {
                Ok(()) => fault::point(if dirs { "dir-removed" } else { "unlinked" }),
                Err(p) => *res = Some(p),
            }
            progress.advance(1);
        });
        let mut ok = Vec::new();
        for (i, _, res) in work {
            match res {
                None => ok.push(i),
                Some(p) => self.fail(i, p),
            }
        }
        if ok.len() <= FEW {
            self.sync_parents(&ok);
        } else {
            self.sync_devs(&ok);
        }
        for &(i, _) in renames {
            if self.recs[i].result != ItemResult::Failed {
                let kind = if plan.items[i].kind == ItemKind::File && !plan.items[i].alias {
                    ItemResult::Erased
                } else {
                    ItemResult::Removed
                };
                self.finish_erased(i, kind);
            }
            let e = self.entry(i, Stage::Done, None);
            self.deferred.push(e);
        }
        Ok(())
    }

    /// Other names: symlinks, special files, further hard links of erased files.
    pub(super) fn names(&mut self, erased: &HashSet<(u64, u64)>, progress: &dyn Progress) -> Result<(), WipeError> {
        let mut renames = Vec::new();
        let mut taken = HashSet::new();
        progress.phase(Phase::Removing, 0);
        for i in 0..self.plan.items.len() {
            let it = &self.plan.items[i];
            let other =
                matches!(it.kind, ItemKind::Symlink | ItemKind::Special) || (it.kind == ItemKind::File && it.alias);
            if !other || it.skip.is_some() {
                continue;
            }
            if it.alias && !erased.contains(&(it.dev, it.ino)) {
                // The data behind this name was not erased: leave the name to find it.
                self.fail(i, Problem::HardLinked { links: 0 });
                continue;
            }
            match std::fs::symlink_metadata(&it.path) {
                Ok(md) if md.ino() == it.ino && md.dev() == it.dev => {}
                Ok(_) => {
                    self.fail(i, Problem::ChangedDuringWipe);
                    continue;
                }
                Err(e) => {
                    self.fail(i, work::problem("stat", &e));
                    continue;
                }
            }
            match remove::random_name(&it.path, &mut taken) {
                Ok(n) => renames.push((i, n)),
                Err(p) => self.fail(i, p),
            }
        }
        for chunk in renames.chunks(BATCH_FILES) {
            self.rename_and_unlink(chunk, false, progress)?;
        }
        Ok(())
    }

    /// Directories, deepest first, one depth at a time: directories of the same depth
    /// are never inside each other, so each depth is one batch with one durability point.
    pub(super) fn dirs(&mut self, progress: &dyn Progress, cancel: &AtomicBool) -> Result<bool, WipeError> {
        progress.phase(Phase::Removing, self.plan.dirs);
        let plan = self.plan;
        let dirs: Vec<usize> = (0..plan.items.len())
            .filter(|&i| plan.items[i].kind == ItemKind::Directory && plan.items[i].skip.is_none())
            .collect();
        let depth = |i: usize| plan.items[i].path.components().count();
        let mut start = 0;
        while start < dirs.len() {
            if cancel.load(Ordering::SeqCst) {
                return Ok(true);
            }
            let d = depth(dirs[start]);
            let end = start + dirs[start..].iter().take_while(|&&i| depth(i) == d).count();
            let mut renames = Vec::new();
            let mut taken = HashSet::new();
            for &i in &dirs[start..end] {
                match std::fs::read_dir(&plan.items[i].path).map(|mut rd| rd.next().is_none()) {
                    Ok(false) => self.fail(i, Problem::NotEmpty),
                    Ok(true) => match remove::random_name(&plan.items[i].path, &mut taken) {
                        Ok(n) => renames.push((i, n)),
                        Err(p) => self.fail(i, p),
                    },
                    Err(e) => self.fail(i, work::problem("read directory", &e)),
                }
            }
            self.rename_and_unlink(&renames, true, progress)?;
            start = end;
        }
        Ok(false)
    }
}
