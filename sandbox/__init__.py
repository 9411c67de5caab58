"""Local twins of every service the procedure touches, over TLS on loopback, sharing one SQLite store."""
