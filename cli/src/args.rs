//! The command line. Help texts are replaced at start-up by the Fluent messages
//! `help-<command>[-<argument>]` (see `help.rs`), so what is written here is only
//! the fallback.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "custody", version, about = "Chain of custody for personal data on USB media")]
pub struct Cli {
    /// Language of messages and documents (default: the locale, else Japanese).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    /// Print one JSON document on standard output instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Print only errors and the final result: no narration, no progress bar.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// The custody home (default: $CUSTODY_HOME, else the platform data directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub home: Option<PathBuf>,
    /// Read the key passphrase from this file (else $CUSTODY_KEY_PASSPHRASE_FILE, else a prompt).
    #[arg(long, global = true, value_name = "FILE")]
    pub key_passphrase_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Ja,
    En,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create your custody home: your signing key and an empty ledger.
    Init(InitArgs),
    /// Your public key, for the other parties.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Encrypt a folder onto USB media and issue the password notice.
    Seal(SealArgs),
    /// Decrypt a payload into an owner-only work folder.
    Open(OpenArgs),
    /// Check a ledger; checkpoints, cosignatures and proofs.
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// Erase files, folders or whole media, verified, with a record.
    Wipe(WipeArgs),
    /// Issue a signed certificate of erasure from your erasure records.
    Certify(CertifyArgs),
    /// Check a certificate of erasure or a return package.
    Verify(VerifyArgs),
    /// Run the whole lifecycle on sample data in a temporary home, narrating each step.
    Demo(DemoArgs),
    /// Print a shell completion script (generated from these definitions).
    Completions(CompletionsArgs),
    /// Write man pages for custody and each of its commands into a folder.
    #[command(hide = true)]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CertifyArgs {
    /// Erasure records (JSON) written by `custody wipe --record`.
    #[arg(value_name = "RECORD.json", required_unless_present = "countersign")]
    pub records: Vec<PathBuf>,
    /// Where to write the certificate (CERT.json; .minisig and .html beside it).
    #[arg(long, value_name = "CERT.json", required_unless_present = "countersign")]
    pub out: Option<PathBuf>,
    /// The contract the erasure was done under.
    #[arg(long, value_name = "ID")]
    pub contract: Option<String>,
    /// Who the certificate is addressed to; repeat (a subcontractor: the ward and the contractor).
    #[arg(long = "to", value_name = "PARTY")]
    pub to: Vec<String>,
    /// What became of the media (returned, reused, destroyed…).
    #[arg(long, value_name = "TEXT")]
    pub media_destination: Option<String>,
    /// Notes printed on the certificate.
    #[arg(long, value_name = "TEXT")]
    pub notes: Option<String>,
    /// Also write the return package (a new folder) for the ward.
    #[arg(long, value_name = "DIR")]
    pub package: Option<PathBuf>,
    /// Countersign an existing certificate (validation by a second person) instead.
    #[arg(long, value_name = "CERT.json", conflicts_with_all = ["records", "out", "package"])]
    pub countersign: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The certificate (CERT.json) or the folder of a return package.
    #[arg(value_name = "CERT.json|PACKAGE")]
    pub input: PathBuf,
    /// A public key you trust (the issuer's, the ward's, a validator's); repeat.
    #[arg(long, value_name = "KEY.pub")]
    pub trust: Vec<PathBuf>,
    /// The folder of the issuer's certificates, to check the chain.
    #[arg(long, value_name = "DIR")]
    pub chain: Option<PathBuf>,
    /// A copy of the issuer's ledger.
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
    /// A checkpoint of the issuer's ledger that the ward cosigned.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// A payload label to compare with; repeat.
    #[arg(long = "label", value_name = "LABEL.json")]
    pub labels: Vec<PathBuf>,
    /// A payload manifest to check coverage against; repeat.
    #[arg(long = "manifest", value_name = "FILE")]
    pub manifests: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Your organisation (e.g. 新宿区 地域調整課).
    #[arg(long)]
    pub org: String,
    /// Your name.
    #[arg(long)]
    pub name: String,
    /// Your role on the roster.
    #[arg(long, value_enum, default_value = "handler")]
    pub role: RoleArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Responsible,
    Handler,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Write your public key in minisign format.
    Export {
        /// File to write (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct SealArgs {
    /// The folder to seal.
    pub src: PathBuf,
    /// The media folder (the USB stick) to write the payload and label to.
    #[arg(long, value_name = "MEDIA_DIR")]
    pub to: PathBuf,
    /// Where to write the password notice (.html or .txt), not on the media.
    #[arg(long, value_name = "NOTICE_PATH")]
    pub notice: PathBuf,
    /// The receiving organisation.
    #[arg(long, value_name = "ORG")]
    pub recipient: Option<String>,
    /// The contract this delivery belongs to.
    #[arg(long, value_name = "ID")]
    pub contract: Option<String>,
    /// A data category in the payload (氏名, 住所, …); repeat for each.
    #[arg(long = "category", value_name = "TEXT")]
    pub categories: Vec<String>,
    /// Check everything and show what would be sealed and what the notice would say;
    /// write nothing and ask for no passphrase.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct OpenArgs {
    /// The payload (.age) to open.
    pub payload: PathBuf,
    /// The work folder to create (must not exist or be empty).
    #[arg(long, value_name = "DIR")]
    pub dest: PathBuf,
    /// Read the passphrase from this file (or the .txt notice) instead of prompting.
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// The sender's public key (minisign .pub): the label's signature must verify with it
    /// before anything is decrypted. Repeat for several senders.
    #[arg(long, value_name = "KEY.pub")]
    pub trust: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Check every line's chain and signature.
    Verify {
        /// The ledger file (default: your home's ledger).
        file: Option<PathBuf>,
        /// The public key that must have written it (minisign .pub file).
        #[arg(long, value_name = "PUBKEY")]
        key: Option<PathBuf>,
    },
    /// Move a torn last line (left by a crash mid-append) aside and record that in the ledger.
    Repair,
    /// Sign your ledger's size and Merkle root as a checkpoint (C2SP signed note).
    Checkpoint {
        /// Write the checkpoint to this file (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// As the ward: check a contractor's checkpoint and ledger copy, then cosign it.
    Cosign {
        /// The contractor's checkpoint file.
        checkpoint: PathBuf,
        /// The contractor's ledger copy.
        #[arg(long, value_name = "FILE")]
        ledger: PathBuf,
        /// The contractor's public key (minisign .pub); needed the first time.
        #[arg(long, value_name = "KEY.pub")]
        trust: Option<PathBuf>,
        /// Write the cosigned checkpoint here (default: over CHECKPOINT).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// An inclusion proof for one entry of your ledger.
    Prove {
        /// The entry's seq (0 is the first line).
        seq: u64,
        /// Prove against this checkpoint of your ledger (default: the ledger as it is now).
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct WipeArgs {
    /// Files or folders to erase.
    #[arg(required_unless_present = "device")]
    pub paths: Vec<PathBuf>,
    /// Erase a whole device or image file instead.
    #[arg(long, value_name = "DEV", conflicts_with = "paths")]
    pub device: Option<PathBuf>,
    /// Overwrite method.
    #[arg(long, default_value = "random", value_name = "METHOD")]
    pub method: String,
    /// How to verify the overwrite.
    #[arg(long, value_enum, default_value = "full")]
    pub verify: VerifyArg,
    /// Show what would be erased; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
    /// Override a safety refusal where that is allowed.
    #[arg(long)]
    pub force: bool,
    /// Write the erasure record (JSON) to this file.
    #[arg(long, value_name = "OUT.json")]
    pub record: Option<PathBuf>,
    /// The password notice of a wiped payload was destroyed or returned: record a cryptographic erase too.
    #[arg(long)]
    pub notice_destroyed: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VerifyArg {
    Full,
    Sample,
    None,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep the demo's temporary folder here instead of deleting it.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: ShellArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The folder to write the pages to (created if missing; existing pages are never replaced).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}
