//! The passphrase of a sealed payload and the paper password notice
//! (パスワード通知書) that carries it to the recipient.
//!
//! A [`Passphrase`] is 100 random bits written as 20 Crockford base32 symbols in four
//! groups, each with a check symbol so a typo is named per group before the slow KDF
//! runs (`docs/passphrase.md`). A [`Notice`] lists what was sealed and for whom;
//! [`write_notice`] prints it with the passphrase as a self-contained A4 HTML page or
//! as plain text, and [`parse_text_notice`] reads a text notice back (`docs/notice.md`).
//!
//! Left to others: sealing and opening (the payload crate gives the canonical
//! passphrase to age's scrypt recipient), recording the handoffs in the ledger, and
//! prompting or printing (the CLI). This crate never prints and never stores a
//! passphrase anywhere but the notice file it is asked to write.
//!
//! ```
//! use chrono::DateTime;
//! use custody_l10n::Lang;
//! use custody_notice::{parse_text_notice, write_notice, Notice, NoticeId, Passphrase};
//!
//! let pass = Passphrase::generate()?;
//! let issued = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+09:00")?;
//! let notice = Notice {
//!     notice_id: NoticeId::generate(issued.date_naive())?,
//!     payload_id: "P-20261124-0001".into(),
//!     fingerprint: "7K3Q-Z9XW-2PAB-CDEF".into(),
//!     issuer_org: "新宿区 地域コミュニティ課".into(),
//!     issuer_name: "新宿 太郎".into(),
//!     recipient: Some("株式会社サンプル".into()),
//!     contract: None,
//!     categories: vec!["住所".into(), "氏名".into()],
//!     issued,
//!     file_count: 3,
//!     total_bytes: 120_000,
//! };
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("notice.txt");
//! write_notice(&path, &notice, &pass, Lang::Ja)?;
//!
//! let read = parse_text_notice(&std::fs::read_to_string(&path)?)?;
//! assert_eq!(read.passphrase.canonical(), pass.canonical());
//! assert_eq!(read.notice_id, notice.notice_id);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

mod crockford;
mod era;
mod error;
mod notice;
mod notice_id;
mod parse;
mod passphrase;
mod random;
mod render;
mod write;

pub use era::japanese_date;
pub use error::{NoticeError, PassphraseError};
pub use notice::{Notice, NoticeFormat};
pub use notice_id::NoticeId;
pub use parse::{parse_text_notice, ParsedNotice, MAX_TEXT_NOTICE_BYTES};
pub use passphrase::Passphrase;
pub use render::render;
pub use write::write_notice;
