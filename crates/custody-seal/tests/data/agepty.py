import os, pty, sys
# Drives stock age, which reads passphrases only from a terminal.
# usage: agepty.py PASSFILE age-args...
passphrase = open(sys.argv[1], 'rb').read().strip()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
out = b''
answered = 0
while True:
    try:
        data = os.read(fd, 1024)
    except OSError:
        break
    if not data:
        break
    out += data
    if out.lower().count(b'passphrase') > answered:
        answered = out.lower().count(b'passphrase')
        os.write(fd, passphrase + b'\n')
_, status = os.waitpid(pid, 0)
sys.stderr.write(out.decode('utf-8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(status))
