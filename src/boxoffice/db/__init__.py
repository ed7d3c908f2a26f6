"""Database backends: Django's, with what Boxoffice changes in them."""
