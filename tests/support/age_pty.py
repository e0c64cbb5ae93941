#!/usr/bin/env python3
"""Run stock age (or rage) with a passphrase typed at its prompt: they read passphrases
only from a terminal, so give them one (a pty) while standard input and output stay
the pipes they were, e.g. `tar c . | age_pty.py PASSFILE age -p -o out.age` or
`age_pty.py PASSFILE age -d in.age | tar x`.

usage: age_pty.py PASSPHRASE_FILE CMD [ARGS...]
Every prompt mentioning "passphrase" (enter, confirm) gets the first line of the file.
"""
import os, pty, sys, time

pass_file, cmd = sys.argv[1], sys.argv[2:]
passphrase = open(pass_file).read().splitlines()[0].encode()
stdin_copy, stdout_copy = os.dup(0), os.dup(1)
pid, fd = pty.fork()
if pid == 0:
    # The pty is the controlling terminal (where the prompt goes); the data still comes
    # from and goes to the caller's standard input and output.
    os.dup2(stdin_copy, 0)
    os.dup2(stdout_copy, 1)
    os.execvp(cmd[0], cmd)
os.close(stdin_copy)
os.close(stdout_copy)
buf = b""
answered = 0
deadline = time.time() + 600
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    buf += chunk
    # Answer each prompt once: count the prompts seen so far.
    while buf.lower().count(b"passphrase", 0) > answered:
        os.write(fd, passphrase + b"\n")
        answered += 1
    if time.time() > deadline:
        os.kill(pid, 9)
        break
_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
if code != 0:
    sys.stderr.write(buf.decode(errors="replace"))
sys.exit(code)
