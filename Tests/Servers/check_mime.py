#!/usr/bin/python3
"""Checks one message file the way a strict mail client would, and summarises it as JSON.

    /usr/bin/python3 check_mime.py MESSAGE_FILE [--reply-to | --no-reply-to]
    /usr/bin/python3 check_mime.py --batch MESSAGE_FILE... [--reply-to | --no-reply-to]

Fails (exit 1, the reasons on standard error, one a line) unless:
  - the raw bytes are 7-bit, every line ends in CRLF, there is no bare CR or LF and no NUL, and
    no line is longer than 998 octets (CRLF not counted);
  - Python's `email` package parses it with `email.policy.strict` and finds no defect, in the
    message, any header or any part;
  - the top-level headers are exactly Date, From, To, [Reply-To,] Subject, Message-ID,
    List-Unsubscribe, List-Unsubscribe-Post, MIME-Version, Content-Type, each exactly once
    (Reply-To required with --reply-to, forbidden with --no-reply-to, either way without);
  - From and To hold one mailbox each, Message-ID is one <id-left@id-right>, List-Unsubscribe has
    an https and a mailto link and List-Unsubscribe-Post is "List-Unsubscribe=One-Click";
  - the body is multipart/alternative with exactly a text/plain and a text/html part, both
    charset utf-8 and quoted-printable.

Prints, on success, a JSON object: subject (decoded), from / to / reply_to ({name, address}),
message_id, date, headers (names in order), header_lines (raw header lines after the first of
each field, i.e. how it was folded), max_header_line (octets), header_line_lengths (the longest
physical line of each field, in octets), list_unsubscribe (the links),
text and html (decoded bodies, line ends as "\n"). Mailboxes also carry parser_name, the display
name as Python's address parser reads it (see `mailbox` for why the two can differ). With --batch, prints one object mapping each
file to {"summary": ... or null, "problems": [...]} instead, and exits 0.
"""

import argparse
import email
import email.header
import email.policy
import json
import re
import sys

EXPECTED = ["Date", "From", "To", "Reply-To", "Subject", "Message-ID", "List-Unsubscribe",
            "List-Unsubscribe-Post", "MIME-Version", "Content-Type"]


class Problems(Exception):
    pass


def raw_checks(raw, problems):
    if any(byte > 127 for byte in raw):
        problems.append("the message is not 7-bit: it has bytes above 127")
    if b"\x00" in raw:
        problems.append("the message has a NUL byte")
    if not raw.endswith(b"\r\n"):
        problems.append("the message does not end with CRLF")
    lines = raw.split(b"\r\n")
    for number, line in enumerate(lines[:-1] if raw.endswith(b"\r\n") else lines, start=1):
        if b"\r" in line:
            problems.append(f"line {number} has a bare CR")
        if b"\n" in line:
            problems.append(f"line {number} has a bare LF")
        if len(line) > 998:
            problems.append(f"line {number} is {len(line)} octets long (more than 998)")
    return lines


def header_block(raw):
    end = raw.find(b"\r\n\r\n")
    return raw[:end] if end >= 0 else raw


def mailbox(header, raw_value, problems):
    """One mailbox, parsed strictly. The display name is decoded per RFC 2047 from the raw
    phrase: Python 3.11's address parser keeps the whitespace between two adjacent encoded-words
    of a phrase (RFC 2047 6.2 says to drop it), so a folded long name would read "X -Injected"."""
    if header is None:
        return None
    for defect in header.defects:
        problems.append(f"{header.name}: {type(defect).__name__}: {defect}")
    addresses = header.addresses
    if len(addresses) != 1:
        problems.append(f"{header.name} holds {len(addresses)} addresses, not 1")
        return None
    address = addresses[0]
    name = address.display_name
    phrase = raw_value.rpartition("<")[0].strip()
    if "=?" in phrase and not phrase.startswith('"'):
        name = str(email.header.make_header(email.header.decode_header(phrase)))
    return {"name": name, "address": address.addr_spec, "parser_name": address.display_name}


def check(path, reply_to):
    raw = open(path, "rb").read()
    problems = []
    raw_checks(raw, problems)

    # Raw header lines: field names in order, and how long each physical line is.
    head = header_block(raw).split(b"\r\n")
    names, folded, longest = [], [], {}
    for line in head:
        if line[:1] in (b" ", b"\t"):
            folded.append(line.decode("ascii", "replace"))
        else:
            name, colon, _ = line.partition(b":")
            if not colon:
                problems.append(f"header line without a colon: {line[:80]!r}")
            names.append(name.decode("ascii", "replace"))
        if names:
            longest[names[-1]] = max(longest.get(names[-1], 0), len(line))
    max_line = max((len(line) for line in head), default=0)

    try:
        message = email.message_from_bytes(raw, policy=email.policy.strict)
    except Exception as error:  # strict policy: any defect raises
        raise Problems([f"email.policy.strict refused the message: {type(error).__name__}: {error}"] + problems)
    for defect in message.defects:
        problems.append(f"message defect: {type(defect).__name__}: {defect}")

    wants_reply_to = reply_to if reply_to is not None else "Reply-To" in names
    expected = [name for name in EXPECTED if name != "Reply-To" or wants_reply_to]
    if sorted(names) != sorted(expected):
        extra = sorted(set(names) - set(expected))
        missing = sorted(set(expected) - set(names))
        twice = sorted({name for name in names if names.count(name) > 1})
        problems.append(f"headers are {names}; unexpected {extra}, missing {missing}, repeated {twice}")
    if list(message.keys()) != names:
        problems.append(f"the parser saw headers {list(message.keys())}, the raw lines {names}")

    headers = {}
    for name in message.keys():
        try:
            value = message[name]
        except Exception as error:
            problems.append(f"{name}: cannot be parsed: {type(error).__name__}: {error}")
            continue
        for defect in getattr(value, "defects", ()):
            problems.append(f"{name}: {type(defect).__name__}: {defect}")
        headers[name] = value

    subject = str(headers.get("Subject", ""))
    def raw(name):  # the unfolded raw value of a header
        for key, value in message.raw_items():
            if key == name:
                return str(value).replace("\r\n", "").replace("\n", "")
        return ""

    sender = mailbox(headers.get("From"), raw("From"), problems)
    recipient = mailbox(headers.get("To"), raw("To"), problems)
    reply = mailbox(headers.get("Reply-To"), raw("Reply-To"), problems) if "Reply-To" in headers else None

    message_id = str(headers.get("Message-ID", "")).strip()
    if not re.fullmatch(r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+>", message_id):
        problems.append(f"Message-ID {message_id!r} is not <id-left@id-right>")

    unsubscribe = str(headers.get("List-Unsubscribe", ""))
    links = re.findall(r"<([^>]*)>", unsubscribe)
    if not any(link.startswith("https://") for link in links) or not any(link.startswith("mailto:") for link in links):
        problems.append(f"List-Unsubscribe {unsubscribe!r} needs an https and a mailto link")
    if str(headers.get("List-Unsubscribe-Post", "")).strip() != "List-Unsubscribe=One-Click":
        problems.append("List-Unsubscribe-Post is not List-Unsubscribe=One-Click")
    if str(headers.get("MIME-Version", "")).strip() != "1.0":
        problems.append("MIME-Version is not 1.0")

    text = html = None
    if message.get_content_type() != "multipart/alternative":
        problems.append(f"the message is {message.get_content_type()}, not multipart/alternative")
    else:
        parts = list(message.iter_parts())
        types = [part.get_content_type() for part in parts]
        if types != ["text/plain", "text/html"]:
            problems.append(f"the parts are {types}, not [text/plain, text/html]")
        for part in parts:
            kind = part.get_content_type()
            for defect in part.defects:
                problems.append(f"{kind} part defect: {type(defect).__name__}: {defect}")
            if part.get_content_charset() != "utf-8":
                problems.append(f"{kind} charset is {part.get_content_charset()}, not utf-8")
            if part.get("Content-Transfer-Encoding", "").lower() != "quoted-printable":
                problems.append(f"{kind} is not quoted-printable")
            try:
                body = part.get_content().replace("\r\n", "\n")
            except Exception as error:
                problems.append(f"{kind} cannot be decoded: {type(error).__name__}: {error}")
                continue
            if kind == "text/plain":
                text = body
            elif kind == "text/html":
                html = body

    if problems:
        raise Problems(problems)
    return {
        "subject": subject,
        "from": sender,
        "to": recipient,
        "reply_to": reply,
        "message_id": message_id,
        "date": str(headers.get("Date", "")),
        "headers": names,
        "header_lines": folded,
        "max_header_line": max_line,
        "header_line_lengths": longest,
        "list_unsubscribe": links,
        "text": text,
        "html": html,
    }


def main():
    parser = argparse.ArgumentParser(description="Strict MIME check of message files")
    parser.add_argument("messages", nargs="+", metavar="MESSAGE")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--reply-to", dest="reply_to", action="store_true", default=None)
    group.add_argument("--no-reply-to", dest="reply_to", action="store_false")
    parser.add_argument("--batch", action="store_true",
                        help="check every MESSAGE and print {path: {summary, problems}}; exit 0 unless a file is unreadable")
    options = parser.parse_args()
    if options.batch:
        results = {}
        for path in options.messages:
            try:
                results[path] = {"summary": check(path, options.reply_to), "problems": []}
            except Problems as failure:
                results[path] = {"summary": None, "problems": failure.args[0]}
        json.dump(results, sys.stdout, ensure_ascii=True)
        sys.stdout.write("\n")
        return
    if len(options.messages) != 1:
        parser.error("give one MESSAGE, or use --batch")
    try:
        summary = check(options.messages[0], options.reply_to)
    except Problems as failure:
        for problem in failure.args[0]:
            print(problem, file=sys.stderr)
        sys.exit(1)
    json.dump(summary, sys.stdout, ensure_ascii=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
