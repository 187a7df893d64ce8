"""``monitor serve``: the analysts' web app over the same database (Starlette, Jinja2, no JavaScript).

``create_app`` (``monitor.web.app``) builds the ASGI application; nothing here is imported by the
rest of news-monitor, so the CLI and the crawl never load the web stack.
"""
