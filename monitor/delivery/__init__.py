"""Delivery behind one interface: a ``Channel`` sends one ``Outgoing`` message or raises.

``email`` speaks SMTP (``monitor.digest.smtp``); ``apprise_channel`` any Apprise URL (Slack,
Teams, Matrix, Mattermost, ntfy, Gotify, a json:// webhook). The outbox (``monitor.digest.outbox``)
keeps the exactly-once state and knows neither.
"""
