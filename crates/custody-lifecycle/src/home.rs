//! The custody home: one person's identity and ledger.
//!
//! ```text
//! $CUSTODY_HOME/            0700
//!   person.json             who this is (org, name, role, key id); written last by init
//!   identity.pub            minisign public key, for the other parties to trust
//!   identity.key            minisign secret key, passphrase-encrypted, 0600
//!   ledger.jsonl            this person's signed, hash-chained ledger
//! ```

use std::fs;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

use custody_keys::{KeyId, PublicKey, SecretKey};
use custody_ledger::events::{self, Event};
use custody_ledger::{Appended, Hash, Ledger, Signer};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::HomeDamage;
use crate::{now, Error, TOOL};

const PERSON: &str = "person.json";
const PUBLIC: &str = "identity.pub";
const SECRET: &str = "identity.key";
const LEDGER: &str = "ledger.jsonl";
/// The key of the keyed hashes that tie a work folder to its `opened` entry.
const FOLDER_KEY: &str = "folder.key";

/// A person's role on the roster (R5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 取扱責任者
    Responsible,
    /// 取扱者
    Handler,
}

impl std::str::FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Role, ()> {
        match s {
            "responsible" => Ok(Role::Responsible),
            "handler" => Ok(Role::Handler),
            _ => Err(()),
        }
    }
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Responsible => "responsible",
            Role::Handler => "handler",
        }
    }
}

/// Who acts from this home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub org: String,
    pub name: String,
    pub role: Role,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonFile {
    v: u32,
    #[serde(flatten)]
    person: Person,
    key_id: KeyId,
    created: String,
}

/// An initialised home.
#[derive(Debug)]
pub struct Home {
    root: PathBuf,
    person: Person,
    public: PublicKey,
}

impl Home {
    /// Where the home is: the explicit path, else `$CUSTODY_HOME`, else the platform
    /// data directory (`~/.local/share/custody` on Linux).
    pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, Error> {
        if let Some(p) = explicit {
            return Ok(p.to_path_buf());
        }
        if let Some(p) = std::env::var_os("CUSTODY_HOME").filter(|p| !p.is_empty()) {
            return Ok(PathBuf::from(p));
        }
        dirs::data_dir().map(|d| d.join("custody")).ok_or(Error::NoHomeDirectory)
    }

    /// Creates the home: a new identity whose secret key is encrypted with
    /// `key_passphrase`, and a ledger whose first entry (`init`) carries the public
    /// key, so the ledger names the key that must have signed it. `person.json` is
    /// written last: a home without it is an interrupted init and is cleaned up.
    pub fn init(root: &Path, person: Person, key_passphrase: &SecretString) -> Result<Home, Error> {
        if root.join(PERSON).exists() {
            return Err(Error::AlreadyInitialised { path: root.to_path_buf() });
        }
        fs::DirBuilder::new().recursive(true).mode(0o700).create(root).map_err(Error::io(root))?;
        fs::set_permissions(root, fs::Permissions::from_mode(0o700)).map_err(Error::io(root))?;
        // Leftovers of an init that died before person.json: no entry in them was ever
        // used, so starting over loses nothing.
        // The verified-prefix marker too: one left from an earlier ledger at this path
        // would not match the new ledger and stop every append.
        for leftover in [PUBLIC, SECRET, LEDGER, "ledger.jsonl.verified"] {
            let p = root.join(leftover);
            if p.exists() {
                fs::remove_file(&p).map_err(Error::io(&p))?;
            }
        }
        let result = Self::init_files(root, &person, key_passphrase);
        if result.is_err() {
            for f in [PUBLIC, SECRET, LEDGER] {
                let _ = fs::remove_file(root.join(f));
            }
        }
        result
    }

    fn init_files(root: &Path, person: &Person, key_passphrase: &SecretString) -> Result<Home, Error> {
        let secret = SecretKey::generate()?;
        let public = secret.public_key();
        let comment = format!("custody key of {} ({})", person.name, person.org);
        let key_text = secret.to_encrypted_minisign(key_passphrase, &comment)?;
        custody_fsio::write_new(&root.join(SECRET), key_text.as_bytes(), 0o600)?;
        custody_fsio::write_new(&root.join(PUBLIC), public.to_minisign(&comment).as_bytes(), 0o644)?;

        let ledger_path = root.join(LEDGER);
        let ledger = Ledger::create(&ledger_path)?;
        let init = events::Init {
            v: events::BODY_VERSION,
            tool: TOOL.into(),
            public_key: public.to_base64(),
            org: person.org.clone(),
            name: person.name.clone(),
            role: match person.role {
                Role::Responsible => events::Role::Responsible,
                Role::Handler => events::Role::Handler,
            },
        };
        ledger.append_event(&Event::Init(init), &secret, now())?;

        let file = PersonFile { v: 1, person: person.clone(), key_id: public.key_id(), created: now().to_rfc3339() };
        let bytes = serde_json::to_vec_pretty(&file).map_err(|e| Error::HomeDamaged {
            path: root.into(),
            part: HomeDamage::Person,
            what: e.to_string(),
        })?;
        custody_fsio::write_new(&root.join(PERSON), &bytes, 0o644)?;
        custody_fsio::sync_dir(root)?;
        Ok(Home { root: root.to_path_buf(), person: person.clone(), public })
    }

    /// Opens an initialised home.
    pub fn open(root: &Path) -> Result<Home, Error> {
        let person_path = root.join(PERSON);
        let bytes = match fs::read(&person_path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::NotInitialised { path: root.to_path_buf() })
            }
            Err(e) => return Err(Error::Io { path: person_path, source: e }),
        };
        let damaged = |what: String| Error::HomeDamaged { path: root.to_path_buf(), part: HomeDamage::Person, what };
        let file: PersonFile = serde_json::from_slice(&bytes).map_err(|e| damaged(format!("{PERSON}: {e}")))?;
        let pub_path = root.join(PUBLIC);
        let text = fs::read_to_string(&pub_path).map_err(Error::io(&pub_path))?;
        let public = PublicKey::from_minisign(&text)?;
        if public.key_id() != file.key_id {
            return Err(damaged(format!("{PUBLIC} is key {}, {PERSON} names {}", public.key_id(), file.key_id)));
        }
        Ok(Home { root: root.to_path_buf(), person: file.person, public })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn person(&self) -> &Person {
        &self.person
    }
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }
    pub fn key_id(&self) -> KeyId {
        self.public.key_id()
    }
    pub fn ledger_path(&self) -> PathBuf {
        self.root.join(LEDGER)
    }
    pub fn public_key_path(&self) -> PathBuf {
        self.root.join(PUBLIC)
    }

    /// The keyed hash of a folder's identity that `opened` records (`folder_hmac`,
    /// docs/ledger-events.md): HMAC-SHA256 under this home's folder key of
    /// `custody-folder/v1\0` ‖ canonical absolute path ‖ 0x00 ‖ device (u64, big-endian)
    /// ‖ inode (u64, big-endian). The same folder gives the same value for as long as
    /// it exists, so a later wipe of it names its payload; the ledger never holds the
    /// path, and without the key nobody can test a guessed path against it.
    pub fn folder_hmac(&self, folder: &Path) -> Result<Hash, Error> {
        use hmac::Mac;
        use std::os::unix::fs::MetadataExt;
        let canonical = folder.canonicalize().map_err(Error::io(folder))?;
        let meta = fs::metadata(&canonical).map_err(Error::io(&canonical))?;
        let key = zeroize::Zeroizing::new(self.folder_key()?);
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_slice()).map_err(|_| Error::HomeDamaged {
            path: self.root.join(FOLDER_KEY),
            part: HomeDamage::FolderKey,
            what: "bad key length".into(),
        })?;
        mac.update(b"custody-folder/v1\0");
        mac.update(canonical.as_os_str().as_encoded_bytes());
        mac.update(&[0]);
        mac.update(&meta.dev().to_be_bytes());
        mac.update(&meta.ino().to_be_bytes());
        Ok(Hash(mac.finalize().into_bytes().into()))
    }

    /// The folder key, made on first use (homes made before it existed get one then).
    fn folder_key(&self) -> Result<[u8; 32], Error> {
        let path = self.root.join(FOLDER_KEY);
        let damaged = || Error::HomeDamaged {
            path: path.clone(),
            part: HomeDamage::FolderKey,
            what: "the folder key is not 64 hex digits".into(),
        };
        let read = |path: &Path| -> Result<Option<[u8; 32]>, Error> {
            match fs::read_to_string(path) {
                Ok(text) => {
                    let text = zeroize::Zeroizing::new(text);
                    let bytes = zeroize::Zeroizing::new(hex::decode(text.trim()).map_err(|_| damaged())?);
                    Ok(Some(bytes.as_slice().try_into().map_err(|_| damaged())?))
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(Error::io(path)(e)),
            }
        };
        if let Some(k) = read(&path)? {
            return Ok(k);
        }
        let mut key = zeroize::Zeroizing::new([0u8; 32]);
        custody_fsio::fill_random(key.as_mut_slice())
            .map_err(|_| custody_notice::PassphraseError::RandomnessUnavailable)?;
        let text = zeroize::Zeroizing::new(format!("{}\n", hex::encode(key.as_slice())));
        match custody_fsio::write_new(&path, text.as_bytes(), 0o600).map_err(Error::from) {
            Ok(()) => Ok(*key),
            // Another command made it first: use theirs.
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::AlreadyExists => {
                read(&path)?.ok_or_else(damaged)
            }
            Err(e) => Err(e),
        }
    }

    /// The public key in minisign format, for the other parties.
    pub fn public_key_text(&self) -> String {
        let p = &self.person;
        self.public.to_minisign(&format!("custody public key of {} ({})", p.name, p.org))
    }

    /// Writes the public key to `path`, whole or not at all.
    pub fn export_public_key(&self, path: &Path) -> Result<(), Error> {
        custody_fsio::write_replace(path, self.public_key_text().as_bytes(), 0o644).map_err(Error::from)
    }

    /// Decrypts the secret key: every step that records something needs it.
    /// Checks that the secret key file is there and readable as an encrypted key,
    /// without its passphrase: run before the passphrase is asked for.
    pub fn check_key_file(&self) -> Result<(), Error> {
        let path = self.root.join(SECRET);
        let file = crate::inputs::read_bounded(&path, crate::inputs::MAX_KEY_FILE)?;
        let text = zeroize::Zeroizing::new(String::from_utf8_lossy(&file.bytes).into_owned());
        Ok(SecretKey::check_encrypted_minisign(&text)?)
    }

    pub fn unlock(&self, key_passphrase: &SecretString) -> Result<Session<'_>, Error> {
        let secret = decrypt_secret(&self.root, self.key_id(), key_passphrase)?;
        Ok(Session { home: self, secret })
    }

    /// Starts decrypting the secret key on a thread of its own and returns at once.
    /// The KDF takes most of a second of one core; a caller with read-only work to do
    /// first (the content hashes of a wipe) does it meanwhile and waits for the key
    /// before anything that must not happen with a wrong passphrase. The passphrase
    /// moves into the thread and is zeroized there when the KDF is done.
    pub fn unlock_in_background(&self, key_passphrase: SecretString) -> PendingUnlock {
        let shared = Arc::new(UnlockShared { state: Mutex::new(UnlockState::Running), done: Condvar::new() });
        let root = self.root.clone();
        let key_id = self.key_id();
        let theirs = Arc::clone(&shared);
        std::thread::spawn(move || {
            let r = std::panic::catch_unwind(AssertUnwindSafe(|| decrypt_secret(&root, key_id, &key_passphrase)));
            drop(key_passphrase);
            let state = match r {
                Ok(r) => UnlockState::Done(Box::new(r)),
                Err(panic) => UnlockState::Panicked(panic),
            };
            // A poisoned lock cannot happen: no code panics while holding it.
            if let Ok(mut s) = theirs.state.lock() {
                *s = state;
            }
            theirs.done.notify_all();
        });
        PendingUnlock { shared }
    }
}

fn decrypt_secret(root: &Path, key_id: KeyId, key_passphrase: &SecretString) -> Result<SecretKey, Error> {
    let path = root.join(SECRET);
    let file = crate::inputs::read_bounded(&path, crate::inputs::MAX_KEY_FILE)?;
    let text = zeroize::Zeroizing::new(String::from_utf8_lossy(&file.bytes).into_owned());
    let secret = match SecretKey::from_encrypted_minisign(&text, key_passphrase) {
        Ok(s) => s,
        Err(custody_keys::KeyError::WrongPassphrase) => return Err(Error::WrongKeyPassphrase),
        Err(e) => return Err(e.into()),
    };
    if secret.key_id() != key_id {
        return Err(Error::HomeDamaged {
            path: root.to_path_buf(),
            part: HomeDamage::KeyPair,
            what: format!("{SECRET} is key {}, {PUBLIC} is {}", secret.key_id(), key_id),
        });
    }
    Ok(secret)
}

enum UnlockState {
    Running,
    Done(Box<Result<SecretKey, Error>>),
    Panicked(Box<dyn std::any::Any + Send>),
    Taken,
}

struct UnlockShared {
    state: Mutex<UnlockState>,
    done: Condvar,
}

impl UnlockShared {
    fn wait(&self) -> std::sync::MutexGuard<'_, UnlockState> {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        while matches!(*s, UnlockState::Running) {
            s = self.done.wait(s).unwrap_or_else(|p| p.into_inner());
        }
        s
    }
}

/// A key being decrypted in the background (see [`Home::unlock_in_background`]).
pub struct PendingUnlock {
    shared: Arc<UnlockShared>,
}

impl std::fmt::Debug for PendingUnlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingUnlock").finish_non_exhaustive()
    }
}

impl PendingUnlock {
    /// A handle that can be asked whether the key is ready and waited on, from any
    /// thread, without access to the key itself.
    pub fn watch(&self) -> UnlockWatch {
        UnlockWatch { shared: Arc::clone(&self.shared) }
    }

    /// Waits for the key: the session, or why the key could not be unlocked.
    pub fn into_session(self, home: &Home) -> Result<Session<'_>, Error> {
        let mut s = self.shared.wait();
        match std::mem::replace(&mut *s, UnlockState::Taken) {
            UnlockState::Done(r) => (*r).map(|secret| Session { home, secret }),
            UnlockState::Panicked(p) => {
                drop(s);
                std::panic::resume_unwind(p)
            }
            // Only `into_session`, which consumes the one PendingUnlock, takes the key.
            UnlockState::Running | UnlockState::Taken => Err(Error::WrongKeyPassphrase),
        }
    }
}

/// See [`PendingUnlock::watch`].
#[derive(Clone)]
pub struct UnlockWatch {
    shared: Arc<UnlockShared>,
}

impl std::fmt::Debug for UnlockWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnlockWatch").field("finished", &self.is_finished()).finish()
    }
}

impl UnlockWatch {
    /// Whether the KDF is done (successfully or not).
    pub fn is_finished(&self) -> bool {
        !matches!(*self.shared.state.lock().unwrap_or_else(|p| p.into_inner()), UnlockState::Running)
    }

    /// Blocks until the KDF is done; whether the key was unlocked.
    pub fn wait(&self) -> bool {
        matches!(&*self.shared.wait(), UnlockState::Done(r) if r.is_ok())
    }
}

/// A home with its secret key unlocked: can sign and record.
pub struct Session<'h> {
    home: &'h Home,
    secret: SecretKey,
}

impl std::fmt::Debug for Session<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("key_id", &self.home.key_id()).finish_non_exhaustive()
    }
}

impl Session<'_> {
    pub fn home(&self) -> &Home {
        self.home
    }

    /// Appends one typed entry to the home ledger: how every step records. Goes
    /// through the owner checks of [`Session::record`].
    pub fn record_event(&self, event: &Event) -> Result<Appended, Error> {
        self.record(event.kind(), event.to_body())
    }

    /// Appends one signed entry to the home ledger, after checking that the line it
    /// chains to (and every line since the last check) is this home's own. A known
    /// kind's body must be that kind's typed body (`custody_ledger::events`); prefer
    /// [`Session::record_event`].
    pub fn record(&self, kind: &str, body: Map<String, Value>) -> Result<Appended, Error> {
        let ledger = Ledger::open(&self.home.ledger_path())?;
        Ok(ledger.append_as_owner(kind, body, self.signer(), self.home.public_key(), now())?)
    }

    pub fn signer(&self) -> &dyn Signer {
        &self.secret
    }

    pub fn secret_key(&self) -> &SecretKey {
        &self.secret
    }
}
