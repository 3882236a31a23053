"""New alerts sent beyond the app: by e-mail (SMTP) or to a webhook, where a force has them.

Both are off by default. A watch asks for one in its ``delivery`` (``{"email": address}``
or ``{"webhook": url}``); the settings decide whether it happens: e-mail only when
``GRAPHVC_SMTP_HOST`` names a server, a webhook only to a host ``GRAPHVC_WEBHOOK_HOSTS``
lists (so that a watch cannot send what it finds to a host of its owner's choosing). What is
sent is the least that lets the owner act: the watch, how many new alerts, and their ids,
not the rows (the ids and scores they name stay in graphvc, behind its sign-in and audit
trail). A delivery that fails is reported in the run's summary; the alerts are recorded
whatever happens to it.
"""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from graphvc.config import Settings
from graphvc.watches.model import Watch

__all__ = ["DELIVERY_TIMEOUT", "deliver", "message_of"]

#: Seconds an SMTP server or a webhook has to answer.
DELIVERY_TIMEOUT = 10.0


def message_of(watch: Watch, line: Mapping[str, Any]) -> dict[str, Any]:
    """What is sent of ``watch``'s run whose summary line is ``line``."""
    return {
        "watch": watch.name,
        "owner": watch.owner,
        "query": watch.query,
        "new_alerts": int(line["new"]),
        "alerts": list(line.get("alerts", [])),
        "see": "the Alerts page of graphvc, or `graphvc watch alerts`",
    }


def _email(settings: Settings, to: str, message: Mapping[str, Any]) -> None:
    mail = EmailMessage()
    mail["From"] = settings.smtp_from
    mail["To"] = to
    mail["Subject"] = f"graphvc: {message['new_alerts']} new alert(s) from watch {message['watch']}"
    mail.set_content(
        f"Watch {message['watch']} (query {message['query']}) found "
        f"{message['new_alerts']} new match(es).\n\nAlert ids:\n"
        + "".join(f"  {alert}\n" for alert in message["alerts"])
        + f"\nSee {message['see']}.\n"
    )
    assert settings.smtp_host is not None
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=DELIVERY_TIMEOUT) as smtp:
        if settings.smtp_username:
            smtp.starttls()
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(mail)


def _webhook(url: str, message: Mapping[str, Any]) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(message).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=DELIVERY_TIMEOUT) as response:
        response.read()


def deliver(watch: Watch, line: Mapping[str, Any], settings: Settings | None) -> str:
    """Send ``watch``'s new alerts where its delivery says, if the settings allow it.

    Returns what happened, for the run's summary: ``sent``, ``off`` (the settings do not
    allow it) or ``failed: why``.
    """
    if not watch.delivery or settings is None:
        return "off"
    message = message_of(watch, line)
    try:
        if "email" in watch.delivery:
            if not settings.smtp_host:
                return "off"
            _email(settings, str(watch.delivery["email"]), message)
        else:
            url = str(watch.delivery["webhook"])
            if (urlsplit(url).hostname or "").lower() not in settings.webhook_hosts:
                return "off"
            _webhook(url, message)
    except (OSError, smtplib.SMTPException, urllib.error.URLError) as e:
        return f"failed: {type(e).__name__}: {e}"
    return "sent"
