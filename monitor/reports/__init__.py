"""Figures over stored items that more than one output shows (the web app's pages, the digest).

Data flows one way: these modules read ``monitor.storage`` and are read by ``monitor.web`` and
``monitor.digest``; they import neither.
"""
