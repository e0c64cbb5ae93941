//! The tar writer: GNU headers with fixed metadata, GNU long names, nothing else.
//!
//! Written by hand rather than through `tar::Builder` so every byte is ours to specify
//! (docs/payload.md) and a file that shrinks mid-read cannot produce a short entry.

use std::io::{self, Write};

use tar::{EntryType, Header};

use crate::scan::EntryKind;

const BLOCK: usize = 512;
/// GNU tar switches to a long-name entry when the name does not fit with its NUL.
const NAME_FIELD: usize = 100;
const ZEROS: [u8; BLOCK] = [0; BLOCK];

pub(crate) struct TarWriter<W: Write> {
    out: W,
    mtime: u64,
}

impl<W: Write> TarWriter<W> {
    pub(crate) fn new(out: W, mtime: u64) -> Self {
        TarWriter { out, mtime }
    }

    pub(crate) fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// Writes the header(s) of one entry; the caller then writes exactly `size` bytes and
    /// calls [`Self::pad`].
    pub(crate) fn header(&mut self, path: &str, kind: EntryKind, size: u64) -> io::Result<()> {
        let name = match kind {
            EntryKind::Dir => format!("{path}/"),
            EntryKind::File => path.to_owned(),
        };
        let name = name.as_bytes();
        if name.len() >= NAME_FIELD {
            let mut long = self.base_header(name.len() as u64 + 1, EntryType::GNULongName, 0o644);
            long.set_mtime(0);
            set_name(&mut long, b"././@LongLink");
            long.set_cksum();
            self.out.write_all(long.as_bytes())?;
            self.out.write_all(name)?;
            self.out.write_all(&[0])?;
            self.pad(name.len() as u64 + 1)?;
        }
        let (ty, mode) = match kind {
            EntryKind::Dir => (EntryType::Directory, 0o755),
            EntryKind::File => (EntryType::Regular, 0o644),
        };
        let mut h = self.base_header(size, ty, mode);
        set_name(&mut h, &name[..name.len().min(NAME_FIELD)]);
        h.set_cksum();
        self.out.write_all(h.as_bytes())
    }

    fn base_header(&self, size: u64, ty: EntryType, mode: u32) -> Header {
        let mut h = Header::new_gnu();
        h.set_entry_type(ty);
        h.set_mode(mode);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(self.mtime);
        // Over 8 GiB − 1 the tar crate switches the size field to GNU base-256, which GNU
        // tar, bsdtar and Go's archive/tar read.
        h.set_size(size);
        h
    }

    /// Pads an entry of `len` data bytes to the block boundary.
    pub(crate) fn pad(&mut self, len: u64) -> io::Result<()> {
        let rem = (len % BLOCK as u64) as usize;
        if rem != 0 {
            self.out.write_all(&ZEROS[..BLOCK - rem])?;
        }
        Ok(())
    }

    /// Writes the end-of-archive marker (two zero blocks) and returns the writer.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&ZEROS)?;
        self.out.write_all(&ZEROS)?;
        Ok(self.out)
    }
}

fn set_name(h: &mut Header, name: &[u8]) {
    // `Header::set_path` normalises components and refuses some names; the path here is
    // already validated, so it is copied verbatim.
    let field = &mut h.as_old_mut().name;
    field.fill(0);
    field[..name.len()].copy_from_slice(name);
}

/// Bytes the tar stream adds around `size` bytes of data stored under `path`.
pub(crate) fn entry_overhead(path_len: usize, kind: EntryKind, size: u64) -> u64 {
    let name_len = path_len + usize::from(kind == EntryKind::Dir);
    let padded = size.div_ceil(BLOCK as u64) * BLOCK as u64;
    let long = if name_len >= NAME_FIELD {
        BLOCK as u64 + ((name_len as u64 + 1).div_ceil(BLOCK as u64)) * BLOCK as u64
    } else {
        0
    };
    BLOCK as u64 + long + (padded - size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_over_8_gib_use_base_256_and_read_back() {
        let mut w = TarWriter::new(Vec::new(), 1_700_000_000);
        let size = 9u64 << 30;
        w.header("big.bin", EntryKind::File, size).unwrap();
        let h = tar::Header::from_byte_slice(&w.out[..512]);
        assert_eq!(h.entry_size().unwrap(), size);
        assert_eq!(h.as_bytes()[124] & 0x80, 0x80, "GNU base-256 marker");
        assert_eq!(h.mode().unwrap(), 0o644);
        assert_eq!(h.mtime().unwrap(), 1_700_000_000);
    }

    #[test]
    fn long_names_get_a_gnu_long_link_entry() {
        let name = "あ".repeat(40); // 120 bytes
        let mut w = TarWriter::new(Vec::new(), 0);
        w.header(&name, EntryKind::Dir, 0).unwrap();
        let l = tar::Header::from_byte_slice(&w.out[..512]);
        assert!(l.entry_type().is_gnu_longname());
        assert_eq!(&l.as_bytes()[..13], b"././@LongLink");
        assert_eq!(&w.out[512..512 + 121], format!("{name}/").as_bytes());
        assert_eq!(w.out[512 + 121], 0);
        assert_eq!(w.out.len(), 512 * 3);
        let h = tar::Header::from_byte_slice(&w.out[1024..]);
        assert_eq!(h.entry_type(), tar::EntryType::Directory);
        assert_eq!(h.mode().unwrap(), 0o755);
        assert_eq!(entry_overhead(name.len(), EntryKind::Dir, 0), w.out.len() as u64);
    }
}
