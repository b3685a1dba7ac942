"""tshark_cache.py - tshark's answers kept for a second run of the same comparisons.

tests/run-all.sh runs every test twice, on the gcc build and under ASan; the
comparisons with tshark ask tshark the same questions both times, and tshark
takes 95% of their time (query_check.py fields: 104 s of tshark, 5 s of
wirelab). With WIRELAB_TSHARK_CACHE=DIR, run() keeps what tshark printed (and
the files it wrote, named in produces) under a key made of its arguments, the
contents of every file an argument or a WL_* variable names, the time zone
and locale, and tshark's own binary; the second stage finds it there. Without the variable it only runs
tshark. The key holds everything tshark's answer depends on that a test can
change, so a stale answer cannot be served: a changed capture, filter file or
Lua script is another key.
"""
import hashlib
import os
import pickle
import shutil
import subprocess

_digests = {}


def _file_digest(path):
    st = os.stat(path)
    key = (path, st.st_mtime_ns, st.st_size)
    if key not in _digests:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        _digests[key] = h.hexdigest()
    return _digests[key]


def _named_file(arg):
    """The file an argument names: itself, or what follows NAME: (lua_script:F)."""
    for cand in (arg, arg.split(":", 1)[-1]):
        if cand and os.path.isfile(cand):
            return cand
    return None


def _key(cmd, env, produces):
    h = hashlib.sha256()
    tshark = shutil.which(cmd[0]) or cmd[0]
    h.update(repr(os.stat(tshark).st_mtime_ns if os.path.exists(tshark) else 0).encode())
    # the environment tshark reads: the tests' WL_* files, the time zone, the locale
    e = os.environ if env is None else env
    inputs = list(cmd) + [k + "=" + v for k, v in sorted(e.items())
                          if k.startswith("WL_") or k in ("TZ", "LC_ALL", "LANG")]
    for a in inputs:
        # a file counts by its contents, not its name (filter files live in
        # temporary folders); the files tshark writes count not at all
        value = a.split("=", 1)[-1] if a.startswith("WL_") else a
        f = _named_file(value) if value not in produces else None
        if f:
            h.update(b"\0" + a[:len(a) - len(value)].encode() + _file_digest(f).encode())
        elif value in produces:
            h.update(b"\0" + a[:len(a) - len(value)].encode() + b"(written)")
        else:
            h.update(b"\0" + a.encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def run(cmd, env=None, timeout=None, produces=()):
    """subprocess.run(cmd, capture_output=True) through the cache: a
    CompletedProcess whose stdout and stderr are bytes; the files in produces
    are written as tshark wrote them."""
    where = os.environ.get("WIRELAB_TSHARK_CACHE")
    if not where:
        return subprocess.run(cmd, capture_output=True, env=env, timeout=timeout)
    path = os.path.join(where, _key(cmd, env, produces))
    try:
        with open(path, "rb") as f:
            rc, out, err, files = pickle.load(f)
        for name, data in zip(produces, files):
            if data is not None:
                with open(name, "wb") as g:
                    g.write(data)
        return subprocess.CompletedProcess(cmd, rc, out, err)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError):
        pass
    p = subprocess.run(cmd, capture_output=True, env=env, timeout=timeout)
    files = []
    for name in produces:
        try:
            with open(name, "rb") as g:
                files.append(g.read())
        except OSError:
            files.append(None)
    os.makedirs(where, exist_ok=True)
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "wb") as f:
        pickle.dump((p.returncode, p.stdout, p.stderr, files), f)
    os.replace(tmp, path)   # whole or not at all: tests run side by side
    return p
