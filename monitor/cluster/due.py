"""Which sources are due: a schedule that covers the source fired since its last job was written.

The schedules are ``monitor.yaml``'s crawl schedules (a schedule with no ``sources`` covers every
enabled source). A source never dispatched is due at once; a source whose last job was skipped
(its hosts were busy) or lost (its worker vanished) counts as never dispatched since then.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger

from monitor.config import AppConfig


def source_triggers(config: AppConfig) -> dict[str, list[BaseTrigger]]:
    """Enabled source id -> the cron triggers of the schedules that cover it."""
    from monitor.scheduler.jobs import cron_trigger

    enabled = [source.id for source in config.sources if source.enabled]
    triggers: dict[str, list[BaseTrigger]] = {source_id: [] for source_id in enabled}
    for index, schedule in enumerate(config.settings.schedules):
        trigger = cron_trigger(schedule.cron, schedule.timezone, f"schedules[{index}].cron")
        for source_id in schedule.sources or enabled:
            if source_id in triggers:
                triggers[source_id].append(trigger)
    return {source_id: found for source_id, found in triggers.items() if found}


def due_sources(
    triggers: Mapping[str, list[BaseTrigger]], last_dispatch: Mapping[str, datetime], now: datetime
) -> list[str]:
    """The due source ids, longest overdue first (never dispatched before all)."""
    due: list[tuple[datetime | None, str]] = []
    for source_id, source_triggers in triggers.items():
        last = last_dispatch.get(source_id)
        if last is None:
            due.append((None, source_id))
            continue
        # The first fire strictly after the last dispatch (a trigger returns a fire time >= its argument).
        after = last + timedelta(seconds=1)
        fires = [trigger.get_next_fire_time(None, after) for trigger in source_triggers]
        soonest = min((fire for fire in fires if fire is not None), default=None)
        if soonest is not None and soonest <= now:
            due.append((soonest, source_id))
    due.sort(key=lambda item: (item[0] is not None, item[0] or now, item[1]))
    return [source_id for _when, source_id in due]
