#!/usr/bin/env python3
"""Run a command on a pseudo-terminal and answer its prompts, as a person would.

usage: drive_prompts.py ANSWERS_FILE -- COMMAND...
ANSWERS_FILE: one "expect<TAB>answer" per line: when the output so far contains
`expect` (after the previous match), type `answer` and Enter.
Prints everything the program showed on the terminal; exits with its exit code.
"""
import os, pty, sys, time

answers_file = sys.argv[1]
cmd = sys.argv[sys.argv.index("--") + 1:]
pairs = [l.rstrip("\n").split("\t", 1) for l in open(answers_file) if "\t" in l]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
seen = b""
pos = 0
deadline = time.time() + 180
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    while pairs and pairs[0][0].encode() in seen[pos:]:
        expect, answer = pairs.pop(0)
        pos = seen.index(expect.encode(), pos) + len(expect.encode())
        time.sleep(0.05)
        os.write(fd, answer.encode() + b"\n")
    if time.time() > deadline:
        os.kill(pid, 9)
        break
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
