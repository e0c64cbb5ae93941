#!/usr/bin/env python3
"""Drive stock `age -d` with a passphrase: age reads it only from a terminal, so
give it one (a pty) and type the passphrase at its prompt.

usage: age_decrypt.py PASSPHRASE_FILE IN.age OUT
"""
import os, pty, sys, time

pass_file, src, out = sys.argv[1:4]
passphrase = open(pass_file).read().strip()
pid, fd = pty.fork()
if pid == 0:
    os.execvp("age", ["age", "-d", "-o", out, src])
buf = b""
deadline = time.time() + 120
sent = False
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    buf += chunk
    if not sent and b"passphrase" in buf.lower():
        os.write(fd, passphrase.encode() + b"\n")
        sent = True
    if time.time() > deadline:
        os.kill(pid, 9)
        break
_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
if code != 0:
    sys.stderr.write(buf.decode(errors="replace"))
sys.exit(code)
