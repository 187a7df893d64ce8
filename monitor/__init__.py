"""news-monitor: watches regulators and the press for data-sovereignty news."""

__version__ = "0.1.0"
