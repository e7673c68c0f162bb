"""What a snippet prints, as the build keeps it: capped in size, always valid UTF-8.

Printed text and bytes written to `sys.stdout.buffer` land in one stream, in order.
"""

from __future__ import annotations

import codecs
import io

MAX_OUTPUT_CHARS = 1_000_000  # per cell: a page is for reading, not for logs


class OutputTooLarge(Exception):
    pass


class CappedStdout(io.StringIO):
    """stdout that refuses to grow past MAX_OUTPUT_CHARS, so 50 MB of prints cannot eat memory."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer = BytesToText(self)

    def write(self, text: str) -> int:
        if self.tell() + len(text) > MAX_OUTPUT_CHARS:
            raise OutputTooLarge(
                f"the cell printed more than {MAX_OUTPUT_CHARS:,} characters; "
                "print a summary (rounded values, a few rows) instead"
            )
        return super().write(text)

    def text(self) -> str:
        """Everything printed since the last reset; bytes that are not UTF-8 shown as `\\xNN` escapes."""
        self.buffer.flush()
        return self.getvalue().encode("utf-8", "backslashreplace").decode("utf-8")

    def reset(self) -> None:
        self.buffer.flush()
        self.seek(0)
        self.truncate()


class BytesToText(io.RawIOBase):
    """`sys.stdout.buffer`: bytes decoded as UTF-8, invalid ones kept visible as `\\xNN`."""

    def __init__(self, text: io.StringIO) -> None:
        super().__init__()
        self._text = text
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="backslashreplace")

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self._text.write(self._decoder.decode(data))
        return len(data)

    def flush(self) -> None:
        # an incomplete UTF-8 sequence at the end is shown as escapes, not dropped
        if not self._text.closed:
            self._text.write(self._decoder.decode(b"", final=True))
