"""EMAIL_URL → Django's MAILERS setting.

  smtp://[user:password@]host[:port]     plain SMTP (STARTTLS with ?tls=1)
  smtps://[user:password@]host[:port]    SMTP over TLS
  file:///path/to/dir                    one .eml file per message
  (unset)                                .eml files in the data directory's outbox
"""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

SMTP_TIMEOUT = 10


def mailers_from_url(url: str | None, data_dir: Path) -> dict:
    if not url:
        return _eml(data_dir / "outbox")
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if parts.scheme == "file":
        return _eml(Path(unquote(parts.path)))
    if parts.scheme not in {"smtp", "smtps"}:
        raise ValueError(f"EMAIL_URL: unsupported scheme {parts.scheme!r} (use smtp, smtps or file)")
    if parts.scheme == "smtps" and query.get("tls") in {"1", "true", "yes"}:
        raise ValueError("EMAIL_URL: smtps:// is TLS already; use smtp://...?tls=1 for STARTTLS")
    options = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or (465 if parts.scheme == "smtps" else 25),
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "use_ssl": parts.scheme == "smtps",
        "use_tls": query.get("tls") in {"1", "true", "yes"},
        "timeout": int(query.get("timeout", SMTP_TIMEOUT)),
    }
    return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}


def _eml(directory: Path) -> dict:
    return {"default": {"BACKEND": "boxoffice.delivery.backends.EmlFileBackend", "OPTIONS": {"file_path": str(directory)}}}
