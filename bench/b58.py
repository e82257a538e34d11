"""b58.py: base58 (Bitcoin's alphabet) for the benchmarks' generators."""
import hashlib

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(raw):
    n = int.from_bytes(raw, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = ALPHABET[r] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def base58check(payload):
    """payload (version byte and hash) with its 4-byte double-SHA-256 checksum"""
    return b58encode(payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4])
