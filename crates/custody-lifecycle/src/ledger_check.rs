//! `ledger verify`: check a ledger line by line against the key that must have
//! signed it.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use custody_keys::{KeyId, PublicKey};
use custody_ledger::Hash;
use serde::Serialize;

use crate::Error;

#[derive(Debug, Clone, Serialize)]
pub struct LedgerReport {
    pub path: PathBuf,
    pub entries: u64,
    pub root: String,
    pub owner: Option<String>,
    /// True when the owner's key was given independently (`--key`, or the home's
    /// own identity); false when it was only read from the ledger's first entry,
    /// which proves the ledger is internally consistent but not whose it is.
    pub owner_key_confirmed: bool,
    pub kinds: BTreeMap<String, u64>,
    /// Kinds this release does not know (their bodies were not checked), by name.
    pub unknown_kinds: BTreeMap<String, u64>,
}

/// Verifies `path`. The first entry (`init`) names the owner's public key; when
/// `expected` is given, it must be that key.
pub fn verify_ledger(path: &Path, expected: Option<&PublicKey>) -> Result<LedgerReport, Error> {
    // O_NONBLOCK and a type check: a FIFO named as the ledger must not hang the verify.
    let open = || -> Result<BufReader<File>, Error> {
        let f = crate::sys::open_read_nonblock(path).map_err(Error::io(path))?;
        if !f.metadata().map_err(Error::io(path))?.is_file() {
            return Err(Error::InputFile { path: path.to_path_buf(), problem: custody_seal::FileProblem::NotRegular });
        }
        Ok(BufReader::new(f))
    };
    Ok(verify_ledger_reader(path, open, expected)?.0)
}

/// [`verify_ledger`] over a file opened (twice) by `open`, also returning the leaf
/// hashes.
pub(crate) fn verify_ledger_reader(
    path: &Path,
    open: impl Fn() -> Result<BufReader<File>, Error>,
    expected: Option<&PublicKey>,
) -> Result<(LedgerReport, Vec<Hash>), Error> {
    let owner = first_entry_key(open()?);
    if let (Some(exp), Some(found)) = (expected, owner.as_ref()) {
        if exp.key_id() != found.key_id() || exp.ed25519_bytes() != found.ed25519_bytes() {
            return Err(Error::LedgerOwnerMismatch {
                path: path.to_path_buf(),
                expected: exp.key_id().to_string(),
                found: found.key_id().to_string(),
            });
        }
    }
    let mut keys: HashMap<KeyId, PublicKey> = HashMap::new();
    for k in owner.iter().chain(expected) {
        keys.insert(k.key_id(), k.clone());
    }
    let (verified, leaves) = custody_ledger::verify_with_leaves(open()?, &keys)
        .map_err(|source| Error::LedgerInvalid { path: path.to_path_buf(), source })?;
    let report = LedgerReport {
        path: path.to_path_buf(),
        entries: verified.size,
        root: verified.root.to_string(),
        owner: owner.as_ref().map(|k| k.key_id().to_string()),
        owner_key_confirmed: expected.is_some() && owner.is_some(),
        unknown_kinds: verified.unknown_kinds(),
        kinds: verified.kinds,
    };
    Ok((report, leaves))
}

/// The public key an `init` first entry carries, read without trusting it: `verify`
/// then checks that this key signed the entry and everything after it.
fn first_entry_key(reader: BufReader<File>) -> Option<PublicKey> {
    let (entry, _) = custody_ledger::read_entries(reader).next()?.ok()?;
    if entry.kind != "init" || entry.seq != 0 {
        return None;
    }
    let pk = entry.body.get("public_key")?.as_str()?;
    PublicKey::from_minisign(pk).ok()
}
