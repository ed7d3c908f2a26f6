"""EMAIL_URL (§6): how the worker reaches the mail server, and the local outbox of .eml files
used when no server is configured."""

import email
import email.policy
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from boxoffice.delivery.backends import EmlFileBackend
from boxoffice.delivery.mailconfig import mailers_from_url
from documents.pdf import ticket_barcodes

from .helpers import live_barcodes, message_of, pdf_attachment

DATA_DIR = Path("/srv/boxoffice-data")


def mailer(settings, url: str | None, data_dir: Path = DATA_DIR):
    """The default mailer Django builds from what EMAIL_URL turned into."""
    settings.MAILERS = mailers_from_url(url, data_dir)
    return mail.mailers.default


def test_without_email_url_emails_go_to_the_outbox_in_the_data_directory(settings):
    backend = mailer(settings, None)

    assert isinstance(backend, EmlFileBackend)
    assert backend.directory == DATA_DIR / "outbox"
    assert mailers_from_url("", DATA_DIR) == mailers_from_url(None, DATA_DIR)


def test_smtp_url_gives_host_and_port_and_no_tls(settings):
    backend = mailer(settings, "smtp://127.0.0.1:1025")

    assert (backend.host, backend.port, backend.use_tls, backend.use_ssl) == ("127.0.0.1", 1025, False, False)
    assert not backend.username and not backend.password  # no login
    assert backend.timeout == 10


@pytest.mark.parametrize(
    ("url", "port", "use_ssl", "use_tls"),
    [
        ("smtp://mail.example.test", 25, False, False),
        ("smtps://mail.example.test", 465, True, False),
        ("smtp://mail.example.test:587?tls=1", 587, False, True),
        ("smtp://mail.example.test:587?tls=true", 587, False, True),
        ("smtp://mail.example.test:587?tls=0", 587, False, False),
    ],
)
def test_smtp_scheme_port_and_tls_query_choose_the_encryption(settings, url, port, use_ssl, use_tls):
    backend = mailer(settings, url)

    assert (backend.host, backend.port) == ("mail.example.test", port)
    assert (backend.use_ssl, backend.use_tls) == (use_ssl, use_tls)


def test_credentials_in_the_url_are_url_decoded(settings):
    backend = mailer(settings, "smtps://desk%40museum.test:p%40ss%2Fw%3Ard%20x@mail.example.test?timeout=3")

    assert backend.username == "desk@museum.test"
    assert backend.password == "p@ss/w:rd x"
    assert backend.timeout == 3


def test_file_url_writes_eml_files_to_that_directory(settings):
    backend = mailer(settings, "file:///var/spool/box%20office")

    assert isinstance(backend, EmlFileBackend)
    assert backend.directory == Path("/var/spool/box office")


@pytest.mark.parametrize("url", ["http://mail.example.test", "smtps://mail.example.test?tls=1"])
def test_an_email_url_that_cannot_work_is_refused_at_start(url):
    with pytest.raises(ValueError, match="EMAIL_URL"):
        mailers_from_url(url, DATA_DIR)


def test_eml_backend_writes_one_parseable_file_per_email(tmp_path):
    outbox = tmp_path / "outbox"  # created on first use
    messages = [
        EmailMultiAlternatives(subject=f"Tickets {n}", body="Plain body", from_email="tickets@museum.test", to=[to])
        for n, to in enumerate(["ann@example.test", "bob@example.test"])
    ]
    messages[0].attach_alternative("<p>HTML body</p>", "text/html")
    messages[0].attach("tickets-ABC.pdf", b"%PDF-1.4 fake", "application/pdf")

    assert EmlFileBackend(file_path=str(outbox)).send_messages(messages) == 2

    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 2
    emails = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]
    parsed = {m["To"]: m for m in emails}
    ann = parsed["ann@example.test"]
    assert ann["Subject"] == "Tickets 0"
    assert ann.get_body(("plain",)).get_content().strip() == "Plain body"
    assert ann.get_body(("html",)).get_content().strip() == "<p>HTML body</p>"
    (attachment,) = ann.iter_attachments()
    assert (attachment.get_filename(), attachment.get_content()) == ("tickets-ABC.pdf", b"%PDF-1.4 fake")
    assert parsed["bob@example.test"]["Subject"] == "Tickets 1"


@pytest.mark.django_db(transaction=True)
def test_without_an_smtp_server_the_worker_leaves_the_tickets_email_in_the_outbox(sell, worker, settings, tmp_path):
    settings.MAILERS = mailers_from_url(None, tmp_path)
    order = sell(1, send_tickets=True)

    worker()

    (eml,) = (tmp_path / "outbox").glob("*.eml")
    sent = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert sent["To"] == "ann@example.test"
    assert ticket_barcodes(pdf_attachment(sent, f"tickets-{order.code}.pdf")) == live_barcodes(order)
    message = message_of(order)
    assert (message.status, message.smtp_message_id) == ("sent", sent["Message-ID"].strip())
