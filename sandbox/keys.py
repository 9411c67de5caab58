"""The Entra twin's token-signing key: its own RSA key with a self-signed x5c, never a public one."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _uint(n: int) -> bytes:
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


@dataclass(frozen=True)
class SigningKey:
    private_pem: bytes
    cert_der: bytes

    @property
    def kid(self) -> str:
        """x5t: base64url SHA-1 thumbprint of the certificate, used as `kid` too (as Entra does)."""
        return _b64url(hashlib.sha1(self.cert_der).digest())  # noqa: S324 - thumbprint, not security

    def jwk(self, issuer: str | None = None) -> dict[str, object]:
        public = x509.load_der_x509_certificate(self.cert_der).public_key().public_numbers()
        key: dict[str, object] = {"kty": "RSA", "use": "sig", "kid": self.kid, "x5t": self.kid,
                                  "n": _b64url(_uint(public.n)), "e": _b64url(_uint(public.e)),
                                  "x5c": [base64.b64encode(self.cert_der).decode()]}
        if issuer:
            key["issuer"] = issuer
        return key


def ensure_signing_key(state_dir: Path) -> SigningKey:
    key_path, cert_path = state_dir / "signing-key.pem", state_dir / "signing-cert.der"
    if not (key_path.exists() and cert_path.exists()):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "accounts.accesscontrol.windows.net")])
        now = dt.datetime.now(dt.UTC)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
                .not_valid_after(now + dt.timedelta(days=1825)).sign(key, hashes.SHA256()))
        state_dir.mkdir(parents=True, exist_ok=True)
        key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        key_path.chmod(0o600)
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    return SigningKey(key_path.read_bytes(), cert_path.read_bytes())
