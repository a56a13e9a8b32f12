#!/usr/bin/env python3
"""Mounts a FUSE file system at PATH whose daemon never answers, and holds it until killed.

Every stat of the mount then sleeps in the kernel, as one of a dead NFS server or a hung FUSE
daemon does. When this process ends its /dev/fuse descriptor closes, the kernel aborts the
connection, and the sleeping calls return ENOTCONN. Needs root and /dev/fuse.
"""
import ctypes
import os
import signal
import sys

path = sys.argv[1].encode()
libc = ctypes.CDLL(None, use_errno=True)
fd = os.open('/dev/fuse', os.O_RDWR)
options = f'fd={fd},rootmode=40000,user_id=0,group_id=0'.encode()
if libc.mount(b'silicon-hung', path, b'fuse', 0, options) != 0:
    sys.exit(f'mount failed: {os.strerror(ctypes.get_errno())}')
print('mounted', flush=True)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
signal.pause()  # never read the descriptor: the kernel's INIT request stays unanswered
