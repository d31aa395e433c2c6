"""An e-mail backend standing in for an SMTP server that is down.

It is the boundary to the outside mail server, not our own code.
"""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
