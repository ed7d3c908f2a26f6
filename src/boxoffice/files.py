"""Files Boxoffice writes hold buyers' data and secrets: only their owner may read them."""

import os
from pathlib import Path

PRIVATE_DIRECTORY = 0o700
PRIVATE_FILE = 0o600


def private_directory(path: Path) -> Path:
    """Creates the directory (and its parents) if needed; one of ours that others could read
    (made by an earlier version) is closed to them."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIRECTORY)
    status = path.stat()
    if status.st_mode & 0o077 and status.st_uid == os.getuid():
        path.chmod(PRIVATE_DIRECTORY)
    return path


def create_private_file(path: Path) -> None:
    """An empty file readable by its owner only, unless it exists already."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        pass


def write_private_file(path: Path, content: bytes) -> None:
    """A new file, readable by its owner only from the moment it exists."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
