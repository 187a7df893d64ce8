"""The pages of the web app, one module per page (or pair of list and detail pages)."""
