"""Configuration: ``config/*.yaml`` validated once into typed objects."""

from monitor.config.loader import AppConfig, load_config, read_yaml, validate
from monitor.config.schema import Listing, MonitorSettings, Politeness, Recipient, Source

__all__ = [
    "AppConfig",
    "Listing",
    "MonitorSettings",
    "Politeness",
    "Recipient",
    "Source",
    "load_config",
    "read_yaml",
    "validate",
]
