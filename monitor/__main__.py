"""Entry point for ``python -m monitor``: the scheduler starts crawls this way as child processes."""

from monitor.cli import main

if __name__ == "__main__":
    main()
