//! Drives the library for bench/wipe.sh until the CLI exists:
//! `wipe_bench [--method M] [--verify V] [--device] [--record OUT] [--journal J] PATH...` wipes and prints one line
//! of JSON with the elapsed time and the outcome.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use std::sync::Mutex;

use custody_wipe::{execute, execute_device, plan, plan_device, ItemResult, Phase, Progress, WipeOptions};

/// With WIPE_BENCH_PHASES set, prints how long each phase took (to stderr).
struct PhaseTimer {
    on: bool,
    last: Mutex<Option<(Phase, Instant)>>,
}

impl PhaseTimer {
    fn flush(&self) {
        if let Ok(mut l) = self.last.lock() {
            if let Some((p, t)) = l.take() {
                if self.on {
                    eprintln!("{p:?}: {:.3}s", t.elapsed().as_secs_f64());
                }
            }
        }
    }
}

impl Progress for PhaseTimer {
    fn phase(&self, phase: Phase, _: u64) {
        self.flush();
        if let Ok(mut l) = self.last.lock() {
            *l = Some((phase, Instant::now()));
        }
    }
    fn advance(&self, _: u64) {}
}

/// `--cpu`: how fast this machine hashes and generates the random stream, the two CPU
/// costs a wipe adds on top of the device's own work.
fn cpu() {
    use chacha20::cipher::{KeyIvInit, StreamCipher};
    use sha2::Digest;
    let mut buf = vec![0u8; 4 << 20];
    let total = 1u64 << 30;
    let t = Instant::now();
    let mut c = chacha20::ChaCha12::new(&[7u8; 32].into(), &[0u8; 12].into());
    for _ in 0..total / buf.len() as u64 {
        c.apply_keystream(&mut buf);
    }
    let chacha = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut h = sha2::Sha256::new();
    for _ in 0..total / buf.len() as u64 {
        h.update(&buf);
    }
    let _ = h.finalize();
    let sha = t.elapsed().as_secs_f64();
    println!("{{\"chacha12_mib_s\":{:.0},\"sha256_mib_s\":{:.0}}}", 1024.0 / chacha, 1024.0 / sha);
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().nth(1).as_deref() == Some("--cpu") {
        cpu();
        return Ok(());
    }
    let mut opts = WipeOptions::new("bench");
    let mut device = false;
    let mut record_out: Option<PathBuf> = None;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--method" => opts.method = args.next().ok_or("--method needs a value")?.parse()?,
            "--verify" => opts.verify = args.next().ok_or("--verify needs a value")?.parse()?,
            "--device" => device = true,
            "--record" => record_out = Some(args.next().ok_or("--record needs a path")?.into()),
            "--journal" => opts.journal = Some(args.next().ok_or("--journal needs a path")?.into()),
            _ => paths.push(PathBuf::from(a)),
        }
    }
    let cancel = AtomicBool::new(false);
    let timer = PhaseTimer { on: std::env::var_os("WIPE_BENCH_PHASES").is_some(), last: Mutex::new(None) };
    let t = Instant::now();
    let (rec, planned) = if device {
        let p = plan_device(&paths[0], &opts)?;
        (execute_device(&p, &opts, &timer, &cancel)?, 1)
    } else {
        let p = plan(&paths, &opts)?;
        let n = p.items.len();
        (execute(&p, &opts, &timer, &cancel)?, n)
    };
    timer.flush();
    let secs = t.elapsed().as_secs_f64();
    if let Some(out) = record_out {
        std::fs::write(out, rec.to_json())?;
    }
    let ok = rec
        .items
        .iter()
        .filter(|i| matches!(i.result, ItemResult::Erased | ItemResult::Removed | ItemResult::Overwritten))
        .count();
    println!("{{\"seconds\":{secs:.3},\"items\":{planned},\"ok\":{ok},\"outcome\":\"{:?}\"}}", rec.outcome());
    Ok(())
}
