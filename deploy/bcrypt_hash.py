#!/usr/bin/env python3
"""Prints a bcrypt hash for basic_auth_users in --web.config.file (docs/tls.md).

usage: deploy/bcrypt_hash.py [COST]      (COST 4-31, default 10: ~50 ms a check)
The password is asked for without echo, or read from standard input when that is not a terminal.

Uses libxcrypt (libcrypt.so.1, on every Debian and Ubuntu: the exporter checks passwords with the
same library) through ctypes, so it needs nothing but python3: Python's own crypt module is
deprecated and gone in Python 3.13, and htpasswd needs apache2-utils, which
deploy/install-deps.sh does not install.
"""
import ctypes
import getpass
import sys


def main():
    cost = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    if not 4 <= cost <= 31:
        sys.exit("cost must be 4-31")
    password = getpass.getpass() if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if not password:
        sys.exit("empty password")
    try:
        libcrypt = ctypes.CDLL("libcrypt.so.1")
    except OSError:
        sys.exit("libcrypt.so.1 (libxcrypt) not found: on macOS basic auth is refused anyway, make the hash on Linux")
    libcrypt.crypt_gensalt.restype = ctypes.c_char_p
    libcrypt.crypt_gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p, ctypes.c_int]
    libcrypt.crypt.restype = ctypes.c_char_p
    libcrypt.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    # No random bytes given: libxcrypt takes them from the kernel (getentropy).
    salt = libcrypt.crypt_gensalt(b"$2b$", cost, None, 0)
    hashed = libcrypt.crypt(password.encode(), salt) if salt else None
    # libxcrypt reports failure as NULL or a string starting with '*'.
    if not hashed or hashed.startswith(b"*"):
        sys.exit("libxcrypt could not make a bcrypt hash")
    print(hashed.decode())


if __name__ == "__main__":
    main()
