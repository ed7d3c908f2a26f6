"""Reading PDFs the way a buyer's phone and a gate scanner do: pages, text and QR codes."""

import pypdfium2
import zxingcpp


def _open(content: bytes) -> pypdfium2.PdfDocument:
    assert content.startswith(b"%PDF-"), content[:20]
    return pypdfium2.PdfDocument(content)


def page_count(content: bytes) -> int:
    return len(_open(content))


def page_size_mm(content: bytes, page: int = 0) -> tuple[float, float]:
    width, height = _open(content)[page].get_size()
    return width / 72 * 25.4, height / 72 * 25.4


def page_texts(content: bytes) -> list[str]:
    pdf = _open(content)
    return [page.get_textpage().get_text_range() for page in pdf]


def text(content: bytes) -> str:
    return "\n".join(page_texts(content))


def qr_codes_per_page(content: bytes) -> list[list[str]]:
    """The QR codes a scanner decodes on each page, rendered at 144 dpi."""
    pdf = _open(content)
    pages = []
    for page in pdf:
        image = page.render(scale=2).to_pil()
        pages.append(
            [code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]
        )
    return pages


def ticket_barcodes(content: bytes) -> list[str]:
    """The barcode of each page's single QR code; fails unless every page has exactly one."""
    pages = qr_codes_per_page(content)
    assert all(len(codes) == 1 for codes in pages), pages
    return [codes[0] for codes in pages]


def text_overlaps_qr(content: bytes) -> bool:
    """Whether any character's box on any page touches the area of the page's QR code (its
    modules' bounding box, found by the decoder)."""
    pdf = _open(content)
    for page in pdf:
        scale = 2
        image = page.render(scale=scale).to_pil()
        codes = [c for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode]
        if not codes:
            return True  # no readable QR code at all is worse
        pos = codes[0].position
        xs = [p.x / scale for p in (pos.top_left, pos.top_right, pos.bottom_left, pos.bottom_right)]
        ys = [page.get_height() - p.y / scale for p in (pos.top_left, pos.top_right, pos.bottom_left, pos.bottom_right)]
        qr = (min(xs), min(ys), max(xs), max(ys))
        text = page.get_textpage()
        for index in range(text.count_chars()):
            left, bottom, right, top = text.get_charbox(index)
            if right > qr[0] and left < qr[2] and top > qr[1] and bottom < qr[3]:
                return True
    return False
