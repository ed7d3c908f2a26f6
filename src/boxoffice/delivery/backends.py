from datetime import datetime
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

from boxoffice.files import private_directory, write_private_file


class EmlFileBackend(BaseEmailBackend):
    """Writes each email to its own .eml file, which any mail program opens: the outbox of a
    demo or a desk without an SMTP server. Emails carry buyers' addresses and tickets, and
    account emails their one-time links: the files are the owner's alone."""

    def __init__(self, *, file_path: str, **kwargs):
        super().__init__(**kwargs)
        self.directory = Path(file_path)

    def send_messages(self, email_messages) -> int:
        private_directory(self.directory)
        for number, message in enumerate(email_messages):
            recipient = "_".join(message.recipients())[:60].replace("/", "_")
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            write_private_file(self.directory / f"{stamp}-{number}-{recipient}.eml", message.message().as_bytes())
        return len(email_messages)
