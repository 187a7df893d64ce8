"""Crawls spread over machines: politeness keys, jobs, the dispatcher and the Celery worker.

Opt-in (``monitor dispatch``, ``monitor worker``) and PostgreSQL only; a single machine keeps
``monitor schedule``. Celery, Redis and prometheus-client are the ``cluster`` extra: only the
modules that need them import them, inside the functions that do.
"""
