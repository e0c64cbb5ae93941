//! A multi-GiB sparse file seals and opens through flat memory. Own test binary, so
//! the process's peak RSS (VmHWM) is this test's alone.

mod common;

use std::cell::Cell;
use std::fs;
use std::io::Read;
use std::time::Instant;

use common::*;
use custody_seal::{open, scan, seal_to_media};

const GIB: u64 = 1 << 30;

fn status_kib(key: &str) -> u64 {
    let s = fs::read_to_string("/proc/self/status").unwrap();
    let line = s.lines().find(|l| l.starts_with(key)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A progress callback that samples the resident set every 64 MiB of data from `from`
/// on: the streaming phase's memory, apart from scrypt's one-off 256 MiB. (Sealing runs
/// scrypt beside the first part of the stream, so its samples start at 2 GiB.)
fn rss_sampler<'a>(max: &'a Cell<u64>, next: &'a Cell<u64>, from: u64) -> impl Fn(u64) + 'a {
    move |done| {
        if done >= from && done >= next.get() {
            max.set(max.get().max(status_kib("VmRSS:")));
            next.set(done + (64 << 20));
        }
    }
}

#[test]
fn sparse_multi_gib_file_streams_in_flat_memory() {
    let size: u64 = std::env::var("CUSTODY_BIG_GIB").ok().and_then(|v| v.parse().ok()).unwrap_or(3) * GIB + 12345;
    let t = tmp();
    let src = p(&t, "src");
    fs::create_dir(&src).unwrap();
    let f = fs::File::create(src.join("sparse.bin")).unwrap();
    f.set_len(size).unwrap();
    // A little real data at both ends, so the round trip proves more than zeros.
    use std::os::unix::fs::FileExt;
    f.write_all_at(b"head", 0).unwrap();
    f.write_all_at(b"tail", size - 4).unwrap();
    drop(f);
    write(&src.join("small.txt"), b"small");
    let media = p(&t, "media");
    fs::create_dir(&media).unwrap();

    let (max_seal, next) = (Cell::new(0), Cell::new(0));
    let t0 = Instant::now();
    let sealed =
        seal_to_media(&scan(&src).unwrap(), &meta(), &info(), &pass(), &media, &rss_sampler(&max_seal, &next, 2 * GIB))
            .unwrap();
    let seal_s = t0.elapsed().as_secs_f64();
    assert!(sealed.label.ciphertext_size > size);

    let dest = p(&t, "dest");
    let (max_open, next) = (Cell::new(0), Cell::new(0));
    let t1 = Instant::now();
    let opened =
        open(&sealed.payload_path, &pass(), &dest, Some(&sealed.label), &rss_sampler(&max_open, &next, 0)).unwrap();
    let open_s = t1.elapsed().as_secs_f64();
    assert_eq!(opened.total_bytes, size + 5);
    let out = dest.join("sparse.bin");
    assert_eq!(fs::metadata(&out).unwrap().len(), size);
    let mut head = [0u8; 4];
    fs::File::open(&out).unwrap().read_exact(&mut head).unwrap();
    assert_eq!(&head, b"head");
    let mut tail = [0u8; 4];
    std::os::unix::fs::FileExt::read_exact_at(&fs::File::open(&out).unwrap(), &mut tail, size - 4).unwrap();
    assert_eq!(&tail, b"tail");

    let hwm = status_kib("VmHWM:");
    eprintln!(
        "big: {:.2} GiB sealed in {seal_s:.1}s ({:.0} MiB/s), opened in {open_s:.1}s ({:.0} MiB/s); \
         RSS while streaming: seal {} KiB, open {} KiB; VmHWM {hwm} KiB (scrypt N=2^18 needs 256 MiB)",
        size as f64 / GIB as f64,
        size as f64 / (1 << 20) as f64 / seal_s,
        size as f64 / (1 << 20) as f64 / open_s,
        max_seal.get(),
        max_open.get(),
    );
    assert!(max_seal.get() > 0 && max_open.get() > 0);
    assert!(max_seal.get() < 64 * 1024, "seal RSS {} KiB", max_seal.get());
    assert!(max_open.get() < 64 * 1024, "open RSS {} KiB", max_open.get());
    // scrypt's 256 MiB block plus streaming, and nothing that grows with the data.
    assert!(hwm < 320 * 1024, "peak RSS {hwm} KiB");
}
