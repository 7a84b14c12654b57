#!/usr/bin/env python3
"""The kernel's own cost of a results directory's files on this machine: the floor under targets 3 and 4.

usage: output_floor.py RESULTS_DIR WORK_DIR

Creates, in WORK_DIR/runs, a file of the same size for every regular file in RESULTS_DIR/runs (trajectories,
sidecars, journals), the way Descent creates them (unnamed with O_TMPFILE, its disk reserved first when it is
a binary trajectory of 64 KB or more, written in one call, linked into place; a named file where the file
system lacks O_TMPFILE; a hard link where the results hold one, as for the binary sidecars that share their
text), and prints the system CPU time that took:

    floor files=2305 links=0 MB=31.2 sys_s=0.081 user_s=0.019

sys_s is work no harness can avoid for those bytes in those files on this kernel (page-cache pages,
inodes, directory entries); Descent's own formatting and bookkeeping come on top. The bytes are all one
pre-touched buffer, so the process's own memory costs nothing here. `make bench` runs this on each round's
log and binary outputs and reports compute + sys_s / 2 (two cores) over compute: the best ratio any
harness writing the same files could reach here.
"""
import ctypes
import os
import resource
import sys

AT_FDCWD, AT_SYMLINK_FOLLOW = -100, 0x400
FALLOC_FL_KEEP_SIZE = 0x01
RESERVE_THRESHOLD = 64 << 10  # TrajectoryWriter.reserveThreshold
libc = ctypes.CDLL(None, use_errno=True)
libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_long, ctypes.c_long]


def link_unnamed(fd: int, path: str) -> None:
    """linkat(/proc/self/fd/N, path, AT_SYMLINK_FOLLOW), as Descent links its files (os.link calls link(2),
    which would link the /proc symlink itself)."""
    if libc.linkat(AT_FDCWD, f"/proc/self/fd/{fd}".encode(), AT_FDCWD, path.encode(), AT_SYMLINK_FOLLOW) != 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), path)


def main() -> None:
    source, work = sys.argv[1], sys.argv[2]
    names = sorted(os.listdir(os.path.join(source, "runs")))
    sizes = []  # (name, size, the name of an earlier file it is a hard link of, or None)
    seen = {}
    for name in names:
        st = os.lstat(os.path.join(source, "runs", name))
        if os.path.isfile(os.path.join(source, "runs", name)) and not os.path.islink(os.path.join(source, "runs", name)):
            sizes.append((name, st.st_size, seen.get(st.st_ino) if st.st_nlink > 1 else None))
            seen.setdefault(st.st_ino, name)
    target = os.path.join(work, "runs")
    os.makedirs(target, exist_ok=True)
    buffer = bytearray(b"7" * max([s for _, s, _ in sizes] + [1]))
    view = memoryview(buffer)
    tmpfile = getattr(os, "O_TMPFILE", None)

    before = resource.getrusage(resource.RUSAGE_SELF)
    for name, size, twin in sizes:
        path = os.path.join(target, name)
        if twin is not None:
            os.link(os.path.join(target, twin), path)
            continue
        fd = -1
        if tmpfile is not None:
            try:
                fd = os.open(target, tmpfile | os.O_RDWR, 0o644)
            except OSError:
                fd = -1
        unnamed = fd >= 0
        if not unnamed:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        if size >= RESERVE_THRESHOLD and name.endswith(".f64"):
            libc.fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, size)  # as Descent reserves a large binary file's disk
        os.write(fd, view[:size])
        if unnamed:
            link_unnamed(fd, path)
        os.close(fd)
    after = resource.getrusage(resource.RUSAGE_SELF)

    total = sum(s for _, s, twin in sizes if twin is None)
    links = sum(1 for _, _, twin in sizes if twin is not None)
    print(f"floor files={len(sizes) - links} links={links} MB={total / 1e6:.1f} sys_s={after.ru_stime - before.ru_stime:.3f} "
          f"user_s={after.ru_utime - before.ru_utime:.3f}")


if __name__ == "__main__":
    main()
