"""Servers on 127.0.0.1 that receive alerts: a minimal SMTP server that keeps every message,
and an HTTP server that keeps every JSON POST (a Teams or Slack incoming webhook)."""

from __future__ import annotations

import email
import email.policy
import json
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Enough of RFC 5321 for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 127.0.0.1 test SMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 127.0.0.1")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.server.received.append((recipients, self._data()))
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")

    def _data(self) -> email.message.EmailMessage:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return email.message_from_bytes(b"".join(lines), policy=email.policy.default)


class _Serving:
    """A server on a free port of 127.0.0.1, served by a thread; `received` what it was sent."""

    def __init__(self, server: socketserver.TCPServer) -> None:
        self._server = server
        self._server.received = []
        self.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class SmtpServer(_Serving):
    """An SMTP server; `messages` holds (recipients, message)."""

    def __init__(self) -> None:
        super().__init__(_Server(("127.0.0.1", 0), _SmtpHandler))

    @property
    def messages(self) -> list:
        return self._server.received


class _WebhookHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.path, self.headers["Content-Type"], json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Length", "1")
        self.end_headers()
        self.wfile.write(b"1")  # what Teams and Slack answer

    def log_message(self, *args) -> None:
        pass


class WebhookServer(_Serving):
    """An HTTP server; `posts` holds (path, content type, JSON)."""

    def __init__(self) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _WebhookHandler)
        server.daemon_threads = True
        super().__init__(server)
        self.url = f"http://127.0.0.1:{self.port}/webhook"

    @property
    def posts(self) -> list:
        return self._server.received
