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

from sandbox.errors import BadStateFile, read_state_file
from sandbox.private_files import restrict, write_private


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
    """The key and certificate of the state folder, made on first start; BadStateFile when they are unusable
    (better refused at start-up than a 500 on every token request)."""
    key_path, cert_path = state_dir / "signing-key.pem", state_dir / "signing-cert.der"
    if not (key_path.exists() and cert_path.exists()):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "accounts.accesscontrol.windows.net")])
        now = dt.datetime.now(dt.UTC)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
                .not_valid_after(now + dt.timedelta(days=1825)).sign(key, hashes.SHA256()))
        state_dir.mkdir(parents=True, exist_ok=True)
        write_private(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
        write_private(cert_path, cert.public_bytes(serialization.Encoding.DER))
    restrict(key_path)
    return _checked(key_path, cert_path)


def _checked(key_path: Path, cert_path: Path) -> SigningKey:
    private_pem, cert_der = read_state_file(key_path), read_state_file(cert_path)
    try:
        private = serialization.load_pem_private_key(private_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise BadStateFile(key_path, "not an unencrypted PEM private key") from exc
    try:
        cert = x509.load_der_x509_certificate(cert_der)
    except ValueError as exc:
        raise BadStateFile(cert_path, "not a DER certificate") from exc
    if not isinstance(private, rsa.RSAPrivateKey) or private.public_key() != cert.public_key():
        raise BadStateFile(key_path, f"not the RSA key of {cert_path.name}")
    return SigningKey(private_pem, cert_der)
