"""A local CA and a loopback server certificate, made on first start and kept in the state folder.

Clients trust `ca.pem` (httpx/msal through `harness.http`); Chromium pins the server key's SPKI hash instead of
ignoring certificate errors wholesale.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from sandbox.errors import BadStateFile, read_state_file
from sandbox.private_files import restrict, write_private


@dataclass(frozen=True)
class TlsFiles:
    ca_cert: Path
    server_cert: Path
    server_key: Path
    spki_sha256: str  # base64, for Chromium's --ignore-certificate-errors-spki-list


def _key() -> ec.EllipticCurvePrivateKey:
    """P-256: made in ~1 ms where a 2048-bit RSA key takes ~100 ms of every fresh sandbox's start (the TLS key
    type is the twins' own business; the token-signing key stays RSA, as RS256 needs)."""
    return ec.generate_private_key(ec.SECP256R1())


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def spki_hash(cert_path: Path) -> str:
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def ensure_tls(state_dir: Path) -> TlsFiles:
    """The CA and server files of the state folder, made on first start; BadStateFile when they are unusable."""
    ca_path, cert_path, key_path = state_dir / "ca.pem", state_dir / "server.pem", state_dir / "server-key.pem"
    if not (ca_path.exists() and cert_path.exists() and key_path.exists()):
        _make(ca_path, cert_path, key_path)
    restrict(key_path)
    _check(ca_path, cert_path, key_path)
    return TlsFiles(ca_path, cert_path, key_path, spki_hash(cert_path))


def client_ssl_context(ca_cert: Path) -> ssl.SSLContext:
    """What a twin calling another twin trusts: the sandbox CA (e.g. the Dynamics Mobile agent check)."""
    context = ssl.create_default_context()
    context.load_verify_locations(str(ca_cert))
    return context


def _check(ca_path: Path, cert_path: Path, key_path: Path) -> None:
    """Everything uvicorn and the clients will need, checked now rather than failing on the first handshake."""
    certs = {}
    for path in (ca_path, cert_path):
        try:
            certs[path] = x509.load_pem_x509_certificate(read_state_file(path))
        except ValueError as exc:
            raise BadStateFile(path, "not a PEM certificate") from exc
    ca, cert = certs[ca_path], certs[cert_path]
    try:
        key = serialization.load_pem_private_key(read_state_file(key_path), password=None)
    except (ValueError, TypeError) as exc:
        raise BadStateFile(key_path, "not an unencrypted PEM private key") from exc
    if key.public_key() != cert.public_key():
        raise BadStateFile(key_path, f"not the key of {cert_path.name}")
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature) as exc:
        raise BadStateFile(cert_path, f"not issued by {ca_path.name}") from exc
    if cert.not_valid_after_utc <= dt.datetime.now(dt.UTC):
        raise BadStateFile(cert_path, f"expired on {cert.not_valid_after_utc:%Y-%m-%d}")
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(str(cert_path), str(key_path))
    except ssl.SSLError as exc:
        raise BadStateFile(cert_path, f"TLS cannot load it with {key_path.name} ({exc.reason or exc})") from exc


def _make(ca_path: Path, cert_path: Path, key_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    ca_key = _key()
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bc-oauth-e2e sandbox CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = _key()
    san = x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                       x509.IPAddress(ipaddress.ip_address("::1"))])
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=825))
            .add_extension(san, critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_path.parent.mkdir(parents=True, exist_ok=True)
    write_private(key_path, _pem_key(key))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
