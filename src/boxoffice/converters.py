"""Path converters: an id in a URL is a number the database can hold, so that an absurd one
answers 404 like any unknown id instead of overflowing a query."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
