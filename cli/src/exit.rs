//! Exit codes: one table, documented in docs/exit-codes.md. Scripts and auditors
//! rely on these numbers; never reuse one for a different meaning.

use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    Ok = 0,
    /// A defect in custody, or an error with no better code.
    Internal = 1,
    /// The command line is wrong (clap uses 2 as well).
    Usage = 2,
    /// No custody home yet, or it is damaged.
    Home = 3,
    /// A passphrase (payload or key) is wrong, mistyped, or could not be read.
    Passphrase = 4,
    /// The input was refused before anything was written (source tree, notice place).
    InputRefused = 5,
    /// The destination cannot take the result (not empty, no room, FAT 4 GiB limit).
    Destination = 6,
    /// Something failed an integrity check: payload, label, manifest, archive entry, ledger.
    Integrity = 7,
    /// A wipe was refused for safety (system directory, home, mounted device).
    WipeRefused = 8,
    /// A wipe finished but some items could not be erased.
    WipePartial = 9,
    /// Interrupted (Ctrl-C); the record says what was done. Run the same command again.
    Interrupted = 10,
    /// The user answered no at a confirmation prompt; nothing was changed.
    Declined = 11,
    /// Reading or writing a file failed.
    Io = 12,
    /// The ledger's chain and signatures hold, but its owner's key was taken from the
    /// ledger itself: who wrote it is unconfirmed (`ledger verify` without `--key`).
    LedgerOwnerUnconfirmed = 13,
    /// The ledger's data is damaged: a torn tail, a tail that is forged, foreign or
    /// from the far future, or a full ledger. Nothing was appended.
    LedgerDamaged = 14,
    /// `verify`: the certificate or package was read, but some check failed.
    NotVerified = 15,
    /// `verify`: an input could not be read or parsed at all.
    VerifyInputUnreadable = 16,
    /// A checkpoint was refused at cosigning: inconsistent with, or smaller than, the
    /// one the ward holds for that ledger (rewritten, forked or truncated). Nothing
    /// was stored.
    CheckpointInconsistent = 17,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}
